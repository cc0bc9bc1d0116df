import ArgumentParser
import Foundation
import FurrowIngest
import FurrowStore
import FurrowWire

/// `furrow reprocess`: re-decode a link's archived bytes with a newer profile, replacing rows instead of adding.
struct ReprocessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Re-decode a link's raw archive with a (newer) profile and write its time range anew, without duplicates.",
        discussion: """
            Reads the archived receives of --source (the link name, e.g. udp14550) in --from/--to (the whole \
            archive without them), frames and times them as the daemon does (receive time, strictly increasing \
            per link; 10 s before --from are read to time the first frames alike) and maps them with a profile. \
            Then, in one transaction, every stored row of the affected sources (the senders seen in the range) \
            inside [--from, --to) is replaced by the re-decoded rows: rows outside the range are not touched and \
            none is doubled; a group the new version has no rows for in the range loses its rows there. A row \
            group whose channels the profile changed is deleted and written anew when all its rows lie inside \
            the range (always so without --from/--to); otherwise it is refused, listed, left as it was, and the \
            exit status is 2.

            Naming: with --config (the daemon's TOML), senders are named, put in projects and given profiles by \
            its [[source]] rules and link settings exactly as the daemon does (a {peer} rule uses the address \
            the daemon last saw the sender at), the store is the configuration's unless --db is given, and \
            --profile, if given, replaces every sender's profile. Without --config, senders are \
            <link>-<sysid>-<compid> in --project, mapped with --profile. Stop the daemon first, or reprocess a \
            range it no longer writes to.
            """
    )

    @OptionGroup var location: DatabaseLocation
    @Option(help: "The daemon configuration (TOML) whose [[source]] rules name the senders.") var config: String?
    @Option(help: "Project the link is archived under (default: the configuration's for the link, else default).")
    var project: String?
    @Option(help: "Archived link name (udp14550, radio, ...).") var source: String
    @Option(help: "Start of the range (µs since the epoch or ISO 8601 with a zone).") var from: String?
    @Option(help: "End of the range (exclusive).") var to: String?
    @Option(help: "Device profile to decode with (required without --config; with it, overrides the configured ones).")
    var profile: String?
    @Option(help: "Profile directory (repeatable; default: the configuration's, else the daemon's default).")
    var profiles: [String] = []
    @Flag(help: "The link is a byte stream (serial, TCP): frames may span receives. Default: udp* links (or the configuration's UDP links) are datagrams.")
    var stream = false
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        if config == nil && profile == nil { throw ValidationError("name a --profile (or give the daemon's --config)") }
    }

    func run() async throws {
        var daemon: DaemonConfiguration?
        if let config {
            do {
                var loaded = try DaemonConfiguration.load(from: config)
                if !profiles.isEmpty { loaded.profileDirectories = profiles }
                daemon = loaded
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let storePath = location.db ?? daemon?.store.path ?? location.path
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw ValidationError("no store at \(storePath) (--db, --data-dir or the configuration's [store])")
        }
        let lower = try from.map { try ReplayCommand.time($0, option: "--from") } ?? Int64.min
        let upper = try to.map { try ReplayCommand.time($0, option: "--to") } ?? Int64.max
        guard lower < upper else { throw ValidationError("--from must be before --to") }
        let archiveProject = project ?? daemon?.project(forLink: source) ?? "default"
        let pool = try StoreDatabase.open(path: storePath)
        let reader = RawArchiveReader(database: pool)
        let links = try await reader.sources(project: archiveProject)
        guard links.contains(where: { $0.source == source }) else {
            throw ValidationError(
                "project \(archiveProject) has no archived link \(source); it has: \(links.map(\.source).joined(separator: ", "))")
        }
        let store = try TimeSeriesStore(pool: pool)
        let reprocessor: ArchiveReprocessor
        let isDatagram: Bool
        if var daemon {
            if let profile {
                // One profile for every sender of the link, the rules still naming them.
                for i in daemon.sources.indices { daemon.sources[i].profile = profile }
                for i in daemon.udp.indices where daemon.udp[i].name == source { daemon.udp[i].profile = profile }
                for i in daemon.serial.indices where daemon.serial[i].name == source { daemon.serial[i].profile = profile }
                for i in daemon.tcp.indices where daemon.tcp[i].name == source { daemon.tcp[i].profile = profile }
            }
            let assembly: DaemonAssembly
            do {
                assembly = try DaemonAssembly(configuration: daemon)
            } catch {
                throw ValidationError("\(error)")
            }
            if let profile, assembly.mappers[profile] == nil {
                throw ValidationError("no MAVLink profile \(profile); known: \(assembly.catalog.names.joined(separator: ", "))")
            }
            isDatagram = !stream && (daemon.udp.contains { $0.name == source } || (!daemon.hasLink(source) && source.hasPrefix("udp")))
            // A {peer} rule names a UDP sender by the address the daemon recorded for it (the archive keeps none).
            var recorded: [Int: String] = [:]
            if isDatagram { recorded = try SenderDirectory(database: pool).peers(project: archiveProject, link: source) }
            let peers = recorded
            let resolve = assembly.resolver
            let link = source
            reprocessor = ArchiveReprocessor(reader: reader, store: store) { sender in
                resolve(link, sender, peers[Int(sender.systemID) << 8 | Int(sender.componentID)])
            }
        } else {
            let catalog = try DeviceProfileCatalog(
                directories: profiles.isEmpty ? DaemonConfiguration.defaultProfileDirectories() : profiles)
            guard let profile, let chosen = catalog[profile] else {
                throw ValidationError("no profile \(profile ?? ""); known: \(catalog.names.joined(separator: ", "))")
            }
            let mapper = try MAVLinkMapper(profile: chosen)
            isDatagram = !stream && source.hasPrefix("udp")
            reprocessor = ArchiveReprocessor(reader: reader, store: store, mapper: mapper, project: archiveProject, link: source)
        }
        let report = try await reprocessor.run(
            project: archiveProject, link: source, from: lower, to: upper, isDatagram: isDatagram)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(
                "reprocess \(archiveProject)/\(source)\(profile.map { " with \($0)" } ?? ""): \(report.receives) receives, "
                    + "\(report.frames) frames; sources \(report.sources.joined(separator: ", ")): "
                    + "\(report.rowsDeleted) rows in the range replaced by \(report.rowsWritten) in \(report.groups.count) groups")
            for group in report.replacedGroups { print("  replaced (channels changed): \(group)") }
            for refusal in report.refused { print("  refused: \(refusal)") }
        }
        if !report.refused.isEmpty { throw ExitCode(2) }
    }
}

extension DaemonConfiguration {
    /// Whether a UDP, serial or TCP link of this name is configured.
    func hasLink(_ name: String) -> Bool {
        udp.contains { $0.name == name } || serial.contains { $0.name == name } || tcp.contains { $0.name == name }
    }
}
