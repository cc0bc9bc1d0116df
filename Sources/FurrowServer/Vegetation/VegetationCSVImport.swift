import Foundation
import FurrowAgronomy

/// A multispectral survey uploaded as CSV: `lon`, `lat` and calibrated band reflectances (`green`, `red`,
/// `rededge`, `nir`, fractions 0–1) or index columns (`ndvi`, `ndre`, …), checked row by row: a malformed row
/// refuses the whole file (with every row number and reason); a sample outside the field is kept out and flagged.
public struct VegetationCSVImport: Sendable {
    public typealias RowIssue = UploadedRowIssue
    public typealias Failure = UploadedRowsRefused

    public var samples: [VegetationGrid.Sample]
    /// Samples outside the field boundary, not stored.
    public var outside: [RowIssue]
    /// The indices the file gives (computed from bands, or given as columns).
    public var indices: [VegetationIndex]

    public static let maximumRows = 2_000_000

    public init(_ body: Data, boundary: FieldBoundary?) throws(Failure) {
        guard let text = String(data: body, encoding: .utf8) else {
            throw Failure(errors: [RowIssue(row: 1, reason: "the CSV body is not UTF-8")])
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let headerLine = lines.first else { throw Failure(errors: [RowIssue(row: 1, reason: "empty file")]) }
        let header = headerLine.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ names: [String]) -> Int? { header.firstIndex { names.contains($0) } }
        guard let lonColumn = column(["lon", "longitude", "x"]), let latColumn = column(["lat", "latitude", "y"]) else {
            throw Failure(errors: [RowIssue(row: 1, reason: "the header needs lon and lat columns (got \(header.joined(separator: ",")))")])
        }
        let bandColumns: [(SpectralBand, Int)] = [
            (.green, column(["green", "g"])), (.red, column(["red", "r"])), (.redEdge, column(["rededge", "red_edge", "re"])),
            (.nir, column(["nir", "n"])),
        ].compactMap { band, index in index.map { (band, $0) } }
        let indexColumns: [(VegetationIndex, Int)] = VegetationIndex.allCases.compactMap { index in
            column([index.rawValue]).map { (index, $0) }
        }
        let bands = Set(bandColumns.map(\.0))
        let computed = VegetationIndex.allCases.filter { $0.bands.isSubset(of: bands) && !indexColumns.map(\.0).contains($0) }
        indices = (computed + indexColumns.map(\.0)).sorted { $0.rawValue < $1.rawValue }
        guard !indices.isEmpty else {
            throw Failure(errors: [RowIssue(
                row: 1, reason: "no index can be computed: give nir with red, rededge or green reflectance, or ndvi/ndre columns")])
        }
        var samples: [VegetationGrid.Sample] = []
        var outside: [RowIssue] = []
        var errors: [RowIssue] = []
        for (i, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let row = i + 1
            guard samples.count + outside.count < Self.maximumRows else {
                errors.append(RowIssue(row: row, reason: "more than \(Self.maximumRows) samples"))
                break
            }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func number(_ c: Int) -> Double? { c < cells.count ? Double(cells[c]) : nil }
            var reasons: [String] = []
            let lon = number(lonColumn), lat = number(latColumn)
            if lon == nil || !(-180...180).contains(lon ?? .nan) { reasons.append("longitude missing or outside -180…180") }
            if lat == nil || !(-90...90).contains(lat ?? .nan) { reasons.append("latitude missing or outside -90…90") }
            var reflectance = Reflectance()
            for (band, c) in bandColumns {
                guard let v = number(c), v.isFinite else {
                    reasons.append("\(band.rawValue) is not a number")
                    continue
                }
                guard (0...1.5).contains(v) else {
                    reasons.append("\(band.rawValue) reflectance \(v) is not a fraction 0–1 (percent? divide by 100)")
                    continue
                }
                switch band {
                case .green: reflectance.green = v
                case .red: reflectance.red = v
                case .redEdge: reflectance.redEdge = v
                case .nir: reflectance.nir = v
                }
            }
            var values: [VegetationIndex: Double] = [:]
            for (index, c) in indexColumns {
                guard let v = number(c), v.isFinite, index == .ciRedEdge ? v >= -1 : (-1...1).contains(v) else {
                    reasons.append("\(index.rawValue) is not a number in its range")
                    continue
                }
                values[index] = v
            }
            guard reasons.isEmpty, let lon, let lat else {
                errors.append(RowIssue(row: row, reason: reasons.joined(separator: "; ")))
                continue
            }
            for index in computed { values[index] = index.value(reflectance) }
            if let boundary, !boundary.contains(longitude: lon, latitude: lat) {
                outside.append(RowIssue(row: row, reason: "outside the field boundary"))
                continue
            }
            samples.append(VegetationGrid.Sample(longitude: lon, latitude: lat, values: values))
        }
        guard errors.isEmpty else { throw Failure(errors: errors) }
        guard !samples.isEmpty else {
            throw Failure(errors: [RowIssue(row: 2, reason: "no sample inside the field")] + outside.prefix(5))
        }
        self.samples = samples
        self.outside = outside
    }
}
