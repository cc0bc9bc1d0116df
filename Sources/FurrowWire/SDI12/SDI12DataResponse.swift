/// The answer to `aD0!`…`aD9!` and `aR0!`…`aR9!`: the address, sign-delimited values, and the CRC if requested.
///
/// Every value starts with its sign, has 1–7 digits and at most one decimal point (v1.4 §4.4.8), so
/// `0+1.23-4.5+6` is three values. A response with no values (`a<CR><LF>`) is valid: the sensor has nothing
/// more under that D index.
public struct SDI12DataResponse: Sendable, Hashable {
    public let address: SDI12Address
    public let values: [SDI12Value]

    public init(address: SDI12Address, values: [SDI12Value]) {
        self.address = address
        self.values = values
    }

    /// Most digits a value may have.
    public static let maximumDigits = 7

    /// Parses a data line (with or without `<CR><LF>`).
    ///
    /// - Parameters:
    ///   - crc: whether the line ends with three CRC characters (after `aMC!`, `aCC!`, `aRC0!`…); they are
    ///     verified against the CRC-16 of the address and values.
    ///   - expected: the address the command went to.
    /// - Throws: `.crcMismatch`, `.wrongAddress`, `.truncated` (CRC expected but missing), `.malformed`
    ///   (a value without sign or digits, more than 7 digits, two decimal points, other characters).
    public static func parse(
        _ line: some Collection<UInt8>, crc: Bool = false, expecting expected: SDI12Address? = nil
    ) throws(SDI12Error) -> SDI12DataResponse {
        var body = SDI12Line.body(line)
        let address = try SDI12Line.address(of: body, line: line, expected: expected)
        if crc {
            guard body.count >= 4 else {
                throw SDI12Error(code: .truncated, bytes: line, reason: "a CRC was requested but the response is too short to carry its 3 characters")
            }
            let crcChars = body.suffix(3)
            body.removeLast(3)
            guard let sent = SDI12CRC.decode(crcChars) else {
                throw SDI12Error(code: .crcMismatch, bytes: line, reason: "the last three characters are not SDI-12 CRC characters")
            }
            let computed = SDI12CRC.checksum(body)
            guard sent == computed else {
                let expectedChars = SDI12Line.text(SDI12CRC.encode(computed))
                throw SDI12Error(code: .crcMismatch, bytes: line,
                                 reason: "CRC characters give 0x\(String(sent, radix: 16)), the response computes to 0x\(String(computed, radix: 16)) (\"\(expectedChars)\")")
            }
        }
        let values = try parseValues(body.dropFirst(), line: line)
        return SDI12DataResponse(address: address, values: values)
    }

    /// Splits sign-delimited values (`+1.23-4.5+6`).
    static func parseValues(_ text: ArraySlice<UInt8>, line: some Collection<UInt8>) throws(SDI12Error) -> [SDI12Value] {
        var values: [SDI12Value] = []
        var i = text.startIndex
        while i < text.endIndex {
            let sign = text[i]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
                throw SDI12Error(code: .malformed, bytes: line,
                                 reason: "character \(i - text.startIndex + 2) ('\(SDI12Error.printable([sign]))') should be the sign of a value")
            }
            i += 1
            var mantissa: Int64 = 0
            var digits = 0
            var decimals: Int?
            while i < text.endIndex, text[i] != UInt8(ascii: "+"), text[i] != UInt8(ascii: "-") {
                let c = text[i]
                if SDI12Line.isDigit(c) {
                    digits += 1
                    guard digits <= maximumDigits else {
                        throw SDI12Error(code: .malformed, bytes: line, reason: "value \(values.count + 1) has more than \(maximumDigits) digits")
                    }
                    mantissa = mantissa * 10 + Int64(c - 0x30)
                    if let d = decimals { decimals = d + 1 }
                } else if c == UInt8(ascii: ".") {
                    guard decimals == nil else {
                        throw SDI12Error(code: .malformed, bytes: line, reason: "value \(values.count + 1) has two decimal points")
                    }
                    decimals = 0
                } else {
                    throw SDI12Error(code: .malformed, bytes: line,
                                     reason: "value \(values.count + 1) contains '\(SDI12Error.printable([c]))'; values are sign, digits and one optional '.'")
                }
                i += 1
            }
            guard digits > 0 else {
                throw SDI12Error(code: .malformed, bytes: line, reason: "value \(values.count + 1) has a sign but no digits")
            }
            let scale = decimals ?? 0
            var value = Double(mantissa)
            if scale > 0 { value /= pow10(scale) }
            if sign == UInt8(ascii: "-") { value = -value }
            values.append(SDI12Value(value: value, decimals: scale))
        }
        return values
    }

    static func pow10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }
}
