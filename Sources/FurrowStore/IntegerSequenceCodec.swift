/// Signed 64-bit integer sequences as residuals of a simple model (frame of reference, delta,
/// delta-of-delta, or a regular grid), divided by their common factor, then PFOR bit-packed: the one
/// integer engine behind timestamps, integer columns, scaled decimals, ordered float keys and
/// dictionary indices.
///
/// Which model wins depends on the series, so the encoder sizes each one it is given and keeps the
/// smallest:
/// - order 0 (frame of reference): values that wander in a band (dictionary indices, noisy levels);
/// - order 1 (delta): counters, slowly moving sensors, timestamps whose jitter accumulates;
/// - order 2 (delta of delta): smooth curves and drifting clocks, where deltas change steadily;
/// - 3, grid: `x[i] - i * slope` with the mean regular step as slope, for timestamps jittered around a
///   regular schedule: the residual varies ±J where the delta varies ±2J and the delta-of-delta ±4J —
///   one and two bits cheaper per value.
///
/// The common factor (the GCD of the residuals) turns millisecond timestamps stored in microseconds,
/// or a 0.02 V step stored at 0.01 V, into small integers without the caller declaring anything.
///
/// Payload:
/// ```
/// byte     order (0, 1, 2, 3 = grid)
/// varint   factor (>= 1)
/// varints  heads, zigzag: x0 (orders 1, 2), then x1 - x0 (order 2) — never more than count
/// varint   slope, zigzag (order 3 only)
/// PFOR     count - heads residuals / factor
/// ```
enum IntegerSequenceCodec {
    /// Every order the decoder understands (3 is the grid model).
    static let allOrders: [Int] = [0, 1, 2, 3]
    static let grid = 3

    /// Values stored before the residuals under `order`.
    @inline(__always)
    static func heads(_ order: Int, count: Int) -> Int {
        order == grid ? 0 : Swift.min(order, count)
    }

    // MARK: - Encoding

    /// Appends `values` at the order (among `orders`) whose residuals look cheapest.
    ///
    /// Each order's residuals are computed and sized from their block extremes
    /// (`PatchedFrameOfReference.estimatedBits`), then only the winner is encoded: about a third of the
    /// work of encoding every order and keeping the smallest, for the same choice on real series.
    static func encode(_ values: UnsafeBufferPointer<Int64>, orders: [Int] = allOrders, into out: inout [UInt8]) {
        let n = values.count
        guard n > 0 else {
            out.append(0)
            out.appendVarint(1)
            return
        }
        var residuals = [Int64](repeating: 0, count: n)
        let slope = orders.contains(grid) ? gridSlope(values) : 0
        residuals.withUnsafeMutableBufferPointer { scratch in
            var best = (order: orders[0], bits: Int.max, factor: UInt64(1))
            if orders.count > 1 {
                for order in orders {
                    let r = residualsOf(values, order: order, slope: slope, into: scratch)
                    let factor = commonFactor(r)
                    let bits = PatchedFrameOfReference.estimatedBits(r, factor: factor)
                    if bits < best.bits { best = (order, bits, factor) }
                }
            }
            let r = residualsOf(values, order: best.order, slope: slope, into: scratch)
            let factor = orders.count > 1 ? best.factor : commonFactor(r)
            append(
                values, order: best.order, slope: slope, residuals: UnsafeMutableBufferPointer(mutating: r),
                factor: factor, into: &out)
        }
    }

    /// Appends `values` at one order.
    static func encode(_ values: UnsafeBufferPointer<Int64>, order: Int, into out: inout [UInt8]) {
        encode(values, orders: [order], into: &out)
    }

