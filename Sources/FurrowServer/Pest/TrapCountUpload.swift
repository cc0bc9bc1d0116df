import Foundation
import FurrowStore

/// A trap-count upload (JSON or CSV) checked row by row before anything is stored, so a bad row refuses the whole
/// upload with every reason at once and a partial import never happens.
///
/// JSON: `[{"time": …, "count": …}]` or `{"counts": [...]}`; CSV: a header with `time` (or `date`) and `count`.
/// A time is RFC 3339 with a zone, or a local date YYYY-MM-DD (taken as local noon in the field's time zone).
public struct TrapCountUpload: Sendable, Hashable {
    /// One check: when, and how many insects were in the trap.
    public struct Row: Sendable, Hashable {
        /// The row number as the client sees it (CSV: line number, header = 1; JSON: 1-based index).
        public var number: Int
        /// µs since the epoch.
        public var time: Int64
        public var count: Int64
    }

    /// A refused row and why.
    public struct RowError: Error, Sendable, Hashable, CustomStringConvertible {
        public var row: Int
        public var reason: String
        public var description: String { row == 0 ? reason : "row \(row): \(reason)" }
    }

    /// Rows sorted by time.
    public var rows: [Row]

    /// The latest time accepted (2200-01-01), µs.
    static let latest: Int64 = 7_258_118_400_000_000

    /// Most rows one upload may hold.
    public static let maximumRows = 100_000

    /// Parses `body`; `csv` chooses the format. Throws every refused row (up to 50) when any is bad.
    public init(_ body: Data, csv: Bool, timeZone: TimeZone) throws(TrapCountUploadError) {
        var errors: [RowError] = []
        var rows: [Row] = []
        func add(_ number: Int, time: String?, count: String?) {
            guard let time, !time.isEmpty else { errors.append(RowError(row: number, reason: "time is missing")); return }
            guard let micros = Self.time(time, timeZone: timeZone), (0...Self.latest).contains(micros) else {
                errors.append(RowError(row: number, reason: "time \(time) is neither RFC 3339 with a zone nor a date YYYY-MM-DD (1970…2199)"))
                return
            }
            guard let count, !count.isEmpty else { errors.append(RowError(row: number, reason: "count is missing")); return }
            guard let value = Double(count), value.isFinite, value == value.rounded(), value >= 0, value < 1e9 else {
                errors.append(RowError(row: number, reason: "count \(count) is not a whole number ≥ 0"))
                return
            }
            rows.append(Row(number: number, time: micros, count: Int64(value)))
        }
        if csv {
            guard let text = String(data: body, encoding: .utf8) else {
                throw TrapCountUploadError(errors: [RowError(row: 0, reason: "the CSV body is not UTF-8")])
            }
            // "\r\n" is one Character in Swift: split on any newline character.
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            guard let header = lines.first else { throw TrapCountUploadError(errors: [RowError(row: 1, reason: "empty CSV")]) }
            let names = header.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard let timeColumn = names.firstIndex(where: { ["time", "date", "checked_at", "checkedat"].contains($0) }) else {
                throw TrapCountUploadError(errors: [RowError(row: 1, reason: "the header has no time (or date) column: \(header)")])
            }
            guard let countColumn = names.firstIndex(of: "count") else {
                throw TrapCountUploadError(errors: [RowError(row: 1, reason: "the header has no count column: \(header)")])
            }
            for (i, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard cells.count == names.count else {
                    errors.append(RowError(row: i + 1, reason: "\(cells.count) cells; the header has \(names.count)"))
                    continue
                }
                add(i + 1, time: cells[timeColumn], count: cells[countColumn])
            }
        } else {
            let document: JSONValue
            do {
                document = try JSONDecoder().decode(JSONValue.self, from: body)
            } catch {
                throw TrapCountUploadError(errors: [RowError(row: 0, reason: "the body is not JSON (send text/csv for CSV)")])
            }
            let list: [JSONValue]
            switch document {
            case .array(let a): list = a
            case .object(let o):
                guard case .array(let a)? = o["counts"] else { fallthrough }
                list = a
            default:
                throw TrapCountUploadError(errors: [RowError(row: 0, reason: "expected a list of {time, count} or {\"counts\": [...]}")])
            }
            for (i, item) in list.enumerated() {
                guard case .object(let o) = item else {
                    errors.append(RowError(row: i + 1, reason: "not an object {time, count}"))
                    continue
                }
                let time: String? = switch o["time"] ?? o["date"] { case .string(let s)?: s; default: nil }
                let count: String? =
                    switch o["count"] {
                    case .number(let n)?: n.isFinite && n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
                    case .string(let s)?: s
                    default: nil
                    }
                add(i + 1, time: time, count: count)
            }
        }
        if rows.count + errors.count > Self.maximumRows {
            throw TrapCountUploadError(errors: [RowError(row: 0, reason: "more than \(Self.maximumRows) rows")])
        }
        if rows.isEmpty && errors.isEmpty { errors.append(RowError(row: 0, reason: "no rows")) }
        rows.sort { ($0.time, $0.number) < ($1.time, $1.number) }
        for i in rows.indices.dropFirst() where rows[i].time == rows[i - 1].time {
            errors.append(RowError(row: rows[i].number, reason: "same time as row \(rows[i - 1].number): one check per time"))
        }
        guard errors.isEmpty else {
            throw TrapCountUploadError(errors: errors.sorted { $0.row < $1.row })
        }
        self.rows = rows
    }

    /// RFC 3339 with a zone, or YYYY-MM-DD as local noon.
    static func time(_ text: String, timeZone: TimeZone) -> Int64? {
        if text.count == 10, let c = FieldCatalog.parseDate(text) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            var noon = c
            noon.hour = 12
            return calendar.date(from: noon).map { Int64(($0.timeIntervalSince1970 * 1e6).rounded()) }
        }
        return StoreTime.parse(text)
    }
}

/// Every refused row of an upload (the first 50), with its row number and reason.
public struct TrapCountUploadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [TrapCountUpload.RowError]
    public var description: String {
        let shown = errors.prefix(50).map(\.description).joined(separator: "; ")
        return errors.count > 50 ? shown + "; … \(errors.count - 50) more" : shown
    }
}
