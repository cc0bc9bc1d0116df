/// The immediate answer to `aM!`, `aC!`, `aV!` (and their CRC/indexed forms): when data will be ready and how many values.
///
/// `atttn` for M and V (n = 0–9), `atttnn` for C (nn = 0–99): ttt is seconds (000–999) until the data can be
/// collected with D0, D1…. A sensor answering M may send a service request `a<CR><LF>` earlier.
public struct SDI12MeasurementReply: Sendable, Hashable {
    public let address: SDI12Address
    /// Seconds until the data are ready (0–999).
    public let seconds: Int
    /// How many values the D commands will return in total.
    public let count: Int

    public init(address: SDI12Address, seconds: Int, count: Int) {
        self.address = address
        self.seconds = seconds
        self.count = count
    }

    /// Which reply form to expect.
    public enum Form: Sendable, Hashable {
        /// `atttn`: after M (and MC, M1…) and V.
        case single
        /// `atttnn`: after C (and CC, C1…).
        case concurrent
    }

    /// Parses `atttn` or `atttnn`.
    ///
    /// - Throws: `.truncated` when too short, `.malformed` for non-digits or extra characters,
    ///   `.wrongAddress` when `expected` is given and differs.
    public static func parse(
        _ line: some Collection<UInt8>, form: Form = .single, expecting expected: SDI12Address? = nil
    ) throws(SDI12Error) -> SDI12MeasurementReply {
        let body = SDI12Line.body(line)
        let address = try SDI12Line.address(of: body, line: line, expected: expected)
        let length = form == .single ? 5 : 6
        guard body.count >= length else {
            throw SDI12Error(code: .truncated, bytes: line,
                             reason: "measurement reply has \(body.count) characters, \(length) expected (\(form == .single ? "atttn" : "atttnn"))")
        }
        guard body.count == length else {
            throw SDI12Error(code: .malformed, bytes: line,
                             reason: "measurement reply has \(body.count) characters, \(length) expected (\(form == .single ? "atttn" : "atttnn"))")
        }
        let digits = body.dropFirst()
        guard digits.allSatisfy(SDI12Line.isDigit) else {
            throw SDI12Error(code: .malformed, bytes: line, reason: "ttt and n must be digits")
        }
        var seconds = 0
        var count = 0
        for (i, byte) in digits.enumerated() {
            let d = Int(byte - 0x30)
            if i < 3 { seconds = seconds * 10 + d } else { count = count * 10 + d }
        }
        return SDI12MeasurementReply(address: address, seconds: seconds, count: count)
    }
}