    /// The grid's period: the average step over the longest stretch whose steps are all within a factor
    /// of 2 of the median step (so a battery-swap gap or a burst does not skew it), rounded.
    ///
    /// Precision matters more than robustness here: an error of δ per step drifts by 128·δ across a
    /// PFOR block, so the slope comes from a long stretch's endpoints, not from the median itself.
    static func gridSlope(_ values: UnsafeBufferPointer<Int64>) -> Int64 {
        let n = values.count
        guard n >= 2 else { return 0 }
        let stride = Swift.max(1, (n &- 1) / 129)
        var steps: [Int64] = []
        var i = 1
        while i < n {
            steps.append(values[i] &- values[i &- 1])
            i &+= stride
        }
        steps.sort()
        let median = steps[steps.count / 2]
        guard median > 0, median < Int64.max / 4 else { return median }
        // Keep the slope a multiple of the steps' common factor (1000 for ms clocks in µs), or the
        // residuals lose it.
        var unit: UInt64 = 0
        for step in steps { unit = gcd(unit, step.magnitude) }
        var bestStart = 0
        var bestLength = 0
        var start = 0
        for i in 1...n {
            let regular =
                i < n && (values[i] &- values[i &- 1]) >= median / 2 && (values[i] &- values[i &- 1]) <= median &* 2
            if !regular {
                if i &- 1 &- start > bestLength {
                    bestLength = i &- 1 &- start
                    bestStart = start
                }
                start = i
            }
        }
        guard bestLength >= 1 else { return median }
        let span = Double(values[bestStart &+ bestLength] &- values[bestStart])
        let slope = span / Double(bestLength)
        guard unit > 1, unit < UInt64(median) else { return Int64(slope.rounded()) }
        return Int64((slope / Double(unit)).rounded()) &* Int64(unit)
    }

    /// Writes the residuals of `values` at `order` into `scratch` and returns them (count - heads values).
    @inline(__always)
    static func residualsOf(
        _ values: UnsafeBufferPointer<Int64>, order: Int, slope: Int64, into scratch: UnsafeMutableBufferPointer<Int64>
    ) -> UnsafeBufferPointer<Int64> {
        precondition(allOrders.contains(order), "order \(order) is not 0, 1, 2 or 3")
        let n = values.count
        let heads = heads(order, count: n)
        let r = scratch.baseAddress.unsafelyUnwrapped
        switch order {
        case 0:
            for i in 0..<n { r[i] = values[i] }
        case grid:
            var trend: Int64 = 0
            for i in 0..<n {
                r[i] = values[i] &- trend
                trend = trend &+ slope
            }
        case 1:
            for i in 1..<Swift.max(n, 1) { r[i &- 1] = values[i] &- values[i &- 1] }
        default:
            if n > 2 {
                for i in 2..<n { r[i &- 2] = (values[i] &- values[i &- 1]) &- (values[i &- 1] &- values[i &- 2]) }
            }
        }
        return UnsafeBufferPointer(start: r, count: n &- heads)
    }

    /// The greatest common divisor of the residuals' magnitudes, or 1 when it is 0 (all zero) or 2^63
    /// (only 0 and Int64.min), where dividing gains nothing.
    ///
    /// Divisibility is tested with one multiplication (`Divisor.divides`), so a common factor of 1000
    /// (ms timestamps in µs) costs no division per value; a real `gcd` runs only when the factor shrinks,
    /// which happens at most 64 times.
    static func commonFactor(_ residuals: UnsafeBufferPointer<Int64>) -> UInt64 {
        var factor: UInt64 = 0
        var divisor = Divisor(1)
        for residual in residuals {
            let magnitude = residual.magnitude
            if factor == 0 {
                if magnitude != 0 {
                    factor = magnitude
                    divisor = Divisor(factor)
                }
            } else if !divisor.divides(magnitude) {
                factor = gcd(factor, magnitude)
                if factor == 1 { return 1 }
                divisor = Divisor(factor)
            }
        }
        return factor == 0 || factor > UInt64(Int64.max) ? 1 : factor
    }

