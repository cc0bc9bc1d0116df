/// Shared checks for one SDI-12 response line: strip `<CR><LF>`, check the address, require printable ASCII.
enum SDI12Line {
    /// The response without its trailing `<CR><LF>` (either may be missing if the transport stripped them).
    static func body(_ line: some Collection<UInt8>) -> ArraySlice<UInt8> {
        var body = ArraySlice(line)
        if body.last == 0x0A { body.removeLast() }
        if body.last == 0x0D { body.removeLast() }
        return body
    }

    /// Checks the first character is a valid address and, when given, the expected one; returns it.
    static func address(
        of body: ArraySlice<UInt8>, line: some Collection<UInt8>, expected: SDI12Address?
    ) throws(SDI12Error) -> SDI12Address {
        guard let first = body.first else {
            throw SDI12Error(code: .truncated, bytes: line, reason: "empty response, expected at least the address")
        }
        let address: SDI12Address
        do {
            address = try SDI12Address(ascii: first)
        } catch {
            throw SDI12Error(code: .malformed, bytes: line, reason: "the first character is not an SDI-12 address")
        }
        if let expected, expected != address {
            throw SDI12Error(code: .wrongAddress, bytes: line,
                             reason: "answer from address '\(address)', expected '\(expected)' (two sensors on one address?)")
        }
        return address
    }

    /// Whether every byte is printable ASCII (0x20–0x7E), as SDI-12 text fields must be.
    static func isPrintable(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { (0x20...0x7E).contains($0) }
    }

    static func text(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}
