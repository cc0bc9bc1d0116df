import Foundation
import FurrowAgronomy
import FurrowStore

/// A yield-monitor CSV export read into SI ``YieldRecord``s, every row checked before anything is kept, so a file
/// with a missing column, an unknown unit or a bad row is refused whole with the row number and the reason.
///
/// Header names are matched case-insensitively, ignoring spaces, `_` and `-`; the unit goes in brackets or
/// parentheses after the name (`Mass Flow (lb/s)`, `speed [km/h]`).
///
/// | quantity | names | units |
/// |---|---|---|
/// | longitude, latitude | `lon`/`long`/`longitude`/`x`, `lat`/`latitude`/`y` | degrees (WGS 84) |
/// | mass flow (wet) | `massflow`, `flow`, `cropflow`, `yieldflow`, `grainflow` | `lb/s`, `kg/s` (required) |
/// | moisture | `moisture`, `moist`, `h2o`, `grainmoisture` | `%` (default) |
/// | speed | `speed`, `velocity`, `groundspeed` | `m/s`, `km/h`, `mph`, `ft/s` (required) |
/// | swath | `swath`, `swathwidth`, `width`, `swth` | `m`, `ft`, `in` (required) |
/// | time | `time`, `timestamp`, `gpstime`, `datetime` | seconds, or RFC 3339 text |
/// | distance (optional) | `distance`, `dist` | `m`, `ft`, `in` (required); replaces speed as distance ÷ interval if no speed |
/// | interval (optional) | `interval`, `duration`, `elapsed` | seconds; default: time since the previous record (first: the next gap) |
/// | pass (optional) | `pass`, `passnum`, `passnumber`, `track` | — |
/// | header (optional) | `header`, `headerstatus`, `headerdown` | 1/0, true/false, down/up |
///
/// Required: longitude, latitude, mass flow, moisture, swath, time, and speed or distance.
public struct YieldCSVImport: Sendable {
    /// A refused row (row 1 is the header) and why.
    public struct RowError: Error, Sendable, Hashable, CustomStringConvertible {
        public var row: Int
        public var reason: String
        public var description: String { "row \(row): \(reason)" }
    }

