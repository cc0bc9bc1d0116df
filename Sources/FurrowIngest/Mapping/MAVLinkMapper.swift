import FurrowStore
import FurrowWire

/// Turns decoded MAVLink batches into store row groups as a device profile says.
///
/// Built once per profile: the profile is resolved against the dialect into a plan per message index
/// (which fields to gather, which conversion each channel takes), so `map` does no name lookups and no
/// string work; it gathers each needed field once and converts whole columns. Only messages split by a
/// text field (`select_by`, e.g. NAMED_VALUE_FLOAT's `name`) compare one string per row.
///
/// ```swift
/// let mapper = try MAVLinkMapper(profile: catalog["ardupilot-sprayer"]!)
/// batcher.append(frame, timestamp: now) { batch in
///     guard mapper.maps(messageIndex: index) else { return }
///     for rows in mapper.map(batch) { /* store.append(...) */ }
/// }
/// ```
public struct MAVLinkMapper: Sendable {
    /// The profile the mapper was built from.
    public let profileName: String
    /// The dialect whose message indices `maps(messageIndex:)` takes.
    public let dialect: MAVLinkDialect
    /// Per message index, the plan, or nil for messages the profile does not store.
    let plans: [MAVLinkMessagePlan?]

    /// Resolves `profile` against `dialect`.
    ///
    /// - Throws: `ConfigurationError` when the profile is not a MAVLink profile or names messages, fields or
    ///   elements the dialect does not have (profiles loaded from files were already checked against
    ///   `ardupilotmega`, so this throws only for profiles built in code or another dialect).
    public init(profile: DeviceProfile, dialect: MAVLinkDialect = .ardupilotmega) throws(ConfigurationError) {
        self.profileName = profile.name
        self.dialect = dialect
        self.plans = try MAVLinkPlanBuilder(profile: profile, dialect: dialect).build()
    }

    /// Whether batches of the message at `messageIndex` (in `dialect`) yield any rows.
    @inlinable
    public func maps(messageIndex: Int) -> Bool {
        messageIndex >= 0 && messageIndex < planCount && hasPlan(messageIndex)
    }

    @usableFromInline var planCount: Int { plans.count }
    @usableFromInline func hasPlan(_ index: Int) -> Bool { plans[index] != nil }

    /// The row groups and channels the message at `messageIndex` is stored as (empty when not mapped), e.g.
    /// to create series before the first batch arrives.
    public func rowGroups(messageIndex: Int) -> [(group: String, channels: [StoreChannel])] {
        guard messageIndex >= 0, messageIndex < plans.count, let plan = plans[messageIndex] else { return [] }
        return plan.groups.map { ($0.group, $0.channels) }
    }

    /// The rows of `batch` as row groups: one for most messages, one per matched value for messages split
    /// by `select_by` (groups without rows are left out), none for messages the profile does not map or
    /// batches of a message whose layout differs from `dialect`'s.
    public func map(_ batch: MAVLinkBatch) -> [MappedRows] {
        let rowCount = batch.count
        guard rowCount > 0, let index = dialect.index(of: batch.message.id), let plan = plans[index],
            dialect.messages[index].crcExtra == batch.message.crcExtra,
            dialect.messages[index].fields.count == batch.message.fields.count
        else { return [] }
        let timestamps = batch.timestamps
        var columns: [MAVLinkColumnValues] = []
        columns.reserveCapacity(plan.fields.count)
        for field in plan.fields { columns.append(batch.column(field).values) }

        guard let selectSlot = plan.selectSlot else {
            return plan.groups.map { group in
                MappedRows(
                    group: group.group, channels: group.channels, timestamps: timestamps,
                    columns: group.conversions.map { Self.convert(columns[$0.slot], rows: rowCount, $0) })
            }
        }
        // Split by the select field: one pass over the names, then each group gathers its rows.
        guard case .text(let names) = columns[selectSlot] else { return [] }
        var rowsPerGroup = [[Int]](repeating: [], count: plan.groups.count)
        let matches = plan.matches
        for row in 0..<rowCount {
            let name = names[row]
            for g in matches.indices where matches[g] == name {
                rowsPerGroup[g].append(row)
                break
            }
        }
        var out: [MappedRows] = []
        for (g, group) in plan.groups.enumerated() where !rowsPerGroup[g].isEmpty {
            let rows = rowsPerGroup[g]
            let selectedTimestamps = rows.map { timestamps[$0] }
            var subsets = [MAVLinkColumnValues?](repeating: nil, count: columns.count)
            var converted: [StoreColumn] = []
            for conversion in group.conversions {
                if subsets[conversion.slot] == nil {
                    subsets[conversion.slot] = Self.subset(columns[conversion.slot], rows: rows, count: conversion.count)
                }
                converted.append(Self.convert(subsets[conversion.slot]!, rows: rows.count, conversion))
            }
            out.append(MappedRows(group: group.group, channels: group.channels, timestamps: selectedTimestamps, columns: converted))
        }
        return out
    }
}

