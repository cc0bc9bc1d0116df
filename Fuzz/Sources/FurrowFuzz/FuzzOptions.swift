#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Switches read from the environment once (see README.md).
enum FuzzOptions {
    /// `FURROW_FUZZ_TRACE=1`: print every delivered frame and the counters of every run (to replay one input).
    static let trace: Bool = getenv("FURROW_FUZZ_TRACE").map { String(cString: $0) == "1" } ?? false

    /// `FURROW_FUZZ_LENIENT_TLOG_COUNTERS=1`: do not compare the .tlog reader's `crcFailures`, `incompatRejected`
    /// and `resyncs` across chunk plans (a known divergence, see README.md); everything else stays strict.
    static let lenientTlogCounters: Bool =
        getenv("FURROW_FUZZ_LENIENT_TLOG_COUNTERS").map { String(cString: $0) == "1" } ?? false
}
