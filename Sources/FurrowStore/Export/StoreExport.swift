/// Row values as CSV cells and line-protocol points: one spelling for the CLI's and the API's exports.
public enum StoreExport {
    /// The value at row `i` of `column` as a line-protocol field value (its type decides the suffix).
    public static func value(_ column: StoreColumn, _ i: Int) -> LineProtocolValue {
        switch column {
        case .float64(let v): .float(v[i])
        case .float32(let v): .float(Double(v[i]))
        case .int64(let v), .state(let v), .timestamp(let v): .integer(v[i])
        case .bool(let v): .boolean(v[i])
        case .string(let v): .string(v[i])
        }
    }

    /// A CSV cell (RFC 4180 quoting for strings that need it).
    public static func csvText(_ value: LineProtocolValue) -> String {
        switch value {
        case .float(let v): "\(v)"
        case .integer(let v): "\(v)"
        case .unsigned(let v): "\(v)"
        case .boolean(let v): v ? "true" : "false"
        case .string(let s): csvQuoted(s)
        }
    }

    /// `s` as a CSV cell, quoted when it holds a comma, quote or line break.
    public static func csvQuoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : s
    }

    /// One line-protocol line for a row group: measurement = group name, tags = source and the group's tags,
    /// ns timestamp (none if it would overflow).
    public static func line(_ key: StoreGroupKey, fields: [(key: String, value: LineProtocolValue)], micros: Int64) -> String {
        var tags = [(key: "source", value: key.source)]
        tags += key.tags.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        let (ns, overflow) = micros.multipliedReportingOverflow(by: 1000)
        return LineProtocol.format(
            LineProtocolPoint(measurement: key.name, tags: tags, fields: fields, timestamp: overflow ? nil : ns))
    }
}
