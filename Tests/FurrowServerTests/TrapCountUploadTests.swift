import Foundation
import FurrowAgronomy
import Testing

@testable import FurrowServer

@Suite("Trap counts: uploads checked row by row, catch per trap per day")
struct TrapCountUploadTests {
    let utc = TimeZone(identifier: "UTC")!

    @Test("CSV with a date column: local noon, sorted, row numbers as lines")
    func csvRows() throws {
        let body = Data("date,count\n2026-04-14,3\r\n2026-04-07,0\n\n".utf8)
        let upload = try TrapCountUpload(body, csv: true, timeZone: TimeZone(identifier: "America/Los_Angeles")!)
        #expect(upload.rows.map(\.count) == [0, 3])
        #expect(upload.rows.map(\.number) == [3, 2])
        // 2026-04-07 12:00 PDT = 19:00Z.
        #expect(upload.rows[0].time == 1_775_588_400_000_000)
    }

    @Test("every bad row is named and nothing is accepted")
    func badRows() {
        let body = Data("time,count\n2026-04-07T08:00:00Z,2\n2026-04-08T08:00:00Z,-1\nyesterday,4\n2026-04-09T08:00:00Z,1.5\n2026-04-07T08:00:00Z,1\n2026-04-10T08:00:00Z\n".utf8)
        #expect {
            _ = try TrapCountUpload(body, csv: true, timeZone: utc)
        } throws: { error in
            guard let e = error as? TrapCountUploadError else { return false }
            return e.errors.map(\.row) == [3, 4, 5, 6, 7] && e.description.contains("row 4: time yesterday")
                && e.description.contains("same time as row 2")
        }
    }

    @Test("a header without a count column is refused at row 1")
    func missingColumn() {
        #expect(throws: TrapCountUploadError.self) { try TrapCountUpload(Data("time,n\nx,1\n".utf8), csv: true, timeZone: utc) }
    }

    @Test("JSON list or {counts: …}; a string count is read, a fractional one refused")
    func json() throws {
        let a = try TrapCountUpload(Data(#"[{"time":"2026-04-07T08:00:00Z","count":2},{"date":"2026-04-14","count":"5"}]"#.utf8), csv: false, timeZone: utc)
        #expect(a.rows.map(\.count) == [2, 5])
        let b = try TrapCountUpload(Data(#"{"counts":[{"time":"2026-04-07T08:00:00Z","count":2}]}"#.utf8), csv: false, timeZone: utc)
        #expect(b.rows.count == 1)
        #expect(throws: TrapCountUploadError.self) {
            try TrapCountUpload(Data(#"[{"time":"2026-04-07T08:00:00Z","count":2.5}]"#.utf8), csv: false, timeZone: utc)
        }
        #expect(throws: TrapCountUploadError.self) { try TrapCountUpload(Data("{}".utf8), csv: false, timeZone: utc) }
        #expect(throws: TrapCountUploadError.self) { try TrapCountUpload(Data("[]".utf8), csv: false, timeZone: utc) }
    }

    @Test("CTD = count ÷ days since the previous check; weeks, peaks and the sustained catch")
    func catchPerTrapPerDay() throws {
        // Checks on Tuesdays, one after 14 days (a missed service spreads one count over a longer exposure).
        let checks = [
            TrapCatch.Check(date: "2026-04-07", exposureDays: 7, count: 0),
            TrapCatch.Check(date: "2026-04-14", exposureDays: 7, count: 7),
            TrapCatch.Check(date: "2026-04-21", exposureDays: 7, count: 21),
            TrapCatch.Check(date: "2026-05-05", exposureDays: 14, count: 14),
            TrapCatch.Check(date: "2026-05-12", exposureDays: 7, count: 3),
        ]
        let c = try TrapCatch(checks)
        #expect(c.intervals.map(\.ctd) == [0, 1, 3, 1, 3.0 / 7])
        #expect(c.intervals.map(\.cumulative) == [0, 7, 28, 42, 45])
        #expect(c.firstCatch == "2026-04-14" && c.firstSustainedCatch == "2026-04-14")
        #expect(c.weeks.map(\.weekStart) == ["2026-04-06", "2026-04-13", "2026-04-20", "2026-04-27", "2026-05-04", "2026-05-11"])
        #expect(c.weeks.map(\.rate) == [0, 7, 21, nil, 7, 3])
        #expect(c.weeks.map(\.peak) == [false, false, true, false, false, false])
        #expect(throws: AgronomyError.self) { try TrapCatch([TrapCatch.Check(date: "2026-04-07", exposureDays: 0, count: 1)]) }
    }

    @Test("a position outside the field's boundary is outside")
    func boundary() throws {
        let b = try FieldBoundary(polygons: [[[[10, 45], [10.01, 45], [10.01, 45.01], [10, 45.01], [10, 45]]]])
        #expect(b.contains(longitude: 10.005, latitude: 45.005))
        #expect(!b.contains(longitude: 10.02, latitude: 45.005))
    }
}

@Suite("Yield-monitor CSV: columns, units and rows checked before anything is kept")
struct YieldCSVImportTests {
    @Test("imperial units are converted; interval from the time steps; CRLF lines")
    func units() throws {
        let csv = "Longitude,Latitude,Mass Flow (lb/s),Moisture (%),Speed (mph),Swath (ft),Time,Pass,Header\r\n"
            + "-93.1,42.0,44.092,18.0,4.5,30,100,1,1\r\n-93.1,42.0001,44.092,18.0,4.5,30,101,1,0\r\n"
        let upload = try YieldCSVImport(Data(csv.utf8))
        #expect(upload.records.count == 2)
        let r = upload.records[0]
        #expect(abs(r.massFlow - 44.092 * 0.45359237) < 1e-12 && abs(r.speed - 4.5 * 0.44704) < 1e-12)
        #expect(abs(r.swath - 9.144) < 1e-12 && r.interval == 1 && r.pass == 1 && r.headerDown && !upload.records[1].headerDown)
        #expect(upload.columns["massFlow"] == "Mass Flow (lb/s)")
    }

    @Test("distance instead of speed: speed = distance ÷ interval")
    func distance() throws {
        let upload = try YieldCSVImport(Data("lon,lat,flow [kg/s],moisture,dist (m),swath (m),time\n1,2,10,15,4,9,0\n1,2,10,15,6,9,2\n".utf8))
        #expect(upload.records.map(\.speed) == [2, 3])
    }

    @Test("missing columns, unknown or absent units and bad rows are named with their row")
    func refused() {
        func reasons(_ text: String) -> String {
            do {
                _ = try YieldCSVImport(Data(text.utf8))
                return ""
            } catch {
                return error.description
            }
        }
        #expect(reasons("lon,lat,flow (lb/s),moisture,time\n").contains("row 1: no swath column"))
        #expect(reasons("lon,lat,flow (lb/s),moisture,time\n").contains("row 1: no speed column"))
        #expect(reasons("lon,lat,flow (t/h),moisture,speed (m/s),swath (m),time\n").contains("unit t/h is not one of"))
        #expect(reasons("lon,lat,flow,moisture,speed (m/s),swath (m),time\n").contains("has no unit"))
        let bad = reasons("lon,lat,flow (kg/s),moisture,speed (m/s),swath (m),time\n1,2,3,4,5,6,7\n1,2,x,4,5,6,8\n1,200,3,4,5,6,9\n1,2,3,4,5,6,7\n")
        #expect(bad.contains("row 3: massFlow 'x' is not a number"))
        #expect(bad.contains("row 4: latitude 200"))
        #expect(bad.contains("row 5: time 7.0 does not increase after row 2"))
    }
}

@Suite("Scouting detections: malformed rows refuse the upload, outside points are flagged")
struct DetectionUploadTests {
    let square = try! FieldBoundary(polygons: [[[[10, 45], [10.01, 45], [10.01, 45.01], [10, 45.01], [10, 45]]]])

    @Test("GeoJSON: a point outside the boundary is flagged by its row and not kept")
    func geojson() throws {
        let body = #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[10.005,45.005]},"properties":{"class":"mite","confidence":0.8}},{"type":"Feature","geometry":{"type":"Point","coordinates":[10.02,45.005]},"properties":{"flight":"F9"}}]}"#
        let upload = try DetectionUpload(Data(body.utf8), csv: false, flight: "F1", boundary: square)
        #expect(upload.inside.count == 1 && upload.inside[0].detection.flightID == "F1" && upload.inside[0].detection.className == "mite")
        #expect(upload.outside.map(\.row) == [2])
    }

    @Test("CSV: a confidence outside 0…1 or a missing flight refuses the whole upload")
    func csv() {
        #expect(throws: DetectionUpload.Failure.self) {
            try DetectionUpload(Data("lon,lat,confidence\n10.005,45.005,1.5\n".utf8), csv: true, flight: "F1", boundary: square)
        }
        #expect(throws: DetectionUpload.Failure.self) {
            try DetectionUpload(Data("lon,lat\n10.005,45.005\n".utf8), csv: true, flight: nil, boundary: square)
        }
    }
}
