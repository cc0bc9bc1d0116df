import Foundation
import FurrowStore
import FurrowWire
import Testing

@testable import FurrowIngest

/// `ArchiveReprocessor` on a real raw archive and store: senders named by a `[[source]]` rule, a sub-range
/// re-decoded with a recalibrated profile replaces only that range.
@Suite("Reprocess: an archived link, a time range, senders named by rules")
struct ReprocessArchiveTests {
    static let t0: Int64 = 1_763_000_000_000_000
    static let link = "udp1"

    static func status(system: UInt8, millivolts: UInt16) throws -> [UInt8] {
        var encoder = MAVLinkEncoder(version: .v2, systemID: system, componentID: 1)
        let info = try #require(MAVLinkDialect.ardupilotmega.message(named: "SYS_STATUS"))
        var out: [UInt8] = []
        try encoder.encode(info, into: &out) { w in
            w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "voltage_battery")!]), millivolts)
        }
        return out
    }

    static func mapper(scale: Double) throws -> MAVLinkMapper {
        try MAVLinkMapper(
            profile: DeviceProfile(
                parsing: """
                    name = "battery"
                    [mavlink]
                    [mavlink.messages.SYS_STATUS]
                    channels = [{ name = "voltage", field = "voltage_battery", unit = "V", scale = \(scale) }]
                    """))
    }

    static func voltages(_ store: TimeSeriesStore, _ source: String) async throws -> (timestamps: [Int64], values: [Double]) {
        let all = try await store.readAll(
            StoreSeriesKey(group: StoreGroupKey(project: "default", source: source, name: "SYS_STATUS"), channel: "voltage"),
            in: Int64.min..<Int64.max)
        return (all.timestamps, all.values.doubles)
    }

    @Test("rules name the senders; a sub-range with a new scale is replaced, the rest untouched, nothing doubled")
    func rangeWithRules() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reprocess-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try StoreDatabase.open(path: directory.appendingPathComponent("furrow.sqlite").path)
        let archive = RawArchive(database: pool)
        for i in 0..<300 {
            for system: UInt8 in [7, 8] {
                try await archive.append(
                    project: "default", source: Self.link, receivedAt: Self.t0 + Int64(i) * 10_000 + Int64(system),
                    bytes: try Self.status(system: system, millivolts: UInt16(12_000 + Int(system) * 100 + i)))
            }
        }
        try await archive.flush()
        let configuration = try DaemonConfiguration(
            parsing: """
                [[udp]]
                name = "udp1"
                listen = "127.0.0.1:14550"

                [[source]]
                link = "udp1"
                system_id = 7
                name = "sprayer-{sysid}"
                """, file: "furrow.toml")
        func naming(_ mapper: MAVLinkMapper) -> ArchiveReprocessor.Naming {
            { sender in
                let resolved = configuration.source(
                    link: Self.link, systemID: sender.systemID, componentID: sender.componentID)
                return SourceBinding(name: resolved.name, project: resolved.project, mapper: mapper)
            }
        }
        let store = try TimeSeriesStore(pool: pool)
        let reader = RawArchiveReader(database: pool)
        let first = try await ArchiveReprocessor(reader: reader, store: store, naming: naming(try Self.mapper(scale: 0.001)))
            .run(project: "default", link: Self.link, isDatagram: true)
        #expect(first.sources == ["default/sprayer-7", "default/udp1-8-1"])
        #expect(first.rowsWritten == 600 && first.rowsDeleted == 0 && first.refused.isEmpty)
        let before7 = try await Self.voltages(store, "sprayer-7")
        let before8 = try await Self.voltages(store, "udp1-8-1")
        #expect(before7.values == (0..<300).map { Double(12_700 + $0) * 0.001 })
        #expect(before8.timestamps.count == 300)

        let range = (Self.t0 + 100 * 10_000)..<(Self.t0 + 200 * 10_000)
        let second = try await ArchiveReprocessor(reader: reader, store: store, naming: naming(try Self.mapper(scale: 0.002)))
            .run(project: "default", link: Self.link, from: range.lowerBound, to: range.upperBound, isDatagram: true)
        #expect(second.frames == 200 && second.rowsWritten == 200 && second.rowsDeleted == 200)
        #expect(second.refused.isEmpty && second.replacedGroups.isEmpty)
        for (system, source, before) in [(7, "sprayer-7", before7), (8, "udp1-8-1", before8)] {
            let after = try await Self.voltages(store, source)
            #expect(after.timestamps == before.timestamps)
            for (i, (t, v)) in zip(after.timestamps, after.values).enumerated() {
                let raw = Double(12_000 + system * 100 + i)
                #expect(v == raw * (range.contains(t) ? 0.002 : 0.001))
            }
        }
        // Never under the default name of a sender a rule names.
        #expect(try await store.sources(project: "default").map(\.name).sorted() == ["sprayer-7", "udp1-8-1"])
    }
}
