import Foundation
import GRDB

/// Where an upload is on its way from a researcher's file to a visible flight.
public enum UploadStatus: String, Sendable, Codable, CaseIterable {
    /// Received and kept; waiting for the importer.
    case queued
    /// Being read and written to a staging area nobody sees.
    case importing
    /// Imported: its flight and series are visible.
    case done
    /// Not imported (not a flight log, unreadable, interrupted): nothing of it is visible; `report` says why.
    case failed
}

/// One flight-log upload of a project, as the API shows it.
public struct UploadRecord: Sendable, Codable, Hashable {
    public var id: Int64
    public var project: String
    /// The file's SHA-256 (hex): names the kept original and finds re-uploads of the same file.
    public var sha256: String
    public var fileName: String
    public var size: Int64
    /// `tlog`, `bin` or `ulg` once detected.
    public var format: String?
    public var status: UploadStatus
    /// What the importer is doing (`summarizing`, `storing`, `publishing`), while importing.
    public var phase: String?
    /// Bytes of the file read by the current phase.
    public var progressBytes: Int64
    /// Swath width (m) for the covered area, as given with the upload.
    public var swathWidth: Double?
    /// Flow-rate fields to integrate (`NAME=MESSAGE.FIELD*SCALE`), as given with the upload.
    public var flows: [String] = []
    /// Count the covered area only while a flow is on.
    public var sprayingOnly = false
    public var createdAt: Int64
    public var finishedAt: Int64?
    /// The flight it became.
    public var flight: Int64?
    /// The import report (JSON): rows and series stored, truncation, what was skipped, or the error.
    public var report: String?
}

/// Uploads in the store's database (table `upload`), so the queue survives restarts.
public struct UploadCatalog: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("uploads-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE upload (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        project TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        fileName TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        format TEXT,
                        status TEXT NOT NULL,
                        phase TEXT,
                        progressBytes INTEGER NOT NULL DEFAULT 0,
                        swathWidth REAL,
                        flows TEXT,
                        sprayingOnly INTEGER NOT NULL DEFAULT 0,
                        createdAt INTEGER NOT NULL,
                        finishedAt INTEGER,
                        flight INTEGER,
                        report TEXT
                    );
                    CREATE INDEX uploadProjectHash ON upload(project, sha256);
                    CREATE INDEX uploadStatus ON upload(status);
                    """)
        }
    }

    /// Records a received file as queued, unless the project already has the same file (same SHA-256) queued,
    /// importing or imported: then that upload is returned and `created` is false.
    public func enqueue(
        project: String, sha256: String, fileName: String, size: Int64, swathWidth: Double?, flows: [String] = [],
        sprayingOnly: Bool = false, now: Int64
    ) throws -> (record: UploadRecord, created: Bool) {
        try database.write { db in
            if let existing = try Row.fetchOne(
                db,
                sql: "SELECT * FROM upload WHERE project = ? AND sha256 = ? AND status != 'failed' ORDER BY id LIMIT 1",
                arguments: [project, sha256])
            {
                return (Self.record(existing), false)
            }
            try db.execute(
                sql: """
                    INSERT INTO upload (project, sha256, fileName, size, status, swathWidth, flows, sprayingOnly, createdAt)
                    VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)
                    """,
                arguments: [
                    project, sha256, fileName, size, swathWidth, flows.isEmpty ? nil : flows.joined(separator: "\n"),
                    sprayingOnly, now,
                ])
            let id = db.lastInsertedRowID
            return (try Self.record(Row.fetchOne(db, sql: "SELECT * FROM upload WHERE id = ?", arguments: [id])!), true)
        }
    }

    /// Upload `id` if it belongs to `project`.
    public func upload(id: Int64, project: String) throws -> UploadRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM upload WHERE id = ? AND project = ?", arguments: [id, project])
                .map(Self.record)
        }
    }

    /// Upload `id` of any project (the importer's view).
    public func upload(id: Int64) throws -> UploadRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM upload WHERE id = ?", arguments: [id]).map(Self.record)
        }
    }

    /// A project's uploads, newest first.
    public func uploads(project: String, limit: Int = 1000) throws -> [UploadRecord] {
        try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM upload WHERE project = ? ORDER BY id DESC LIMIT ?", arguments: [project, limit]
            ).map(Self.record)
        }
    }

    /// Ids waiting for the importer, oldest first.
    public func queued() throws -> [Int64] {
        try database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM upload WHERE status = 'queued' ORDER BY id")
        }
    }

    /// Puts uploads that were importing when the server stopped back in the queue (their staged rows are
    /// deleted by the caller); returns how many.
    @discardableResult
    public func requeueInterrupted() throws -> Int {
        try database.write { db in
            try db.execute(
                sql: "UPDATE upload SET status = 'queued', phase = NULL, progressBytes = 0 WHERE status = 'importing'")
            return db.changesCount
        }
    }

    /// Marks an upload as importing.
    public func start(id: Int64, format: String) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE upload SET status = 'importing', format = ?, phase = 'summarizing', progressBytes = 0 WHERE id = ?",
                arguments: [format, id])
        }
    }

    /// Records progress (the API's progress view).
    public func progress(id: Int64, phase: String, bytes: Int64) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE upload SET phase = ?, progressBytes = ? WHERE id = ? AND status = 'importing'",
                arguments: [phase, bytes, id])
        }
    }

    /// Marks an upload done inside the importer's publishing transaction.
    static func finish(_ db: Database, id: Int64, flight: Int64, report: String, now: Int64) throws {
        try db.execute(
            sql: """
                UPDATE upload SET status = 'done', phase = NULL, flight = ?, report = ?, finishedAt = ? WHERE id = ?
                """,
            arguments: [flight, report, now, id])
    }

    /// Marks an upload failed with its report.
    public func fail(id: Int64, format: String?, report: String, now: Int64) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE upload SET status = 'failed', phase = NULL, format = COALESCE(?, format), report = ?,
                    finishedAt = ? WHERE id = ?
                    """,
                arguments: [format, report, now, id])
        }
    }

    static func record(_ row: Row) -> UploadRecord {
        UploadRecord(
            id: row["id"], project: row["project"], sha256: row["sha256"], fileName: row["fileName"], size: row["size"],
            format: row["format"], status: UploadStatus(rawValue: row["status"]) ?? .failed, phase: row["phase"],
            progressBytes: row["progressBytes"], swathWidth: row["swathWidth"],
            flows: (row["flows"] as String?).map { $0.split(separator: "\n").map(String.init) } ?? [],
            sprayingOnly: row["sprayingOnly"], createdAt: row["createdAt"], finishedAt: row["finishedAt"],
            flight: row["flight"], report: row["report"])
    }

    // MARK: - Reads for request handlers (they wait for a reader connection without blocking a thread)

    /// Upload `id` if it belongs to `project`.
    public func upload(id: Int64, project: String) async throws -> UploadRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM upload WHERE id = ? AND project = ?", arguments: [id, project])
                .map(Self.record)
        }
    }

    /// A project's uploads, newest first.
    public func uploads(project: String, limit: Int = 1000) async throws -> [UploadRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM upload WHERE project = ? ORDER BY id DESC LIMIT ?", arguments: [project, limit]
            ).map(Self.record)
        }
    }
}
