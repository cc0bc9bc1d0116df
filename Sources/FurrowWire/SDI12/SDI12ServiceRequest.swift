/// The service request `a<CR><LF>` a sensor sends when a measurement (aM!) finished before its announced time.
public struct SDI12ServiceRequest: Sendable, Hashable {
    /// The sensor that is ready.
    public let address: SDI12Address

    /// Parses a service request; throws `.malformed` if the line carries more than the address.
    public static func parse(_ line: some Collection<UInt8>, expecting expected: SDI12Address? = nil) throws(SDI12Error) -> SDI12ServiceRequest {
        let body = SDI12Line.body(line)
        let address = try SDI12Line.address(of: body, line: line, expected: expected)
        guard body.count == 1 else {
            throw SDI12Error(code: .malformed, bytes: line, reason: "a service request is the address alone, then <CR><LF>")
        }
        return SDI12ServiceRequest(address: address)
    }
}