// MARK: - Column conversions

extension MAVLinkMapper {
    /// One channel's column from its field's column.
    static func convert(_ values: MAVLinkColumnValues, rows: Int, _ c: MAVLinkColumnConversion) -> StoreColumn {
        switch values {
        case .int8(let v): integers(v, rows: rows, c)
        case .uint8(let v): integers(v, rows: rows, c)
        case .int16(let v): integers(v, rows: rows, c)
        case .uint16(let v): integers(v, rows: rows, c)
        case .int32(let v): integers(v, rows: rows, c)
        case .uint32(let v): integers(v, rows: rows, c)
        case .int64(let v): integers(v, rows: rows, c)
        case .uint64(let v): integers(v, rows: rows, c)
        case .float(let v):
            if c.transform == nil, c.output == .float32, c.count == 1 {
                .float32(v)  // the decoder's column as it is, no copy
            } else {
                floats(v, rows: rows, c)
            }
        case .double(let v):
            if c.transform == nil, c.output == .float64, c.count == 1 {
                .float64(v)
            } else {
                floats(v, rows: rows, c)
            }
        case .text(let v): .string(v)
        }
    }

    /// Integer fields: masked and shifted, then native or through the numeric transform.
    @inline(__always)
    static func integers<T: FixedWidthInteger>(_ v: [T], rows: Int, _ c: MAVLinkColumnConversion) -> StoreColumn {
        // Raw values as Int64 (uint64 by bit pattern), the selected element, masked.
        let raw = [Int64](unsafeUninitializedCapacity: rows) { out, initialized in
            v.withUnsafeBufferPointer { source in
                precondition(source.count >= rows &* c.count, "column shorter than its rows")
                var k = c.element
                if c.mask == 0 {
                    for r in 0..<rows {
                        out[r] = Int64(truncatingIfNeeded: source[k])
                        k &+= c.count
                    }
                } else {
                    let mask = c.mask
                    let shift = UInt64(c.shift)
                    for r in 0..<rows {
                        out[r] = Int64(bitPattern: (UInt64(truncatingIfNeeded: source[k]) & mask) &>> shift)
                        k &+= c.count
                    }
                }
            }
            initialized = rows
        }
        if let transform = c.transform {
            var y = [Double](unsafeUninitializedCapacity: rows) { out, initialized in
                raw.withUnsafeBufferPointer { raw in
                    for r in 0..<rows { out[r] = Double(raw[r]) }
                }
                initialized = rows
            }
            apply(transform, to: &y)
            return output(y, transform, c.output)
        }
        switch c.output {
        case .int64: return .int64(raw)
        case .state: return .state(raw)
        case .bool: return .bool(raw.map { $0 != 0 })
        case .float64: return .float64(raw.map { Double($0) })
        case .float32: return .float32(raw.map { Float($0) })
        case .string: return .string(raw.map { String($0) })  // not produced by the plan builder
        }
    }

    /// Float fields: the selected element, widened to Double for a transform.
    @inline(__always)
    static func floats<F: BinaryFloatingPoint>(_ v: [F], rows: Int, _ c: MAVLinkColumnConversion) -> StoreColumn {
        let y = [Double](unsafeUninitializedCapacity: rows) { out, initialized in
            v.withUnsafeBufferPointer { source in
                precondition(source.count >= rows &* c.count, "column shorter than its rows")
                var k = c.element
                for r in 0..<rows {
                    out[r] = Double(source[k])
                    k &+= c.count
                }
            }
            initialized = rows
        }
        if let transform = c.transform {
            var y = y
            apply(transform, to: &y)
            return output(y, transform, c.output)
        }
        switch c.output {
        // Float → Double → Float is exact, so a float32 element comes back bit for bit (NaN payloads too).
        case .float32: return .float32(y.map { Float($0) })
        case .float64: return .float64(y)
        case .bool: return .bool(y.map { $0 != 0 })
        case .int64: return .int64(y.map(Self.roundedInt64))
        case .state: return .state(y.map(Self.roundedInt64))
        case .string: return .string(y.map { "\($0)" })  // not produced by the plan builder
        }
    }

