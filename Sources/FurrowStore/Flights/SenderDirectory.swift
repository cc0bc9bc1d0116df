import GRDB

/// Which address each sender on a link was last seen from, kept so that a restart that re-decodes archived
/// bytes (which keep no addresses) names senders exactly as the live run did.
public struct SenderDirectory: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("senders-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sender (
                        project TEXT NOT NULL,
                        link TEXT NOT NULL,
                        systemID INTEGER NOT NULL,
                        componentID INTEGER NOT NULL,
                        peer TEXT,
                        PRIMARY KEY (project, link, systemID, componentID)
                    ) WITHOUT ROWID;
                    """)
        }
    }

    /// Records (or updates) where a sender was seen from.
    public func record(project: String, link: String, systemID: UInt8, componentID: UInt8, peer: String?) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sender (project, link, systemID, componentID, peer) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (project, link, systemID, componentID) DO UPDATE SET peer = excluded.peer
                    """,
                arguments: [project, link, Int(systemID), Int(componentID), peer])
        }
    }

    /// Every sender of a link with its last address, by `systemID << 8 | componentID`.
    public func peers(project: String, link: String) throws -> [Int: String] {
        try database.read { db in
            var peers: [Int: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT systemID, componentID, peer FROM sender WHERE project = ? AND link = ? AND peer IS NOT NULL",
                arguments: [project, link])
            {
                peers[(row["systemID"] as Int) << 8 | (row["componentID"] as Int)] = row["peer"]
            }
            return peers
        }
    }
}
