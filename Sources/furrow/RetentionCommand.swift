import ArgumentParser
import Foundation
import FurrowStore

/// `furrow retention`: delete a project's stored values (and, with `--archive`, its raw archive segments) older
/// than an age, and say what went.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Delete a project's values (and raw archive segments) older than an age.",
        discussion: """
            Ages are a number and a unit: s, m, h, d or w (90d, 12h). A chunk that straddles the cutoff keeps its \
            newer rows; a raw archive segment is deleted only when its last record is older than the cutoff. \
            SQLite reuses the freed pages; the file shrinks only on VACUUM.
            """
    )

    @Option(help: "The store's SQLite file.") var db: String
    @Option(help: "Pilot project.") var project: String
    @Option(name: .customLong("older-than"), help: "Delete what is older than this age (90d, 12h, 30m, 2w).")
    var olderThan: String
    @Flag(help: "Also delete raw archive segments older than the cutoff.") var archive = false
    @Flag(name: .customLong("dry-run"), help: "Only say what would be deleted.") var dryRun = false
    @Option(help: "The time the age counts back from (µs or ISO 8601; default: now).") var now: String?

    func run() async throws {
        guard let age = Self.parseAge(olderThan) else {
            throw ValidationError("--older-than \(olderThan): expected a number and s, m, h, d or w (90d)")
        }
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("--db \(db): no such file") }
        let reference = try now.map(QueryCommand.parseTime) ?? Int64(Date().timeIntervalSince1970 * 1_000_000)
        let (cutoff, overflow) = reference.subtractingReportingOverflow(age)
        guard !overflow else { throw ValidationError("--older-than \(olderThan) reaches before the year 0") }
        let pool = try StoreDatabase.open(path: db)
        let store = try TimeSeriesStore(pool: pool)
        let verb = dryRun ? "would delete" : "deleted"
        let report =
            dryRun
            ? try await store.retentionPreview(project: project, olderThan: cutoff)
            : try await store.applyRetention(project: project, olderThan: cutoff)
        print("cutoff \(StoreTime.format(cutoff)) (\(cutoff) µs)")
        print(
            "store: \(verb) \(report.rowsDeleted) rows of project \(project): \(report.chunksDeleted) chunks whole, "
                + "\(report.chunksTrimmed) trimmed")
        if archive {
            let raw = RawArchive(database: pool)
            let deletion =
                dryRun
                ? try await raw.expiredSegments(project: project, olderThan: cutoff)
                : try await raw.deleteSegments(project: project, olderThan: cutoff)
            print(
                "archive: \(verb) \(deletion.segmentCount) segments, \(deletion.recordCount) records, "
                    + "\(deletion.byteCount) bytes received (\(deletion.storedSize) stored)")
        }
    }

    /// µs in an age such as `90d`, `12h`, `1.5h`, `30m`, `45s`, `2w`; nil if it is not one.
    static func parseAge(_ text: String) -> Int64? {
        guard let unit = text.last, let number = Double(text.dropLast()), number.isFinite, number >= 0 else { return nil }
        let seconds: Double
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        let micros = (number * seconds * 1_000_000).rounded()
        return micros < 9.2e18 ? Int64(micros) : nil
    }
}
