import ArgumentParser
import Foundation
import FurrowIngest
import FurrowStore

/// `furrow reprocess`: re-decode a link's archived bytes with a newer profile, replacing rows instead of adding.
struct ReprocessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Re-decode a link's raw archive with a (newer) profile and write the series anew, without duplicates.",
        discussion: """
            Reads the archived receives of --source (the link name, e.g. udp14550) in --from/--to, frames and \
            times them as the daemon does (receive time, strictly increasing per link) and maps them with \
            --profile. Each re-decoded row lands on the timestamp of the row it replaces (the store keeps the \
            last write per timestamp), so rows are replaced, never doubled; new channels of the profile appear \
            as new series. Senders are stored as <link>-<sysid>-<compid> (the daemon's default naming). A row \
            group whose channels the profile changed is deleted and written anew when the whole archive is \
            reprocessed (no --from/--to); with a range it is refused and listed. Stop the daemon first, or \
            reprocess a range it no longer writes to.
            """
    )

    @OptionGroup var location: DatabaseLocation
    @Option(help: "Project of the archived link.") var project: String = "default"
    @Option(help: "Archived link name (udp14550, radio, ...).") var source: String
    @Option(help: "Start of the range (µs since the epoch or ISO 8601 with a zone).") var from: String?
    @Option(help: "End of the range (exclusive).") var to: String?
    @Option(help: "Device profile to decode with (a name in the profile directories).") var profile: String
    @Option(help: "Profile directory (repeatable; default: the daemon's).") var profiles: [String] = []
    @Flag(help: "The link is a byte stream (serial, TCP): frames may span receives. Default: udp* links are datagrams.")
    var stream = false
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: location.path) else {
            throw ValidationError("no store at \(location.path) (--db or --data-dir)")
        }
        let catalog = try DeviceProfileCatalog(
            directories: profiles.isEmpty ? DaemonConfiguration.defaultProfileDirectories() : profiles)
        guard let chosen = catalog[profile] else {
            throw ValidationError("no profile \(profile); known: \(catalog.names.joined(separator: ", "))")
        }
        let mapper = try MAVLinkMapper(profile: chosen)
        let lower = try from.map { try ReplayCommand.time($0, option: "--from") } ?? Int64.min
        let upper = try to.map { try ReplayCommand.time($0, option: "--to") } ?? Int64.max
        guard lower < upper else { throw ValidationError("--from must be before --to") }
        let pool = try StoreDatabase.open(path: location.path)
        let reader = RawArchiveReader(database: pool)
        let links = try await reader.sources(project: project)
        guard links.contains(where: { $0.source == source }) else {
            throw ValidationError(
                "project \(project) has no archived link \(source); it has: \(links.map(\.source).joined(separator: ", "))")
        }
        let store = try TimeSeriesStore(pool: pool)
        let report = try await ArchiveReprocessor(reader: reader, store: store, mapper: mapper).run(
            project: project, link: source, from: lower, to: upper, isDatagram: !stream && source.hasPrefix("udp"),
            replaceChangedGroups: from == nil && to == nil)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(
                "reprocess \(project)/\(source) with \(profile): \(report.receives) receives, \(report.frames) frames, "
                    + "\(report.rowsWritten) rows written (replacing rows of the same timestamps) in \(report.groups.count) groups")
            for group in report.replacedGroups { print("  replaced (channels changed): \(group)") }
            for refusal in report.refused { print("  refused: \(refusal)") }
        }
        if !report.refused.isEmpty { throw ExitCode(2) }
    }
}
