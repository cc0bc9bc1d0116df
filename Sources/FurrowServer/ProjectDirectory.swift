import Crypto
import Foundation
import GRDB

/// What a token may do in its project: read, also upload flight logs, or also manage tokens and fields.
public enum TokenRole: String, Sendable, Codable, CaseIterable, Comparable {
    case reader
    case uploader
    case admin

    var rank: Int {
        switch self {
        case .reader: 0
        case .uploader: 1
        case .admin: 2
        }
    }

    public static func < (a: TokenRole, b: TokenRole) -> Bool { a.rank < b.rank }
}

/// A pilot project: the tenant every stored object belongs to.
public struct Project: Sendable, Codable, Hashable {
    /// The project's name in URLs and in the daemon's configuration (`project = "…"`).
    public var slug: String
    public var title: String
    /// Creation time, µs since the epoch.
    public var createdAt: Int64
}

/// A token as listed: never the secret, only its hash's owner, role and use.
public struct TokenRecord: Sendable, Codable, Hashable {
    public var id: Int64
    public var project: String
    public var role: TokenRole
    public var label: String
    /// The first characters of the secret, so a person can tell tokens apart.
    public var prefix: String
    public var createdAt: Int64
    public var lastUsedAt: Int64?
    public var revokedAt: Int64?
}

/// A token just created: the only moment its secret exists outside the holder's hands.
public struct IssuedToken: Sendable, Codable {
    public var record: TokenRecord
    public var secret: String
}

/// Why a project or token operation failed.
public enum DirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidSlug(String)
    case projectExists(String)
    case unknownProject(String)
    case unknownToken(Int64)

    public var description: String {
        switch self {
        case .invalidSlug(let s):
            "project name \"\(s)\" must be 1–64 characters of a–z, 0–9, '-' and '_', starting with a letter or digit"
        case .projectExists(let s): "project \(s) exists already"
        case .unknownProject(let s): "no project \(s)"
        case .unknownToken(let id): "no token \(id)"
        }
    }
}

