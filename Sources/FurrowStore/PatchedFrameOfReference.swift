/// Patched frame-of-reference bit packing (PFOR) of signed 64-bit integers in blocks of 128.
///
/// Each block stores a reference (its smallest "normal" value) and packs `value - reference` at the
/// narrowest width that covers the normal values; the few values outside that window (a battery-swap gap
/// in a timestamp column, a spike in a sensor) are *exceptions*, stored after the block as position +
/// full difference and patched in after unpacking. One outlier therefore costs a few bytes instead of
/// widening all 128 values — this is what keeps millisecond jitter cheap while gaps stay exact.
///
/// Block layout:
/// ```
/// byte     width (0...64) | 0x80 if the block has exceptions
/// varint   reference - previous block's reference (zigzag; the first block's is relative to 0)
/// byte     exceptions - 1                    (only with the 0x80 flag)
/// bytes    ceil(n * width / 8): value - reference, packed LSB-first; exception slots hold 0
/// bytes    exception positions (0..<n, increasing), one byte each
/// varints  exception values - reference (zigzag), wrapping arithmetic
/// ```
/// All arithmetic wraps (`&-`, `&+`), which is a bijection modulo 2^64, so every Int64 — including
/// `Int64.min` next to `Int64.max` — round-trips.
enum PatchedFrameOfReference {
    /// Values per block: small enough that a block's width follows the data, large enough that the
    /// per-block header (2-6 bytes) costs well under half a bit per value.
    static let blockSize = 128
    /// Most exceptions the encoder considers per block (the search is quadratic in this).
    static let maxExceptions = 32

    // MARK: - Encoding

