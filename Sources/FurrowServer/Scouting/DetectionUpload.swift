import Foundation
import FurrowAgronomy

/// Scouting detections uploaded as GeoJSON (Point features with `class`, `confidence`, `flight` properties) or CSV
/// (`lon`, `lat`, `class`, `confidence`, `flight` columns), checked row by row: a malformed row refuses the whole
/// upload; a well-formed detection outside the field's boundary is kept out and flagged with its row and reason.
public struct DetectionUpload: Sendable {
    /// One accepted detection and the row it came from (GeoJSON: 1-based feature index; CSV: line, header = 1).
    public struct Row: Sendable, Hashable {
        public var number: Int
        public var detection: ScoutingHotspots.Detection
    }

    public typealias RowIssue = UploadedRowIssue
    public typealias Failure = UploadedRowsRefused

    public var inside: [Row]
    /// Detections outside the boundary, not stored.
    public var outside: [RowIssue]

    /// Most detections one upload may hold.
    public static let maximumRows = 500_000

    public init(_ body: Data, csv: Bool, flight: String?, boundary: FieldBoundary) throws(Failure) {
        var rows: [Row] = []
        var errors: [RowIssue] = []
        func add(_ n: Int, lon: Double?, lat: Double?, className: String?, confidence: Double?, flight rowFlight: String?) {
            var reasons: [String] = []
            if lon == nil || !(-180...180).contains(lon ?? .nan) { reasons.append("longitude missing or outside -180…180") }
            if lat == nil || !(-90...90).contains(lat ?? .nan) { reasons.append("latitude missing or outside -90…90") }
            let c = confidence ?? 1
            if !(c.isFinite && (0...1).contains(c)) { reasons.append("confidence \(c) is outside 0…1") }
            let f = (rowFlight?.isEmpty == false ? rowFlight : nil) ?? flight
            if f == nil { reasons.append("no flight: give a flight column/property or ?flight=") }
            guard reasons.isEmpty, let lon, let lat, let f else {
                errors.append(RowIssue(row: n, reason: reasons.joined(separator: "; ")))
                return
            }
            rows.append(Row(
                number: n,
                detection: ScoutingHotspots.Detection(longitude: lon, latitude: lat, className: className ?? "", confidence: c, flightID: f)))
        }
        if csv {
            guard let text = String(data: body, encoding: .utf8) else {
                throw Failure(errors: [RowIssue(row: 1, reason: "the CSV body is not UTF-8")])
            }
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            let names = (lines.first ?? "").split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            func column(_ candidates: [String]) -> Int? { names.firstIndex { candidates.contains($0) } }
            guard let lonColumn = column(["lon", "longitude", "lng", "x"]), let latColumn = column(["lat", "latitude", "y"]) else {
                throw Failure(errors: [RowIssue(row: 1, reason: "the header needs lon and lat columns: \(lines.first ?? "")")])
            }
            let classColumn = column(["class", "label", "category"])
            let confidenceColumn = column(["confidence", "score", "probability"])
            let flightColumn = column(["flight", "flight_id", "flightid"])
            for (i, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count == names.count else {
                    errors.append(RowIssue(row: i + 1, reason: "\(cells.count) cells; the header has \(names.count)"))
                    continue
                }
                var confidence: Double?
                if let c = confidenceColumn, !cells[c].isEmpty {
                    guard let v = Double(cells[c]) else {
                        errors.append(RowIssue(row: i + 1, reason: "confidence '\(cells[c])' is not a number"))
                        continue
                    }
                    confidence = v
                }
                add(i + 1, lon: Double(cells[lonColumn]), lat: Double(cells[latColumn]), className: classColumn.map { cells[$0] },
                    confidence: confidence, flight: flightColumn.map { cells[$0] })
            }
        } else {
            guard case .object(let document)? = try? JSONDecoder().decode(JSONValue.self, from: body),
                document["type"] == .string("FeatureCollection"), case .array(let features)? = document["features"]
            else {
                throw Failure(errors: [RowIssue(row: 0, reason: "expected a GeoJSON FeatureCollection of Point features (or send text/csv)")])
            }
            for (i, feature) in features.enumerated() {
                guard case .object(let f) = feature, case .object(let geometry)? = f["geometry"],
                    geometry["type"] == .string("Point"), case .array(let xy)? = geometry["coordinates"], xy.count >= 2,
                    case .number(let lon) = xy[0], case .number(let lat) = xy[1]
                else {
                    errors.append(RowIssue(row: i + 1, reason: "not a Point feature with [lon, lat] coordinates"))
                    continue
                }
                var properties: [String: JSONValue] = [:]
                if case .object(let p)? = f["properties"] { properties = p }
                var confidence: Double?
                switch properties["confidence"] {
                case .number(let v)?: confidence = v
                case nil, .null?: break
                default:
                    errors.append(RowIssue(row: i + 1, reason: "confidence is not a number"))
                    continue
                }
                let className: String? = if case .string(let s)? = properties["class"] { s } else { nil }
                let flightText: String? =
                    switch properties["flight"] {
                    case .string(let s)?: s
                    case .number(let n)?: n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
                    default: nil
                    }
                add(i + 1, lon: lon, lat: lat, className: className, confidence: confidence, flight: flightText)
            }
        }
        if rows.count + errors.count > Self.maximumRows {
            throw Failure(errors: [RowIssue(row: 0, reason: "more than \(Self.maximumRows) detections")])
        }
        if rows.isEmpty && errors.isEmpty { errors.append(RowIssue(row: 0, reason: "no detections")) }
        guard errors.isEmpty else { throw Failure(errors: errors) }
        inside = []
        outside = []
        for row in rows {
            if boundary.contains(longitude: row.detection.longitude, latitude: row.detection.latitude) {
                inside.append(row)
            } else {
                outside.append(RowIssue(
                    row: row.number,
                    reason: "(\(row.detection.longitude), \(row.detection.latitude)) is outside the field's boundary: not stored"))
            }
        }
    }
}