    /// Every refused row (the first 50 shown).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var errors: [RowError]
        public var description: String {
            let shown = errors.prefix(50).map(\.description).joined(separator: "; ")
            return errors.count > 50 ? shown + "; … \(errors.count - 50) more" : shown
        }
    }

    enum Quantity: String, CaseIterable {
        case longitude, latitude, massFlow, moisture, speed, swath, time, distance, interval, pass, header

        var names: Set<String> {
            switch self {
            case .longitude: ["lon", "long", "longitude", "x", "lng"]
            case .latitude: ["lat", "latitude", "y"]
            case .massFlow: ["massflow", "flow", "cropflow", "yieldflow", "grainflow", "wetmassflow"]
            case .moisture: ["moisture", "moist", "h2o", "grainmoisture"]
            case .speed: ["speed", "velocity", "groundspeed"]
            case .swath: ["swath", "swathwidth", "width", "swth", "swthwdth"]
            case .time: ["time", "timestamp", "gpstime", "datetime"]
            case .distance: ["distance", "dist"]
            case .interval: ["interval", "duration", "elapsed"]
            case .pass: ["pass", "passnum", "passnumber", "track"]
            case .header: ["header", "headerstatus", "headerdown"]
            }
        }

        /// Unit → factor to SI; nil = no unit allowed; the default unit when the header gives none.
        var units: (table: [String: Double], defaultUnit: String?)? {
            switch self {
            case .massFlow: (["lb/s": DryYield.kilogramsPerPound, "kg/s": 1], nil)
            case .moisture: (["%": 1], "%")
            case .speed: (["m/s": 1, "km/h": 1 / 3.6, "kph": 1 / 3.6, "mph": 0.44704, "ft/s": 0.3048], nil)
            case .swath, .distance: (["m": 1, "ft": 0.3048, "in": 0.0254], nil)
            case .interval: (["s": 1], "s")
            case .longitude, .latitude: (["deg": 1, "°": 1], "deg")
            case .time: (["s": 1], "s")
            case .pass, .header: nil
            }
        }
    }

    /// The records, in file order (time must increase).
    public var records: [YieldRecord]
    /// Which header column fed each quantity, and its unit.
    public var columns: [String: String]

    /// Most records one file may hold.
    public static let maximumRecords = 2_000_000

    public init(_ data: Data) throws(Failure) {
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw Failure(errors: [RowError(row: 1, reason: "the file is neither UTF-8 nor Latin-1 text")])
        }
        // "\r\n" is one Character in Swift: split on any newline character.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let headerLine = lines.first else { throw Failure(errors: [RowError(row: 1, reason: "empty file")]) }
        let separator: Character = headerLine.contains(",") ? "," : headerLine.contains(";") ? ";" : "\t"
        var column: [Quantity: (index: Int, factor: Double, label: String)] = [:]
        var headerErrors: [RowError] = []
        for (i, raw) in headerLine.split(separator: separator, omittingEmptySubsequences: false).enumerated() {
            let cell = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            var name = cell
            var unit: String?
            if let open = cell.firstIndex(where: { $0 == "(" || $0 == "[" }) {
                name = String(cell[..<open])
                unit = cell[cell.index(after: open)...].trimmingCharacters(in: CharacterSet(charactersIn: ")] "))
            }
            let key = name.lowercased().filter { !" _-.".contains($0) }
            guard let q = Quantity.allCases.first(where: { $0.names.contains(key) }), column[q] == nil else { continue }
            var factor = 1.0
            if let units = q.units {
                guard let u = (unit?.lowercased()).map({ $0 == "percent" ? "%" : $0 }) ?? units.defaultUnit else {
                    headerErrors.append(RowError(
                        row: 1, reason: "column '\(cell)' (\(q.rawValue)) has no unit: write it as '\(name) (\(units.table.keys.sorted().joined(separator: "|")))'"))
                    continue
                }
                guard let f = units.table[u] else {
                    headerErrors.append(RowError(
                        row: 1, reason: "column '\(cell)': unit \(u) is not one of \(units.table.keys.sorted().joined(separator: ", ")) for \(q.rawValue)"))
                    continue
                }
                factor = f
            }
            column[q] = (i, factor, cell)
        }
        var missing = [Quantity.longitude, .latitude, .massFlow, .moisture, .swath, .time].filter { column[$0] == nil }
        if column[.speed] == nil && column[.distance] == nil { missing.append(.speed) }
        let unitRejected = Set(headerErrors.map(\.reason))
        for q in missing where !unitRejected.contains(where: { $0.contains("(\(q.rawValue))") || $0.contains("for \(q.rawValue)") }) {
            headerErrors.append(RowError(
                row: 1, reason: "no \(q.rawValue) column (accepted names: \(q.names.sorted().joined(separator: ", ")))\(q == .speed ? " and no distance column" : "")"))
        }
        guard headerErrors.isEmpty else { throw Failure(errors: headerErrors) }
        guard lines.count - 1 <= Self.maximumRecords else {
            throw Failure(errors: [RowError(row: 0, reason: "more than \(Self.maximumRecords) records")])
        }

        struct Raw {
            var row: Int
            var time: Double
            var lon: Double, lat: Double, flow: Double, moisture: Double, swath: Double
            var speed: Double?, distance: Double?, interval: Double?
            var pass: Int
            var header: Bool
        }
        var raws: [Raw] = []
        var errors: [RowError] = []
        let width = (column.values.map(\.index).max() ?? 0) + 1
        for (n, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let row = n + 1
            let cells = line.split(separator: separator, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard cells.count >= width else {
                errors.append(RowError(row: row, reason: "\(cells.count) cells; the columns used need \(width)"))
                continue
            }
            var rowErrors: [String] = []
            func number(_ q: Quantity, _ range: ClosedRange<Double>? = nil) -> Double? {
                guard let c = column[q] else { return nil }
                let text = cells[c.index]
                guard let v = Double(text), v.isFinite else {
                    rowErrors.append("\(q.rawValue) '\(text)' is not a number")
                    return nil
                }
                let si = v * c.factor
                if let range, !range.contains(si) {
                    rowErrors.append("\(q.rawValue) \(text) is outside \(range.lowerBound)…\(range.upperBound)")
                    return nil
                }
                return si
            }
            let lon = number(.longitude, -180...180)
            let lat = number(.latitude, -90...90)
            let flow = number(.massFlow, 0...1_000)
            let moisture = number(.moisture, 0...99.9)
            let swath = number(.swath, 0...100)
            let speed = number(.speed, 0...50)
            let distance = number(.distance, 0...1_000)
            let interval = number(.interval, 0.001...3_600)
            var time: Double?
            if let c = column[.time] {
                let text = cells[c.index]
                if let v = Double(text), v.isFinite {
                    time = v
                } else if let micros = StoreTime.parse(text) {
                    time = Double(micros) / 1e6
                } else {
                    rowErrors.append("time '\(text)' is neither seconds nor RFC 3339")
                }
            }
            var pass = 0
            if let c = column[.pass] {
                if let p = Int(cells[c.index]) { pass = p } else { rowErrors.append("pass '\(cells[c.index])' is not a whole number") }
            }
            var header = true
            if let c = column[.header] {
                switch cells[c.index].lowercased() {
                case "1", "true", "down", "d", "yes": header = true
                case "0", "false", "up", "u", "no": header = false
                default: rowErrors.append("header '\(cells[c.index])' is not 1/0, true/false or down/up")
                }
            }
            if !rowErrors.isEmpty {
                errors.append(RowError(row: row, reason: rowErrors.joined(separator: "; ")))
                continue
            }
            guard let time, let lon, let lat, let flow, let moisture, let swath else { continue }
            if let previous = raws.last, time <= previous.time {
                errors.append(RowError(row: row, reason: "time \(time) does not increase after row \(previous.row) (\(previous.time))"))
                continue
            }
            raws.append(Raw(
                row: row, time: time, lon: lon, lat: lat, flow: flow, moisture: moisture, swath: swath, speed: speed,
                distance: distance, interval: interval, pass: pass, header: header))
        }
        if raws.isEmpty && errors.isEmpty { errors.append(RowError(row: 2, reason: "no records")) }
        guard errors.isEmpty else { throw Failure(errors: errors) }
        var records: [YieldRecord] = []
        records.reserveCapacity(raws.count)
        for (i, r) in raws.enumerated() {
            let gap = i > 0 ? r.time - raws[i - 1].time : (raws.count > 1 ? raws[1].time - r.time : 1)
            let interval = r.interval ?? gap
            let speed = r.speed ?? (r.distance ?? 0) / interval
            records.append(YieldRecord(
                time: r.time, longitude: r.lon, latitude: r.lat, massFlow: r.flow, moisture: r.moisture, speed: speed,
                swath: r.swath, interval: interval, pass: r.pass, headerDown: r.header))
        }
        self.records = records
        var columns: [String: String] = [:]
        for (q, c) in column { columns[q.rawValue] = c.label }
        self.columns = columns
    }
}
