#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a UDP link could not listen.
public struct UDPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed, as a stable identifier for logs and `/healthz`.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The host does not resolve to an address.
        public static let resolve = Code(rawValue: "resolve")
        /// The socket could not be made or set up.
        public static let socket = Code(rawValue: "socket")
        /// The address could not be bound (in use, not local, no permission for a low port).
        public static let bind = Code(rawValue: "bind")
    }

    public var code: Code
    /// The link's name in the configuration.
    public var link: String
    /// The address it was to listen on (`host:port`).
    public var endpoint: String
    /// The system's error number, when a system call failed.
    public var errno: Int32?

    public init(code: Code, link: String, endpoint: String, errno: Int32? = nil) {
        self.code = code
        self.link = link
        self.endpoint = endpoint
        self.errno = errno
    }

    public var description: String {
        var text: String
        switch code {
        case .resolve: text = "link \(link): cannot resolve \(endpoint)"
        case .bind: text = "link \(link): cannot listen on udp \(endpoint)"
        default: text = "link \(link): cannot open a UDP socket for \(endpoint)"
        }
        if let errno { text += ": \(String(cString: strerror(errno)))" }
        if errno == EADDRINUSE { text += " (another program, or another link, already listens there)" }
        return text
    }
}
