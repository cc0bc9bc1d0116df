import GRDB
import Synchronization

/// Chunk listings of recent queries, valid while nothing was committed to the database: a dashboard asking for
/// the same day again lists its ~1,000 chunks from memory instead of stepping SQLite through them.
///
/// Validity comes from SQLite itself: `PRAGMA data_version` on a connection changes whenever any other
/// connection commits, this process's writer and other processes alike. A listing is kept per reader
/// connection with the value it was made under, so a write the store never saw still invalidates it. (A
/// connection is told apart by its object's identity: the store's pool keeps its readers open for its life;
/// nothing here calls `releaseMemory`, which would close them.)
final class ChunkListCache: Sendable {
    struct Key: Hashable {
        let connection: ObjectIdentifier
        let group: Int64
        let lowerBound: Int64
        let upperBound: Int64
    }

    struct Listing {
        let dataVersion: Int64
        let extents: [TimeSeriesStore.ChunkExtent]
    }

    private let listings = Mutex<[Key: Listing]>([:])
    /// Listings kept at most (each a few kB for a day of chunks).
    let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The extents of the chunks of `group` overlapping `range`, from memory if no commit happened since they
    /// were listed on this connection, else listed by `list`.
    func extents(
        _ db: Database, group: Int64, in range: Range<Int64>,
        list: (Database) throws -> [TimeSeriesStore.ChunkExtent]
    ) throws -> [TimeSeriesStore.ChunkExtent] {
        let version = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? -1
        let key = Key(
            connection: ObjectIdentifier(db), group: group, lowerBound: range.lowerBound, upperBound: range.upperBound)
        if let kept = listings.withLock({ $0[key] }), kept.dataVersion == version { return kept.extents }
        let extents = try list(db)
        listings.withLock { listings in
            if listings.count >= capacity { listings.removeAll(keepingCapacity: true) }
            listings[key] = Listing(dataVersion: version, extents: extents)
        }
        return extents
    }

    /// Forgets every listing (for a store that is told its file changed under it).
    func removeAll() {
        listings.withLock { $0.removeAll() }
    }
}
