/// Row operations on typed columns, used to sort, de-duplicate, merge and cut row groups.
extension StoreColumn {
    /// An empty column of `type`.
    static func empty(_ type: StoreValueType) -> StoreColumn {
        switch type {
        case .timestamp: .timestamp([])
        case .float64: .float64([])
        case .float32: .float32([])
        case .int64: .int64([])
        case .bool: .bool([])
        case .state: .state([])
        case .string: .string([])
        }
    }

    /// The values at `indices`, in that order.
    func gathering(_ indices: [Int]) -> StoreColumn {
        switch self {
        case .timestamp(let v): .timestamp(indices.map { v[$0] })
        case .float64(let v): .float64(indices.map { v[$0] })
        case .float32(let v): .float32(indices.map { v[$0] })
        case .int64(let v): .int64(indices.map { v[$0] })
        case .bool(let v): .bool(indices.map { v[$0] })
        case .state(let v): .state(indices.map { v[$0] })
        case .string(let v): .string(indices.map { v[$0] })
        }
    }

    /// The values in `range` (to cut a column into appends or chunks).
    public func slice(_ range: Range<Int>) -> StoreColumn {
        switch self {
        case .timestamp(let v): .timestamp(Array(v[range]))
        case .float64(let v): .float64(Array(v[range]))
        case .float32(let v): .float32(Array(v[range]))
        case .int64(let v): .int64(Array(v[range]))
        case .bool(let v): .bool(Array(v[range]))
        case .state(let v): .state(Array(v[range]))
        case .string(let v): .string(Array(v[range]))
        }
    }

    /// This column followed by `other`, which must have the same type.
    public func appending(_ other: StoreColumn) -> StoreColumn {
        switch (self, other) {
        case (.timestamp(let a), .timestamp(let b)): .timestamp(a + b)
        case (.float64(let a), .float64(let b)): .float64(a + b)
        case (.float32(let a), .float32(let b)): .float32(a + b)
        case (.int64(let a), .int64(let b)): .int64(a + b)
        case (.bool(let a), .bool(let b)): .bool(a + b)
        case (.state(let a), .state(let b)): .state(a + b)
        case (.string(let a), .string(let b)): .string(a + b)
        default: preconditionFailure("appending a \(other.valueType) column to a \(valueType) column")
        }
    }
}

/// Rows of one row group in memory: a time column and one column per channel, in write order.
struct StoreRows: Sendable {
    var timestamps: [Int64]
    var columns: [StoreColumn]

    init(timestamps: [Int64], columns: [StoreColumn]) {
        self.timestamps = timestamps
        self.columns = columns
    }

    init(empty types: [StoreValueType]) {
        self.init(timestamps: [], columns: types.map(StoreColumn.empty))
    }

    var count: Int { timestamps.count }

    mutating func append(_ other: StoreRows) {
        timestamps += other.timestamps
        for i in columns.indices { columns[i].append(other.columns[i]) }
    }

    func gathering(_ indices: [Int]) -> StoreRows {
        StoreRows(timestamps: indices.map { timestamps[$0] }, columns: columns.map { $0.gathering(indices) })
    }

    func slice(_ range: Range<Int>) -> StoreRows {
        StoreRows(timestamps: Array(timestamps[range]), columns: columns.map { $0.slice(range) })
    }

    /// Sorted by time; of rows with the same timestamp only the last written is kept (a duplicate write
    /// replaces the earlier value, as the store promises).
    func sortedKeepingLastWrite() -> StoreRows {
        var isSortedUnique = true
        for i in timestamps.indices.dropFirst() where timestamps[i - 1] >= timestamps[i] {
            isSortedUnique = false
            break
        }
        if isSortedUnique { return self }
        // Stable sort of row indices by time; then keep the last index of each run of equal timestamps.
        let order = timestamps.indices.sorted { a, b in
            timestamps[a] != timestamps[b] ? timestamps[a] < timestamps[b] : a < b
        }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        for (k, index) in order.enumerated() {
            if k + 1 < order.count && timestamps[order[k + 1]] == timestamps[index] { continue }
            kept.append(index)
        }
        return gathering(kept)
    }

    /// Rows with `range.contains(timestamp)` of sorted rows.
    func rows(in range: Range<Int64>) -> StoreRows {
        let lower = timestamps.partitioningIndex { $0 >= range.lowerBound }
        let upper = timestamps.partitioningIndex { $0 >= range.upperBound }
        return lower < upper ? slice(lower..<upper) : StoreRows(empty: columns.map(\.valueType))
    }

    /// `older` then `newer` merged by time; on equal timestamps `newer` wins. Both must be sorted and unique.
    static func merge(older: StoreRows, newer: StoreRows) -> StoreRows {
        var combined = older
        combined.append(newer)
        return combined.sortedKeepingLastWrite()
    }
}

extension Array {
    /// The first index whose element satisfies `belongs` (which must be false then true along the array).
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
