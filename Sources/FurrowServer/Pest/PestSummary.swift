import Foundation

/// A field's pest summary for one model over local days: daily degree-days from the field's weather, the
/// accumulation from the biofix, milestones reached, trap summaries and disease risk — each with its inputs.
public struct PestSummary: Sendable {
    /// The answer as JSON values.
    public var document: [String: JSONValue]
    /// One flat row per day, for CSV.
    public var rows: [[String: JSONValue]]

    /// CSV columns, in order.
    public static let csvColumns = [
        "date", "tMin", "tMax", "degreeDays", "cumulative", "milestones", "trapCount", "powderyMildewIndex",
        "flags",
    ]

    /// The days as CSV text (RFC 4180, header first).
    public var csv: String {
        var out = Self.csvColumns.joined(separator: ",") + "\n"
        for row in rows {
            out += Self.csvColumns.map { key -> String in
                switch row[key] ?? .null {
                case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
                case .bool(let b): return b ? "true" : "false"
                case .string(let s):
                    return s.contains(",") || s.contains("\"") || s.contains("\n")
                        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
                default: return ""
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }
}
