/// The answer to `aI!`: who made the sensor and which firmware it runs (v1.4 §4.4.2).
///
/// `a` + SDI-12 version (2 digits, "14" = 1.4) + vendor (8) + model (6) + sensor version (3) + an optional
/// field of up to 13 characters, usually the serial number. Fixed-width fields keep their padding spaces
/// trimmed at the end.
public struct SDI12Identification: Sendable, Hashable {
    public let address: SDI12Address
    /// The SDI-12 version the sensor implements, as sent ("13", "14").
    public let sdi12Version: String
    /// Vendor identification (8 characters on the wire, trailing spaces trimmed).
    public let vendor: String
    /// Sensor model (6 characters on the wire, trailing spaces trimmed).
    public let model: String
    /// Sensor version (3 characters).
    public let sensorVersion: String
    /// The optional field (serial number or other), empty if absent.
    public let optional: String

    public init(address: SDI12Address, sdi12Version: String, vendor: String, model: String, sensorVersion: String, optional: String) {
        self.address = address
        self.sdi12Version = sdi12Version
        self.vendor = vendor
        self.model = model
        self.sensorVersion = sensorVersion
        self.optional = optional
    }

    /// Longest optional field accepted; the specification says 13, some sensors send more.
    public static let maximumOptionalLength = 48

    /// Parses the identification line (with or without `<CR><LF>`).
    ///
    /// - Throws: `.truncated` below 20 characters, `.malformed` for a non-numeric version or
    ///   non-printable text, `.wrongAddress` when `expected` is given and differs.
    public static func parse(_ line: some Collection<UInt8>, expecting expected: SDI12Address? = nil) throws(SDI12Error) -> SDI12Identification {
        let body = SDI12Line.body(line)
        let address = try SDI12Line.address(of: body, line: line, expected: expected)
        guard body.count >= 20 else {
            throw SDI12Error(code: .truncated, bytes: line,
                             reason: "identification has \(body.count) characters, at least 20 expected (a, version 2, vendor 8, model 6, version 3)")
        }
        guard body.count <= 20 + maximumOptionalLength else {
            throw SDI12Error(code: .malformed, bytes: line, reason: "identification longer than \(20 + maximumOptionalLength) characters")
        }
        let fields = body.dropFirst()
        guard SDI12Line.isPrintable(fields) else {
            throw SDI12Error(code: .malformed, bytes: line, reason: "identification contains non-printable characters")
        }
        let start = fields.startIndex
        let version = fields[start..<start + 2]
        guard version.allSatisfy(SDI12Line.isDigit) else {
            throw SDI12Error(code: .malformed, bytes: line, reason: "the SDI-12 version (characters 2-3) is not two digits")
        }
        func trimmed(_ s: ArraySlice<UInt8>) -> String {
            var s = s
            while s.last == 0x20 { s.removeLast() }
            return SDI12Line.text(s)
        }
        return SDI12Identification(
            address: address,
            sdi12Version: SDI12Line.text(version),
            vendor: trimmed(fields[start + 2..<start + 10]),
            model: trimmed(fields[start + 10..<start + 16]),
            sensorVersion: trimmed(fields[start + 16..<start + 19]),
            optional: trimmed(fields[(start + 19)...])
        )
    }
}
