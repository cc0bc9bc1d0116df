/// Feeds a CSV file (a header row, a time column, one column per channel) into one row group of the store.
///
/// Spreadsheets and loggers export this shape. The time column is the one named `--time-column`, else the
/// first whose name is `time`, `timestamp` or `date`, else the first column; it holds ISO 8601 with a zone or
/// numbers in the given precision (fractions allowed). Channel types come from the first data row: numbers
/// (float64), `true`/`false`, else text. A row that does not fit (wrong cell count, an empty or mistyped cell,
/// a bad time) is refused with its line number. Quoted cells follow RFC 4180 but must not span lines.
public struct CSVImporter {
    public typealias Report = LineProtocolImporter.Report

    let store: TimeSeriesStore
    let group: StoreGroupKey
    let requestedTimeColumn: String?
    let precision: LineProtocolImporter.Precision
    let batchRows: Int
    var header: [String]?
    var timeIndex = 0
    var channels: [StoreChannel]?
    var timestamps: [Int64] = []
    var cells: [[String]] = []
    public private(set) var report = Report()

    public init(
        store: TimeSeriesStore, group: StoreGroupKey, timeColumn: String? = nil,
        precision: LineProtocolImporter.Precision = .s, batchRows: Int = 8192
    ) {
        self.store = store
        self.group = group
        self.requestedTimeColumn = timeColumn
        self.precision = precision
        self.batchRows = batchRows
    }

    /// Splits one CSV line into cells (RFC 4180 quoting); nil if a quote is not closed.
    public static func cells(_ line: some StringProtocol) -> [String]? {
        var out: [String] = []
        var cell = ""
        var quoted = false
        var atCellStart = true
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            cell.append("\"")
                        } else {
                            quoted = false
                            if next == "," {
                                out.append(cell)
                                cell = ""
                                atCellStart = true
                            } else if next != "\r" {
                                cell.append(next)
                            }
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" && atCellStart {
                quoted = true
                atCellStart = false
            } else if c == "," {
                out.append(cell)
                cell = ""
                atCellStart = true
            } else if c != "\r" {
                cell.append(c)
                atCellStart = false
            }
        }
        if quoted { return nil }
        out.append(cell)
        return out
    }

    public mutating func add(line: some StringProtocol, number: Int) async throws {
        report.lines += 1
        if line.allSatisfy({ $0 == " " || $0 == "\r" }) { return }
        guard let row = Self.cells(line) else {
            refuse(number, "a quoted cell is not closed")
            return
        }
        guard let header else {
            let names = row.map { $0.trimmingSpaces }
            self.header = names
            if let requested = requestedTimeColumn {
                guard let index = names.firstIndex(of: requested) else {
                    throw StoreError.unknownSeries("CSV time column \(requested) (columns: \(names))")
                }
                timeIndex = index
            } else {
                timeIndex = names.firstIndex { ["time", "timestamp", "date"].contains($0.lowercased()) } ?? 0
            }
            return
        }
        guard row.count == header.count else {
            refuse(number, "\(row.count) cells, the header has \(header.count)")
            return
        }
        guard let time = parseTime(row[timeIndex].trimmingSpaces) else {
            refuse(number, "time \(row[timeIndex].debugDescription) is neither ISO 8601 with a zone nor a number")
            return
        }
        var values = row
        values.remove(at: timeIndex)
        var names = header
        names.remove(at: timeIndex)
        if channels == nil {
            channels = zip(names, values).map { name, cell in StoreChannel(name: name, valueType: Self.type(of: cell)) }
        }
        for (channel, cell) in zip(channels!, values) where !Self.fits(cell, channel.valueType) {
            refuse(number, "\(channel.name) = \(cell.debugDescription) is not \(channel.valueType)")
            return
        }
        timestamps.append(time)
        cells.append(values)
        report.points += 1
        report.values += values.count
        if timestamps.count >= batchRows { try await commit() }
    }

    public mutating func commit() async throws {
        guard let channels, !timestamps.isEmpty else { return }
        let columns: [StoreColumn] = channels.enumerated().map { i, channel in
            let column = cells.map { $0[i].trimmingSpaces }
            switch channel.valueType {
            case .int64: return .int64(column.map { Int64($0)! })
            case .float64: return .float64(column.map { Double($0)! })
            case .bool: return .bool(column.map { $0.lowercased() == "true" })
            default: return .string(cells.map { $0[i] })
            }
        }
        try await store.append(group, channels: channels, timestamps: timestamps, columns: columns)
        timestamps.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
    }

    func parseTime(_ text: String) -> Int64? {
        if let iso = StoreTime.parse(text), text.contains("-") { return iso }
        if let whole = Int64(text) { return precision.micros(whole) }
        guard let value = Double(text), value.isFinite else { return nil }
        let perUnit: Double = switch precision {
        case .ns: 0.001
        case .us: 1
        case .ms: 1000
        case .s: 1_000_000
        }
        let micros = (value * perUnit).rounded()
        return abs(micros) < 9.2e18 ? Int64(micros) : nil
    }

    static func type(of cell: String) -> StoreValueType {
        let text = cell.trimmingSpaces
        // Integers too are float64: sensor columns start "23" and go on "23.4". Exact integers up to 2^53 stay
        // exact, and the decimal codec stores them as compactly as integers.
        if let v = Double(text), v.isFinite || text.lowercased().contains("nan") || text.lowercased().contains("inf") {
            return .float64
        }
        if ["true", "false"].contains(text.lowercased()) { return .bool }
        return .string
    }

    static func fits(_ cell: String, _ type: StoreValueType) -> Bool {
        let text = cell.trimmingSpaces
        switch type {
        case .int64: return Int64(text) != nil
        case .float64: return Double(text) != nil
        case .bool: return ["true", "false"].contains(text.lowercased())
        default: return true
        }
    }

    mutating func refuse(_ line: Int, _ message: String) {
        report.refused += 1
        if report.problems.count < 100 { report.problems.append("line \(line): \(message)") }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
