/// A host and port as written in the configuration: `host:port`, `[v6]:port` or `:port`.
///
/// The host is kept as written (a name, an IPv4 or an IPv6 address without brackets); resolving it is the
/// transport's job. `:14550` means every IPv4 interface (`0.0.0.0`).
///
/// ```swift
/// SocketAddressSpec("[::1]:14550")      // host "::1", port 14550
/// SocketAddressSpec("gcs.local:5760")   // host "gcs.local", port 5760
/// SocketAddressSpec(":14550")           // host "0.0.0.0", port 14550
/// ```
public struct SocketAddressSpec: Sendable, Hashable, LosslessStringConvertible {
    /// Host name or address, IPv6 without brackets.
    public var host: String
    /// 0...65535.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port` or `:port`; nil when the text is none of these or the port is not
    /// 0...65535.
    public init?(_ description: String) {
        guard let parsed = try? Self.parse(description) else { return nil }
        self = parsed
    }

    /// Whether the host is a wildcard address (`0.0.0.0`, `::`).
    public var isWildcard: Bool { host == "0.0.0.0" || host == "::" }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Why `text` is not an address, for configuration messages.
    static func parse(_ text: String) throws(AddressError) -> SocketAddressSpec {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw AddressError("'\(text)' has '[' without ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw AddressError("'\(text)' needs ':port' after ']'") }
            portText = rest.dropFirst()
            guard host.contains(":") else { throw AddressError("'\(text)': brackets are for IPv6 addresses only") }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw AddressError("'\(text)' has no port (write host:port, [v6]:port or :port)")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                throw AddressError("'\(text)': write an IPv6 address in brackets, as [\(host)]:\(portText)")
            }
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit), let port = Int(portText), port <= 65535 else {
            throw AddressError("'\(text)': port '\(portText)' is not a number in 0...65535")
        }
        let validHost = host.allSatisfy { c in
            c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_" || c == ":" || c == "%")
        }
        guard validHost else { throw AddressError("'\(text)': '\(host)' is not a host name or address") }
        return SocketAddressSpec(host: host.isEmpty ? "0.0.0.0" : String(host), port: port)
    }

    struct AddressError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