    /// `y = poly(y × scale + offset)` in place, one pass per step that is not the identity.
    static func apply(_ t: MAVLinkNumericTransform, to y: inout [Double]) {
        y.withUnsafeMutableBufferPointer { y in
            if t.scale != 1 {
                let scale = t.scale
                for i in y.indices { y[i] = y[i] * scale }
            }
            if t.offset != 0 {
                let offset = t.offset
                for i in y.indices { y[i] = y[i] + offset }
            }
            if !t.coefficients.isEmpty {
                t.coefficients.withUnsafeBufferPointer { c in
                    let last = c.count - 1
                    for i in y.indices {
                        let x = y[i]
                        var acc = c[last]
                        var k = last - 1
                        while k >= 0 {
                            acc = acc * x + c[k]
                            k -= 1
                        }
                        y[i] = acc
                    }
                }
            }
        }
    }

    /// The transformed values in the channel's type; with a resolution of `10^-k`, each value becomes
    /// `Double(m) / 10^k` with `m` the nearest integer to `y × 10^k` — the exact form the store's decimal
    /// codec decodes, so the column is stored as integers without exceptions. NaN, infinities and values
    /// beyond 2^53 (2^24 for float32) are kept as they are.
    static func output(_ y: [Double], _ t: MAVLinkNumericTransform, _ output: MAVLinkColumnConversion.Output) -> StoreColumn {
        switch output {
        case .float64:
            guard let k = t.decimals else { return .float64(y) }
            let p = DecimalPowers.double[k]
            var y = y
            y.withUnsafeMutableBufferPointer { y in
                for i in y.indices {
                    let m = (y[i] * p).rounded()
                    // NaN fails the comparison; `Int64(m)` turns -0.0 into 0 so the codec never sees -0.0.
                    if m.magnitude <= 9_007_199_254_740_992 { y[i] = Double(Int64(m)) / p }
                }
            }
            return .float64(y)
        case .float32:
            guard let k = t.decimals else { return .float32(y.map { Float($0) }) }
            let p = DecimalPowers.double[k]
            let pf = DecimalPowers.float[k]
            return .float32(
                y.map { v in
                    let m = (v * p).rounded()
                    return m.magnitude <= 16_777_216 ? Float(Int64(m)) / pf : Float(v)
                })
        case .int64: return .int64(y.map(Self.roundedInt64))
        case .state: return .state(y.map(Self.roundedInt64))
        case .bool: return .bool(y.map { $0 != 0 })
        case .string: return .string(y.map { "\($0)" })  // not produced by the plan builder
        }
    }

    /// Nearest integer, saturating; NaN → 0.
    @inline(__always)
    static func roundedInt64(_ v: Double) -> Int64 {
        let r = v.rounded()
        if r.isNaN { return 0 }
        if r >= 9.223_372_036_854_775_807e18 { return .max }
        if r <= -9.223_372_036_854_775_808e18 { return .min }
        return Int64(r)
    }

    /// The rows `rows` (ascending) of a column with `count` elements per row.
    static func subset(_ values: MAVLinkColumnValues, rows: [Int], count: Int) -> MAVLinkColumnValues {
        func pick<T>(_ v: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(rows.count &* count)
            for r in rows { out.append(contentsOf: v[(r &* count)..<(r &* count &+ count)]) }
            return out
        }
        switch values {
        case .int8(let v): return .int8(pick(v))
        case .uint8(let v): return .uint8(pick(v))
        case .int16(let v): return .int16(pick(v))
        case .uint16(let v): return .uint16(pick(v))
        case .int32(let v): return .int32(pick(v))
        case .uint32(let v): return .uint32(pick(v))
        case .int64(let v): return .int64(pick(v))
        case .uint64(let v): return .uint64(pick(v))
        case .float(let v): return .float(pick(v))
        case .double(let v): return .double(pick(v))
        case .text(let v): return .text(rows.map { v[$0] })
        }
    }
}

/// Exact powers of ten: `double[k]` = 10^k for k ≤ 22, `float[k]` for k ≤ 10 (decimal literals up to these
/// are exactly representable, so the table is the same the store's codec divides by).
enum DecimalPowers {
    static let double: [Double] = (0...22).map { Double("1e\($0)")! }
    static let float: [Float] = (0...10).map { Float("1e\($0)")! }
}