    /// Appends `values` as a sequence of blocks.
    static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout [UInt8]) {
        guard !values.isEmpty else { return }
        var sorted = [Int64](repeating: 0, count: blockSize)
        var packed = [UInt64](repeating: 0, count: blockSize)
        var start = 0
        var previousReference: Int64 = 0
        while start < values.count {
            let n = Swift.min(blockSize, values.count &- start)
            let block = UnsafeBufferPointer(rebasing: values[start..<(start &+ n)])
            sorted.withUnsafeMutableBufferPointer { sorted in
                packed.withUnsafeMutableBufferPointer { packed in
                    previousReference = encodeBlock(
                        block, previousReference: previousReference, sorted: sorted, packed: packed, into: &out)
                }
            }
            start &+= n
        }
    }

    /// The extremes of a block: its 4 smallest and 4 largest values, found in one pass.
    ///
    /// The trimmed range (4th smallest to 4th largest) says cheaply whether leaving out up to 3 values
    /// on each side would narrow the block: only then is the exact exception search worth its sort.
    struct Shape {
        /// Smallest first.
        var low: (Int64, Int64, Int64, Int64) = (.max, .max, .max, .max)
        /// Largest first.
        var high: (Int64, Int64, Int64, Int64) = (.min, .min, .min, .min)

        @inline(__always)
        init(_ block: UnsafeBufferPointer<Int64>) {
            for v in block {
                if v < low.3 {
                    if v < low.1 {
                        low.3 = low.2
                        low.2 = low.1
                        if v < low.0 { low.1 = low.0; low.0 = v } else { low.1 = v }
                    } else if v < low.2 {
                        low.3 = low.2; low.2 = v
                    } else {
                        low.3 = v
                    }
                }
                if v > high.3 {
                    if v > high.1 {
                        high.3 = high.2
                        high.2 = high.1
                        if v > high.0 { high.1 = high.0; high.0 = v } else { high.1 = v }
                    } else if v > high.2 {
                        high.3 = high.2; high.2 = v
                    } else {
                        high.3 = v
                    }
                }
            }
        }

        /// Bits per value without exceptions.
        var fullWidth: Int { bitWidth(UInt64(bitPattern: high.0 &- low.0)) }

        /// Bits per value if up to 3 values on each side were exceptions (the full width for tiny blocks).
        func trimmedWidth(count: Int) -> Int {
            count < 8 ? fullWidth : bitWidth(UInt64(bitPattern: high.3 &- low.3))
        }
    }

    /// Bits a PFOR encoding of `values / factor` would take, estimated from block extremes without
    /// encoding: the integer engine uses it to pick an order before encoding once.
    static func estimatedBits(_ values: UnsafeBufferPointer<Int64>, factor: UInt64) -> Int {
        var bits = 0
        var start = 0
        while start < values.count {
            let n = Swift.min(blockSize, values.count &- start)
            let shape = Shape(UnsafeBufferPointer(rebasing: values[start..<(start &+ n)]))
            let full = bitWidth(UInt64(bitPattern: shape.high.0 &- shape.low.0) / factor)
            var cost = n &* full
            if n >= 8 {
                let trimmed = bitWidth(UInt64(bitPattern: shape.high.3 &- shape.low.3) / factor)
                cost = Swift.min(cost, n &* trimmed &+ 6 &* (16 &+ full))
            }
            bits &+= 16 &+ cost
            start &+= n
        }
        return bits
    }

    /// Chooses reference, width and exceptions for one block and appends it; returns the reference.
    static func encodeBlock(
        _ block: UnsafeBufferPointer<Int64>, previousReference: Int64, sorted: UnsafeMutableBufferPointer<Int64>,
        packed: UnsafeMutableBufferPointer<UInt64>, into out: inout [UInt8]
    ) -> Int64 {
        let n = block.count
        let shape = Shape(block)
        let low = shape.low.0
        let high = shape.high.0
        let fullWidth = shape.fullWidth
        var reference = low
        var width = fullWidth
        // Search for exceptions (a sort) only when dropping up to 3 extremes on each side narrows the
        // block: otherwise outliers are rare or absent, and the search would cost more than it saves.
        if fullWidth > 0 && n > 1 && shape.trimmedWidth(count: n) &+ 1 <= fullWidth {
            // Try leaving out the e smallest/largest values (e = 1, 2, ...): the narrowest window of
            // n - e consecutive sorted values gives the width; keep the cheapest total.
            for i in 0..<n { sorted[i] = block[i] }
            var s = UnsafeMutableBufferPointer(rebasing: sorted[0..<n])
            s.sort()
            let exceptionBits = 8 &* (1 &+ varintSize(UInt64(bitPattern: high &- low) << 1 | 1))
            var bestCost = n &* fullWidth
            for e in 1...Swift.min(maxExceptions, n / 2) {
                let fixed = 8 &+ e &* exceptionBits
                if fixed >= bestCost { break }
                let m = n &- e
                var bestRange = UInt64.max
                var bestStart = 0
                for i in 0...e {
                    let range = UInt64(bitPattern: s[i &+ m &- 1] &- s[i])
                    if range < bestRange {
                        bestRange = range
                        bestStart = i
                    }
                }
                let w = bitWidth(bestRange)
                let cost = n &* w &+ fixed
                if cost < bestCost {
                    bestCost = cost
                    width = w
                    reference = s[bestStart]
                }
            }
        }
        // Exceptions: values whose difference from the reference does not fit `width` bits.
        var exceptionCount = 0
        for i in 0..<n {
            let d = UInt64(bitPattern: block[i] &- reference)
            if width < 64 && d >> UInt64(width) != 0 {
                sorted[exceptionCount] = Int64(i)
                exceptionCount &+= 1
                packed[i] = 0
            } else {
                packed[i] = d
            }
        }
        out.append(UInt8(width) | (exceptionCount > 0 ? 0x80 : 0))
        out.appendSignedVarint(reference &- previousReference)
        if exceptionCount > 0 { out.append(UInt8(exceptionCount &- 1)) }
        BitPacking.pack(UnsafeBufferPointer(rebasing: packed[0..<n]), width: width, into: &out)
        for k in 0..<exceptionCount { out.append(UInt8(sorted[k])) }
        for k in 0..<exceptionCount {
            out.appendSignedVarint(block[Int(sorted[k])] &- reference)
        }
        return reference
    }

    // MARK: - Decoding

    /// Reads `count` values (as many blocks as that takes) into `out`.
    static func decode(
        _ reader: inout ByteReader, count: Int, into out: UnsafeMutablePointer<Int64>
    ) throws(StoreCodecError) {
        var start = 0
        var reference: Int64 = 0
        while start < count {
            let n = Swift.min(blockSize, count &- start)
            reference = try decodeBlock(&reader, count: n, previousReference: reference, into: out + start)
            start &+= n
        }
    }

    /// Decodes one block; returns its reference.
    @inline(__always)
    static func decodeBlock(
        _ reader: inout ByteReader, count n: Int, previousReference: Int64, into out: UnsafeMutablePointer<Int64>
    ) throws(StoreCodecError) -> Int64 {
        let header = try reader.readByte("block header")
        let width = Int(header & 0x7F)
        guard width <= 64 else { throw reader.corrupt("block bit width \(width) is above 64") }
        let reference = previousReference &+ (try reader.readSignedVarint("block reference"))
        var exceptions = 0
        if header & 0x80 != 0 {
            exceptions = Int(try reader.readByte("block exception count")) &+ 1
            guard exceptions <= n else {
                throw reader.corrupt("block of \(n) values declares \(exceptions) exceptions")
            }
        }
        try out.withMemoryRebound(to: UInt64.self, capacity: n) { (raw) throws(StoreCodecError) in
            try BitPacking.unpack(&reader, count: n, width: width, adding: UInt64(bitPattern: reference), into: raw)
        }
        guard exceptions > 0 else { return reference }
        let positions = try reader.region(count: exceptions, "exception positions")
        var previous = -1
        for k in 0..<exceptions {
            let position = Int(reader.buffer.load(fromByteOffset: positions &+ k, as: UInt8.self))
            guard position > previous, position < n else {
                throw StoreCodecError(
                    .corruptPayload, offset: positions &+ k,
                    "exception position \(position) out of order or past the block of \(n)")
            }
            previous = position
        }
        for k in 0..<exceptions {
            let position = Int(reader.buffer.load(fromByteOffset: positions &+ k, as: UInt8.self))
            out[position] = reference &+ (try reader.readSignedVarint("exception value"))
        }
        return reference
    }
}