    /// Appends the payload for residuals already computed at `order` (divided here by `factor`).
    static func append(
        _ values: UnsafeBufferPointer<Int64>, order: Int, slope: Int64, residuals r: UnsafeMutableBufferPointer<Int64>,
        factor: UInt64, into out: inout [UInt8]
    ) {
        if factor > 1 {
            let divisor = Divisor(factor)
            for i in 0..<r.count { r[i] = divisor.exactQuotient(r[i]) }
        }
        let heads = heads(order, count: values.count)
        out.append(UInt8(order))
        out.appendVarint(factor)
        if heads >= 1 { out.appendSignedVarint(values[0]) }
        if heads >= 2 { out.appendSignedVarint(values[1] &- values[0]) }
        if order == grid { out.appendSignedVarint(slope) }
        PatchedFrameOfReference.encode(UnsafeBufferPointer(r), into: &out)
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var a = a
        var b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// Division by a fixed divisor without a division instruction, for divisibility tests and exact
    /// quotients (Granlund & Montgomery 1994, §9): `d = 2^shift * odd`, and multiplying by the inverse of
    /// `odd` modulo 2^64 divides exactly whenever the division has no remainder.
    struct Divisor {
        let shift: UInt64
        let inverse: UInt64
        /// Largest multiple quotient: `x` (after the shift) is a multiple of `odd` iff `x * inverse <= limit`.
        let limit: UInt64
        let lowMask: UInt64

        init(_ d: UInt64) {
            let shift = UInt64(d.trailingZeroBitCount)
            let odd = d >> shift
            // Newton's iteration doubles the correct low bits each step: 3 -> 6 -> 12 -> 24 -> 48 -> 96.
            var inverse = odd
            for _ in 0..<5 { inverse = inverse &* (2 &- odd &* inverse) }
            self.shift = shift
            self.inverse = inverse
            self.limit = UInt64.max / odd
            self.lowMask = (1 << shift) &- 1
        }

        @inline(__always)
        func divides(_ x: UInt64) -> Bool {
            x & lowMask == 0 && (x >> shift) &* inverse <= limit
        }

        /// `x / d` for an `x` that `d` divides (two's complement, so negative values work too).
        @inline(__always)
        func exactQuotient(_ x: Int64) -> Int64 {
            Int64(bitPattern: UInt64(bitPattern: x >> Int64(shift)) &* inverse)
        }
    }

    // MARK: - Decoding

    /// Reads `count` values into `out`.
    static func decode(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<Int64>
    ) throws(StoreCodecError) {
        let order = Int(try reader.readByte("integer sequence order"))
        guard order <= grid else { throw reader.corrupt("integer sequence order \(order) is not 0, 1, 2 or 3") }
        let factorOffset = reader.offset
        let factor = try reader.readVarint("integer sequence factor")
        guard factor >= 1, factor <= UInt64(Int64.max) else {
            throw StoreCodecError(
                .corruptPayload, offset: factorOffset, "integer sequence factor \(factor) is out of range")
        }
        let heads = heads(order, count: n)
        if heads >= 1 { out[0] = try reader.readSignedVarint("first value") }
        if heads >= 2 { out[1] = try reader.readSignedVarint("first delta") }
        let slope = order == grid ? try reader.readSignedVarint("grid slope") : 0
        try PatchedFrameOfReference.decode(&reader, count: n &- heads, into: out + heads)
        if factor != 1 {
            let f = Int64(factor)
            for i in heads..<n { out[i] = out[i] &* f }
        }
        switch order {
        case 1:
            var x: Int64 = 0
            for i in 0..<n {
                x = x &+ out[i]
                out[i] = x
            }
        case grid:
            var trend: Int64 = 0
            for i in 0..<n {
                out[i] = out[i] &+ trend
                trend = trend &+ slope
            }
        case 2 where n >= 2:
            var x = out[0]
            var delta = out[1]
            out[1] = x &+ delta
            x = out[1]
            for i in 2..<n {
                delta = delta &+ out[i]
                x = x &+ delta
                out[i] = x
            }
        default:
            break
        }
    }
}
