import FurrowStore
import Hummingbird
import HummingbirdCore

/// Times and durations in query strings: RFC 3339 (`2026-05-01T06:00:00Z`, offsets allowed) or integer
/// milliseconds since the epoch; durations as `500ms`, `10s`, `15m`, `1h`, `1d` or integer milliseconds.
enum TimeParameters {
    /// µs since the epoch, or a problem naming `name`.
    static func time(_ text: Substring, name: String) throws -> Int64 {
        if let ms = Int64(text) {
            let (us, overflow) = ms.multipliedReportingOverflow(by: 1000)
            guard !overflow else { throw APIProblem(.invalidParameter, "\(name)=\(text) is out of range", parameter: name) }
            return us
        }
        guard let us = StoreTime.parse(text) else {
            throw APIProblem(
                .invalidParameter,
                "\(name)=\(text) is neither RFC 3339 with a zone (2026-05-01T06:00:00Z) nor milliseconds since the epoch",
                parameter: name)
        }
        return us
    }

    /// `from`..<`to`, both required.
    static func range(_ query: FlatDictionary<Substring, Substring>) throws -> Range<Int64> {
        guard let from = query.get("from") else {
            throw APIProblem(.invalidParameter, "from is required", parameter: "from")
        }
        guard let to = query.get("to") else { throw APIProblem(.invalidParameter, "to is required", parameter: "to") }
        let lower = try time(Substring(from), name: "from")
        let upper = try time(Substring(to), name: "to")
        guard lower < upper else {
            throw APIProblem(.invalidTimeRange, "from (\(from)) must be before to (\(to))", parameter: "to")
        }
        return lower..<upper
    }

    /// `from`..<`to` if either is given (a missing end is open).
    static func optionalRange(_ query: FlatDictionary<Substring, Substring>) throws -> Range<Int64>? {
        let from = try query.get("from").map { try time(Substring($0), name: "from") }
        let to = try query.get("to").map { try time(Substring($0), name: "to") }
        guard from != nil || to != nil else { return nil }
        let lower = from ?? Int64.min + 1
        let upper = to ?? Int64.max
        guard lower < upper else {
            throw APIProblem(.invalidTimeRange, "from must be before to", parameter: "to")
        }
        return lower..<upper
    }

    /// A duration in µs.
    static func duration(_ text: Substring, name: String) throws -> Int64 {
        let units: [(suffix: String, micros: Int64)] = [
            ("ms", 1000), ("s", 1_000_000), ("m", 60_000_000), ("h", 3_600_000_000), ("d", 86_400_000_000),
        ]
        let invalid = APIProblem(
            .invalidParameter, "\(name)=\(text) is not a duration like 500ms, 10s, 15m, 1h, 1d or milliseconds",
            parameter: name)
        var number = text
        var scale: Int64 = 1000
        for unit in units where text.hasSuffix(unit.suffix) {
            let digits = text.dropLast(unit.suffix.count)
            if Int64(digits) != nil {
                number = digits
                scale = unit.micros
                break
            }
        }
        guard let n = Int64(number), n > 0 else { throw invalid }
        let (us, overflow) = n.multipliedReportingOverflow(by: scale)
        guard !overflow else { throw invalid }
        return us
    }
}
