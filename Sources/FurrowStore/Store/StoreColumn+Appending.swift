extension StoreColumn {
    /// Appends `other` (same type) in place: the column's array grows where it is instead of being copied.
    ///
    /// A store head receives many small appends between checkpoints (a daemon's group gets one per flush
    /// interval); `appending(_:)` copies the whole head each time, so a head of `n` appends cost O(n²).
    mutating func append(_ other: StoreColumn) {
        // Each case takes the array out of `self` (leaving an empty column, which allocates nothing) so the
        // array is uniquely referenced when it grows, then puts it back.
        switch self {
        case .timestamp(var a):
            guard case .timestamp(let b) = other else { mismatch(other) }
            self = .bool([])
            a.append(contentsOf: b)
            self = .timestamp(a)
        case .float64(var a):
            guard case .float64(let b) = other else { mismatch(other) }
            self = .bool([])
            a.append(contentsOf: b)
            self = .float64(a)
        case .float32(var a):
            guard case .float32(let b) = other else { mismatch(other) }
            self = .bool([])
            a.append(contentsOf: b)
            self = .float32(a)
        case .int64(var a):
            guard case .int64(let b) = other else { mismatch(other) }
            self = .bool([])
            a.append(contentsOf: b)
            self = .int64(a)
        case .bool(var a):
            guard case .bool(let b) = other else { mismatch(other) }
            self = .int64([])
            a.append(contentsOf: b)
            self = .bool(a)
        case .state(var a):
            guard case .state(let b) = other else { mismatch(other) }
            self = .bool([])
            a.append(contentsOf: b)
            self = .state(a)
        case .string(var a):
            guard case .string(let b) = other else { mismatch(other) }
            self = .bool([])
            a.append(contentsOf: b)
            self = .string(a)
        }
    }

    private func mismatch(_ other: StoreColumn) -> Never {
        preconditionFailure("appending a \(other.valueType) column to a \(valueType) column")
    }
}
