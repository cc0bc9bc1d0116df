import Foundation
import Testing

@testable import FurrowStore

/// Time parsing against Python's `datetime.fromisoformat` (values printed by CPython 3.11), CSV cells per
/// RFC 4180, and both importers through a real store.
@Suite("Import")
struct ImportTests {
    @Test("ISO 8601 times parse to the µs CPython computes, and format back", arguments: [
        ("2024-05-01T06:00:00Z", Int64(1_714_543_200_000_000)),
        ("1969-12-31T23:59:59.5Z", -500_000),
        ("2024-02-29T12:34:56.123456+02:00", 1_709_202_896_123_456),
        ("1900-03-01 00:00:00Z", -2_203_891_200_000_000),
    ])
    func isoTimes(text: String, micros: Int64) {
        #expect(StoreTime.parse(text) == micros)
        #expect(StoreTime.parse(StoreTime.format(micros)) == micros)
    }

    @Test("times without a zone, or malformed, are refused")
    func badTimes() {
        for text in ["2024-05-01T06:00:00", "2024-13-01T00:00:00Z", "2024-05-01T06:00Z", "yesterday", "2024-05-01T06:00:00.Z"] {
            #expect(StoreTime.parse(text) == nil, "\(text)")
        }
    }

    @Test("CSV cells follow RFC 4180 quoting")
    func csvCells() {
        #expect(CSVImporter.cells("a,b,,c") == ["a", "b", "", "c"])
        #expect(CSVImporter.cells(#""x,y","say ""hi""",z"#) == ["x,y", #"say "hi""#, "z"])
        #expect(CSVImporter.cells("a,b\r") == ["a", "b"])
        #expect(CSVImporter.cells(#""open"#) == nil)
    }

    @Test("CSV and line protocol land in the store; refused rows are counted with line numbers")
    func importers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-import-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try TimeSeriesStore(path: directory.appendingPathComponent("s.sqlite").path)
        let group = StoreGroupKey(project: "p", source: "n7", name: "soil")
        var csv = CSVImporter(store: store, group: group)
        let lines = [
            "time,moisture,ok", "2024-05-01T00:00:00Z,23,true", "1714522200.5,23.4,false", "2024-05-01T00:20:00Z,,true",
            "2024-05-01T00:30:00Z,24,maybe",
        ]
        for (n, line) in lines.enumerated() { try await csv.add(line: line, number: n + 1) }
        try await csv.commit()
        #expect(csv.report.points == 2 && csv.report.refused == 2)
        #expect(csv.report.problems.map { $0.prefix(7) } == ["line 4:", "line 5:"])
        let moisture = try await store.readAll(StoreSeriesKey(group: group, channel: "moisture"), in: .min..<Int64.max)
        #expect(moisture.timestamps == [1_714_521_600_000_000, 1_714_522_200_500_000])
        #expect(moisture.values.isIdentical(to: .float64([23, 23.4])))

        var lp = LineProtocolImporter(store: store, project: "p", precision: .ms)
        try await lp.add(line: "gps,source=d1 lat=5i,alt=1.5 1714521600000", number: 1, now: 0)
        try await lp.add(line: "gps,source=d1 lat=6i 1714521601000", number: 2, now: 0)  // fields differ: refused
        try await lp.add(line: "gps,source=d1 alt=2.5,lat=7i", number: 3, now: 42)  // no timestamp: now
        try await lp.commit()
        #expect(lp.report.points == 2 && lp.report.refused == 1)
        let lat = try await store.readAll(
            StoreSeriesKey(group: StoreGroupKey(project: "p", source: "d1", name: "gps"), channel: "lat"), in: .min..<Int64.max)
        #expect(lat.timestamps == [42, 1_714_521_600_000_000])
        #expect(lat.values.isIdentical(to: .int64([7, 5])))
    }
}