/// Projects and their API tokens, kept in the store's database (tables `project` and `apiToken`).
///
/// Tokens are 32 random bytes (base64url, prefixed `furrow_`); only their SHA-256 is stored, so a copy of
/// the database does not leak working tokens. A lookup hashes the presented secret and finds it by index.
public struct ProjectDirectory: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    /// Registers the tables; pass to `StoreDatabase.open(path:migrations:)`.
    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("projects-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE project (
                        slug TEXT PRIMARY KEY,
                        title TEXT NOT NULL,
                        createdAt INTEGER NOT NULL
                    );
                    CREATE TABLE apiToken (
                        id INTEGER PRIMARY KEY,
                        project TEXT NOT NULL REFERENCES project(slug) ON DELETE CASCADE,
                        role TEXT NOT NULL,
                        label TEXT NOT NULL,
                        prefix TEXT NOT NULL,
                        hash BLOB NOT NULL UNIQUE,
                        createdAt INTEGER NOT NULL,
                        lastUsedAt INTEGER,
                        revokedAt INTEGER
                    );
                    CREATE INDEX apiTokenProject ON apiToken(project);
                    """)
        }
        FieldCatalog.registerMigrations(&migrator)
        UploadCatalog.registerMigrations(&migrator)
        TrapCatalog.registerMigrations(&migrator)
        HarvestCatalog.registerMigrations(&migrator)
        DetectionCatalog.registerMigrations(&migrator)
        VegetationSurveyCatalog.registerMigrations(&migrator)
    }

    // MARK: - Projects

    public static func isValidSlug(_ slug: String) -> Bool {
        let bytes = Array(slug.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func allowed(_ b: UInt8, first: Bool) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (!first && (b == 0x2D || b == 0x5F))
        }
        return bytes.enumerated().allSatisfy { allowed($1, first: $0 == 0) }
    }

    public func createProject(slug: String, title: String? = nil) throws -> Project {
        guard Self.isValidSlug(slug) else { throw DirectoryError.invalidSlug(slug) }
        let project = Project(slug: slug, title: title ?? slug, createdAt: Self.now())
        try database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM project WHERE slug = ?", arguments: [slug]) == true {
                throw DirectoryError.projectExists(slug)
            }
            try db.execute(
                sql: "INSERT INTO project (slug, title, createdAt) VALUES (?, ?, ?)",
                arguments: [project.slug, project.title, project.createdAt])
        }
        return project
    }

    /// Creates the project unless it exists (the daemon's configured projects at start).
    public func ensureProject(slug: String) throws {
        guard Self.isValidSlug(slug) else { throw DirectoryError.invalidSlug(slug) }
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO project (slug, title, createdAt) VALUES (?, ?, ?) ON CONFLICT(slug) DO NOTHING",
                arguments: [slug, slug, Self.now()])
        }
    }

    public func projects() throws -> [Project] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT slug, title, createdAt FROM project ORDER BY slug").map(Self.project)
        }
    }

    public func project(_ slug: String) async throws -> Project? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT slug, title, createdAt FROM project WHERE slug = ?", arguments: [slug])
                .map(Self.project)
        }
    }

    // MARK: - Tokens

    /// Creates a token for `project`; the returned secret is shown once and never stored.
    public func issueToken(project: String, role: TokenRole, label: String) throws -> IssuedToken {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let secret = "furrow_" + Self.base64URL(bytes)
        let prefix = String(secret.prefix(14))
        let now = Self.now()
        let id = try database.write { db -> Int64 in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM project WHERE slug = ?", arguments: [project]) == true else {
                throw DirectoryError.unknownProject(project)
            }
            try db.execute(
                sql: """
                    INSERT INTO apiToken (project, role, label, prefix, hash, createdAt) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [project, role.rawValue, label, prefix, Self.hash(secret), now])
            return db.lastInsertedRowID
        }
        return IssuedToken(
            record: TokenRecord(
                id: id, project: project, role: role, label: label, prefix: prefix, createdAt: now, lastUsedAt: nil,
                revokedAt: nil),
            secret: secret)
    }

    public func tokens(project: String) throws -> [TokenRecord] {
        try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM apiToken WHERE project = ? ORDER BY id", arguments: [project]
            ).compactMap(Self.token)
        }
    }

    /// Revokes token `id` of `project` (a token of another project is unknown here).
    public func revokeToken(id: Int64, project: String) throws -> TokenRecord {
        try database.write { db in
            try db.execute(
                sql: "UPDATE apiToken SET revokedAt = COALESCE(revokedAt, ?) WHERE id = ? AND project = ?",
                arguments: [Self.now(), id, project])
            guard db.changesCount > 0,
                let row = try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE id = ?", arguments: [id]),
                let record = Self.token(row)
            else { throw DirectoryError.unknownToken(id) }
            return record
        }
    }

    /// The live (not revoked) token whose secret is `secret`, or nil.
    public func authenticate(_ secret: String) async throws -> TokenRecord? {
        guard secret.hasPrefix("furrow_"), secret.utf8.count < 200 else { return nil }
        let digest = Self.hash(secret)
        return try await database.read { db in
            // A prepared statement kept on the reader: every API request comes through here.
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM apiToken WHERE hash = ? AND revokedAt IS NULL"),
                arguments: [digest]
            ).flatMap(Self.token)
        }
    }

    /// Records when tokens were last used (batched by the caller, so requests do not each write).
    public func recordUse(_ uses: [Int64: Int64]) async throws {
        guard !uses.isEmpty else { return }
        try await database.write { db in
            for (id, at) in uses {
                try db.execute(
                    sql: "UPDATE apiToken SET lastUsedAt = MAX(COALESCE(lastUsedAt, 0), ?) WHERE id = ?",
                    arguments: [at, id])
            }
        }
    }

    // MARK: - Helpers

    static func hash(_ secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    static func project(_ row: Row) -> Project {
        Project(slug: row["slug"], title: row["title"], createdAt: row["createdAt"])
    }

    static func token(_ row: Row) -> TokenRecord? {
        guard let role = TokenRole(rawValue: row["role"]) else { return nil }
        return TokenRecord(
            id: row["id"], project: row["project"], role: role, label: row["label"], prefix: row["prefix"],
            createdAt: row["createdAt"], lastUsedAt: row["lastUsedAt"], revokedAt: row["revokedAt"])
    }
}
