#if canImport(Glibc)
    import Glibc
#endif

/// glibc malloc settings for a long-running daemon, looked up at run time (Swift's Glibc module does not
/// export `<malloc.h>`); no-ops elsewhere.
public enum MemoryTuning {
    /// Caps malloc at two arenas. The pipeline allocates on one thread and the store frees on another;
    /// with glibc's default of 8 arenas per core, freed memory stayed in arenas nobody allocated from.
    public static func limitArenas() {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (CInt, CInt) -> CInt
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            _ = unsafeBitCast(symbol, to: Mallopt.self)(-8 /* M_ARENA_MAX */, 2)
        #endif
    }

    /// How often a daemon trims at most (`trim` stalls every allocating thread while it runs).
    public static let trimInterval: Duration = .seconds(600)

    /// Returns free heap pages to the system (after a checkpoint freed the store's heads at once).
    public static func trim() {
        #if canImport(Glibc)
            typealias MallocTrim = @convention(c) (Int) -> CInt
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
