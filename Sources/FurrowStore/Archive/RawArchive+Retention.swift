import GRDB

extension RawArchive {
    // MARK: - Retention

    /// Deletes a project's segments whose every record was received before `cutoff` (µs since the
    /// epoch), in one transaction, and says what went.
    ///
    /// A segment that straddles the cutoff is kept whole until its last record is older (at most
    /// `maximumSegmentAge` later): retention never cuts into a segment. Open segments are not touched.
    public nonisolated func deleteSegments(project: String, olderThan cutoff: Int64) async throws -> RawArchiveDeletion
    {
        try await database.write { db in
            let row = try Row.fetchOne(
                db.cachedStatement(sql: RawArchiveSQL.expiredTotals), arguments: [project, cutoff])
            func integer(_ index: Int) -> Int {
                row.flatMap { Int64.fromDatabaseValue($0[index] as DatabaseValue) }.map { Int($0) } ?? 0
            }
            try db.cachedStatement(sql: RawArchiveSQL.deleteExpired).execute(arguments: [project, cutoff])
            return RawArchiveDeletion(
                segmentCount: integer(0), recordCount: integer(1), byteCount: integer(2), storedSize: integer(3))
        }
    }

    /// What `deleteSegments(project:olderThan:)` would delete now, without deleting anything.
    public nonisolated func expiredSegments(project: String, olderThan cutoff: Int64) async throws -> RawArchiveDeletion {
        try await database.read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(sql: RawArchiveSQL.expiredTotals), arguments: [project, cutoff])
            func integer(_ index: Int) -> Int {
                row.flatMap { Int64.fromDatabaseValue($0[index] as DatabaseValue) }.map { Int($0) } ?? 0
            }
            return RawArchiveDeletion(
                segmentCount: integer(0), recordCount: integer(1), byteCount: integer(2), storedSize: integer(3))
        }
    }
}
