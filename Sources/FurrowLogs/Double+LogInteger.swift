extension Double {
    /// The value as an integer when it is finite and fits comfortably in Int64 (|v| < 2^62), else nil: log fields
    /// whose type the file itself declares (DataFlash FMT, ULog F) can hold NaN or 1e19 where an id is expected,
    /// and `Int(_:)` would trap on them.
    var logInteger: Int64? {
        guard isFinite, abs(self) < 4.6e18 else { return nil }
        return Int64(self)
    }
}

extension Int64 {
    /// Times the summarizer accepts: 0 ... 2^60 µs (36 000 years), so differences and sums of two never overflow.
    static let saneTimeRange: ClosedRange<Int64> = 0...(1 << 60)
}
