import Foundation
import Testing

@testable import FurrowLogs

/// Summaries of the real logs (facts checked by hand against pymavlink/pyulog; the numeric cross-check is
/// Tests/CrossCheck/test_flight_summary_crosscheck.py), mode tables, and a cut file.
@Suite("flight summary")
struct FlightSummaryTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/realdata/flightlogs").standardized

    static func real(_ name: String) throws -> [UInt8] {
        let url = realData.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return [UInt8](data)
    }

    @Test("mode tables name what pymavlink names")
    func modes() {
        #expect(FlightModeNames.arduPilot(19, vehicle: .plane) == "QLOITER")
        #expect(FlightModeNames.arduPilot(10, vehicle: .plane) == "AUTO")
        #expect(FlightModeNames.arduPilot(5, vehicle: .copter) == "LOITER")
        #expect(FlightModeNames.arduPilot(16, vehicle: .copter) == "POSHOLD")
        #expect(FlightModeNames.arduPilot(12, vehicle: .copter) == "Mode(12)")
        #expect(FlightModeNames.arduPilotVehicle(mavType: 2) == .copter)
        #expect(FlightModeNames.arduPilotVehicle(mavType: 1) == .plane)
        #expect(FlightModeNames.arduPilotVehicle(mavType: 20) == .plane)
        #expect(FlightModeNames.arduPilotVehicle(banner: "ArduCopter V4.5.1 (abc)") == .copter)
        #expect(FlightModeNames.arduPilotVehicle(banner: "ArduPlane V3.8.2-dev (8178ab40)") == .plane)
        #expect(FlightModeNames.px4(navState: 3) == "AUTO_MISSION")
        #expect(FlightModeNames.px4(customMode: 4 << 16 | 4 << 24) == "MISSION")
        #expect(FlightModeNames.px4(customMode: 3 << 16) == "POSCTL")
    }

    @Test("ISO 8601 times")
    func iso() {
        #expect(ExportText.iso8601(utcMicros: 0) == "1970-01-01T00:00:00.000Z")
        #expect(ExportText.iso8601(utcMicros: 1_533_737_145_465_009) == "2018-08-08T14:05:45.465Z")
        #expect(ExportText.iso8601(utcMicros: 951_782_400_000_000) == "2000-02-29T00:00:00.000Z")
        #expect(ExportText.fixed(-0.00000004, digits: 7) == "0.0000000")
        #expect(ExportText.fixed(-35.36298471, digits: 7) == "-35.3629847")
        #expect(ExportText.fixed(2.5, digits: 2) == "2.50")
    }

    @Test("the .tlog: a QuadPlane in UTC with a track, modes and arming")
    func tlog() throws {
        let s = try FlightLogSummary.summarize(bytes: try Self.real("UAVLogViewer__vtol.tlog"), options: .init(swathWidthMeters: 10))
        #expect(s.format == .tlog)
        #expect(s.timeBase == .utc)
        #expect(s.utcOffsetMicros == 0)
        #expect(s.vehicle.autopilot == "ArduPilot")
        #expect(s.vehicle.vehicleType == "FIXED_WING")
        #expect(s.vehicle.firmware?.hasPrefix("ArduPlane V3.10.0-dev") == true)
        #expect(s.gpsPointCount > 700)
        #expect(s.distanceMeters > 100)
        #expect(!s.modes.isEmpty)
        #expect(s.modes.allSatisfy { !$0.name.hasPrefix("Mode(") })
        #expect((s.coveredAreaSquareMeters ?? 0) > 0)
        #expect(s.relativeAltitudeSource == "GLOBAL_POSITION_INT.relative_alt")
        #expect(s.parameters.count > 500)
    }

    @Test("the .bin: ArduPlane banner, board id, GPS time, battery, cut at the end")
    func dataflash() throws {
        let s = try FlightLogSummary.summarize(bytes: try Self.real("pymavlink__test.BIN"))
        #expect(s.format == .dataflash)
        #expect(s.timeBase == .boot)
        #expect(s.vehicle.vehicleType == "ArduPlane")
        #expect(s.vehicle.hardware == "PX4v4")
        #expect(s.vehicle.hardwareID == "00360029 30365103 31323731")
        #expect(s.utcOffsetMicros != nil)
        #expect(s.gpsPointCount == 5)
        #expect(s.modes.first?.name == "MANUAL")
        #expect(s.batteries.first?.consumedMilliampHours != nil)
        #expect(s.truncation != nil)
        #expect(s.parameters.count > 500)
        // GPS week 1973 is in November 2017.
        if let offset = s.utcOffsetMicros, let start = s.startMicros {
            #expect(ExportText.iso8601(utcMicros: start + offset).hasPrefix("2017-"))
        }
    }

    @Test("the .ulg files: PX4 info, arming, batteries, logged errors, dropouts")
    func ulog() throws {
        let small = try FlightLogSummary.summarize(bytes: try Self.real("pyulog__sample_log_small.ulg"))
        #expect(small.vehicle.autopilot == "PX4")
        #expect(small.vehicle.hardware == "CUBEPILOT_CUBEORANGE")
        #expect(small.vehicle.mcu?.hasPrefix("STM32H7") == true)
        #expect(small.armedPeriods.count == 1)
        #expect(small.startEndFromArming)
        #expect(small.batteries.count == 2)
        #expect(small.utcOffsetMicros != nil)
        #expect(small.gpsPointCount == 32)
        let big = try FlightLogSummary.summarize(bytes: try Self.real("pyulog__sample.ulg"))
        #expect(big.vehicle.hardware == "AUAV_X21")
        #expect(big.errorCount == 4)
        #expect(big.dropouts.count == 4)
        #expect(big.utcOffsetMicros == nil)
        #expect(big.track.isEmpty)
    }

    @Test("a cut file still summarises up to the cut", arguments: ["pyulog__sample_log_small.ulg", "UAVLogViewer__vtol.tlog", "pymavlink__test.BIN"])
    func truncated(_ name: String) throws {
        let bytes = try Self.real(name)
        let whole = try FlightLogSummary.summarize(bytes: bytes)
        let cut = try FlightLogSummary.summarize(bytes: Array(bytes.prefix(bytes.count / 2 + 7)))
        #expect(cut.gpsPointCount <= whole.gpsPointCount)
        #expect(cut.logSpan != nil)
        #expect((cut.logSpan?.endMicros ?? 0) <= (whole.logSpan?.endMicros ?? 0))
        if name.hasSuffix(".ulg") || name.hasSuffix(".BIN") { #expect(cut.truncation != nil) }
    }

    @Test("chunk size does not change the summary")
    func chunks() throws {
        let bytes = try Self.real("pyulog__sample_log_small.ulg")
        let one = try FlightLogSummary.summarize(bytes: bytes)
        var session = FlightLogSummary.Session()
        var i = 0
        while i < bytes.count {
            let n = Swift.min(777, bytes.count - i)
            try bytes[i..<(i + n)].withUnsafeBytes { try session.feed($0) }
            i += n
        }
        #expect(try session.finish() == one)
    }

    @Test("random bytes are not a flight log")
    func unknown() {
        #expect(throws: FlightSummaryError.self) {
            try FlightLogSummary.summarize(bytes: [UInt8](repeating: 0x42, count: 100))
        }
    }

    @Test("a flow channel integrates over time and can gate the area")
    func flow() {
        var s = FlightSummarizer(
            format: .ulog,
            options: .init(swathWidthMeters: 4, flowChannels: [FlightFlowChannel(name: "spray", message: "x", field: "y", scale: 0.5, unit: "L", marksSpraying: true)]))
        for k in 0...10 { s.accumulator.flow(channel: 0, time: Int64(k) * 1_000_000, value: 2) }
        let summary = s.finish()
        #expect(summary.flows.first?.total == 10)  // 2 × 0.5 for 10 s
    }
}
