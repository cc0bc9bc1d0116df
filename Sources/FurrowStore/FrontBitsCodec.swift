/// ALP_rd ("real doubles", Afroozeh et al., SIGMOD 2024) for floats that are not decimals: sensor noise,
/// EKF outputs, float32 attitude.
///
/// Each bit pattern (after dropping the trailing zero bits every value shares — 29 of them when float32
/// values were widened to Double) is cut into `left` front bits (sign, exponent, top of the mantissa) and
/// `right` bits. The right bits are noise and are bit-packed as they are; the front bits take few
/// distinct values in a chunk, so they go through a dictionary of at most 8 entries (0-3 bits per value),
/// with the rare other front values stored as exceptions. The cut and the dictionary are chosen on a
/// sample of up to 256 values to minimise the estimated size (as ALP does).
///
/// Payload:
/// ```
/// byte     left bits L (1...16)
/// byte     shared trailing zero bits z (L + z <= width)
/// byte     dictionary entries d (1...8)
/// d x u16  dictionary (front values < 2^L)
/// varint   exception count
/// varints  exception positions: the first, then each gap - 1
/// e x u16  exception front values
/// packed   n dictionary indices (0-3 bits; exception slots hold 0)
/// packed   n right parts (width - L - z bits)
/// ```
enum FrontBitsCodec {
    static let maxLeftBits = 16
    static let maxDictionary = 8

    static func encode<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, into out: inout [UInt8]) {
        let n = values.count
        let width = F.patternBitWidth
        var union: UInt64 = 0
        for v in values { union |= v.pattern64 }
        let shared = union == 0 ? 0 : Swift.min(union.trailingZeroBitCount, width &- 1)
        let (left, dictionary) = chooseCut(values, width: width, shared: shared)
        let rightBits = width &- shared &- left
        let frontShift = UInt64(shared &+ rightBits)
        let indexBits = dictionary.count <= 1 ? 0 : bitWidth(UInt64(dictionary.count &- 1))

        var indices = [UInt64](repeating: 0, count: n)
        var rights = [UInt64](repeating: 0, count: n)
        var exceptions: [(position: Int, front: UInt64)] = []
        let rightMask: UInt64 = rightBits == 0 ? 0 : (1 << UInt64(rightBits)) &- 1
        dictionary.withUnsafeBufferPointer { dictionary in
            for i in 0..<n {
                let pattern = values[i].pattern64
                let front = pattern >> frontShift
                rights[i] = (pattern >> UInt64(shared)) & rightMask
                var k = 0
                while k < dictionary.count && dictionary[k] != front { k &+= 1 }
                if k < dictionary.count {
                    indices[i] = UInt64(k)
                } else {
                    exceptions.append((i, front))
                }
            }
        }
        out.append(UInt8(left))
        out.append(UInt8(shared))
        out.append(UInt8(dictionary.count))
        for front in dictionary { out.appendLittleEndian(UInt16(front)) }
        out.appendVarint(UInt64(exceptions.count))
        var last = -1
        for e in exceptions {
            out.appendVarint(UInt64(e.position &- last &- 1))
            last = e.position
        }
        for e in exceptions { out.appendLittleEndian(UInt16(e.front)) }
        indices.withUnsafeBufferPointer { BitPacking.pack($0, width: indexBits, into: &out) }
        rights.withUnsafeBufferPointer { BitPacking.pack($0, width: rightBits, into: &out) }
    }

    /// The number of front bits and its dictionary (most frequent front values first) with the smallest
    /// estimated size, judged on an evenly spread sample of up to 256 values.
    ///
    /// The sample is sorted once by bit pattern; the front values for every cut are then prefixes, so
    /// each cut's frequencies are the runs of one linear pass.
    static func chooseCut<F: StoreFloatingPoint>(
        _ values: UnsafeBufferPointer<F>, width: Int, shared: Int
    ) -> (left: Int, dictionary: [UInt64]) {
        let step = Swift.max(1, values.count / 256)
        var sample: [UInt64] = []
        sample.reserveCapacity(256)
        var i = 0
        while i < values.count && sample.count < 256 {
            sample.append(values[i].pattern64)
            i &+= step
        }
        sample.sort()
        var best = (left: 1, dictionary: [UInt64](), bits: Int.max)
        for left in 1...Swift.min(maxLeftBits, width &- shared) {
            let shift = UInt64(width &- left)
            // The 8 longest runs of equal front values: (count, front), longest first.
            var top: [(count: Int, front: UInt64)] = []
            var start = 0
            while start < sample.count {
                let front = sample[start] >> shift
                var end = start &+ 1
                while end < sample.count && sample[end] >> shift == front { end &+= 1 }
                let count = end &- start
                if top.count < maxDictionary || count > top[top.count &- 1].count {
                    if top.count == maxDictionary { top.removeLast() }
                    var k = top.count
                    while k > 0 && top[k &- 1].count < count { k &-= 1 }
                    top.insert((count, front), at: k)
                }
                start = end
            }
            let covered = top.reduce(0) { $0 &+ $1.count }
            let indexBits = top.count <= 1 ? 0 : bitWidth(UInt64(top.count &- 1))
            // Per sampled value: the packed bits, plus about 3 bytes for each exception.
            let packedBits = sample.count &* (width &- shared &- left &+ indexBits)
            let bits = packedBits &+ (sample.count &- covered) &* 24 &+ top.count &* 16
            if bits < best.bits { best = (left, top.map(\.front), bits) }
        }
        return (best.left, best.dictionary.isEmpty ? [0] : best.dictionary)
    }

    static func decode<F: StoreFloatingPoint>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<F>
    ) throws(StoreCodecError) {
        let width = F.patternBitWidth
        let left = Int(try reader.readByte("front bit count"))
        let shared = Int(try reader.readByte("shared trailing zero bits"))
        guard left >= 1, left <= maxLeftBits, left &+ shared <= width else {
            throw reader.corrupt("front bits \(left) + trailing zero bits \(shared) do not fit a \(width)-bit value")
        }
        let rightBits = width &- left &- shared
        let entries = Int(try reader.readByte("dictionary size"))
        guard entries >= 1, entries <= maxDictionary else {
            throw reader.corrupt("dictionary of \(entries) entries (1...8)")
        }
        var dictionary = [UInt64](repeating: 0, count: maxDictionary)
        for k in 0..<entries {
            let front = try reader.read(UInt16.self, "dictionary entry")
            guard Int(front) >> left == 0 else {
                throw reader.corrupt("dictionary entry \(front) is wider than \(left) bits")
            }
            dictionary[k] = UInt64(front)
        }
        let exceptionCount = try reader.readCount(atMost: Swift.min(n, reader.remaining), "exception count")
        var positions = [Int](repeating: 0, count: exceptionCount)
        var last = -1
        for k in 0..<exceptionCount {
            let gap = try reader.readCount(atMost: n, "exception position")
            let position = last &+ 1 &+ gap
            guard position < n else { throw reader.corrupt("exception position \(position) is past the \(n) values") }
            positions[k] = position
            last = position
        }
        let fronts = try reader.region(count: exceptionCount &* 2, "exception front values")
        let indexBits = entries <= 1 ? 0 : bitWidth(UInt64(entries &- 1))
        var indices = [UInt64](repeating: 0, count: n)
        var rights = [UInt64](repeating: 0, count: n)
        try indices.withUnsafeMutableBufferPointer { (indices) throws(StoreCodecError) in
            try rights.withUnsafeMutableBufferPointer { (rights) throws(StoreCodecError) in
                try BitPacking.unpack(
                    &reader, count: n, width: indexBits, adding: 0, into: indices.baseAddress.unsafelyUnwrapped)
                try BitPacking.unpack(
                    &reader, count: n, width: rightBits, adding: 0, into: rights.baseAddress.unsafelyUnwrapped)
                var largest: UInt64 = 0
                let frontShift = UInt64(width &- left)
                try dictionary.withUnsafeBufferPointer { (dictionary) throws(StoreCodecError) in
                    for i in 0..<n {
                        // Indices have at most 3 bits, so the 8-entry table is never overrun; indices
                        // at or past `entries` are rejected after the loop.
                        let k = indices[i] & 7
                        largest = Swift.max(largest, indices[i])
                        out[i] = F(pattern64: (dictionary[Int(k)] << frontShift) | (rights[i] << UInt64(shared)))
                    }
                }
                guard largest < UInt64(entries) else {
                    throw reader.corrupt("dictionary index \(largest) past \(entries) entries")
                }
                for k in 0..<exceptionCount {
                    let front = UInt64(
                        reader.buffer.loadUnaligned(fromByteOffset: fronts &+ 2 &* k, as: UInt16.self).littleEndian)
                    guard Int(front) >> left == 0 else {
                        throw StoreCodecError(
                            .corruptPayload, offset: fronts &+ 2 &* k,
                            "exception front value \(front) is wider than \(left) bits")
                    }
                    let i = positions[k]
                    guard indices[i] == 0 else {
                        throw StoreCodecError(
                            .corruptPayload, offset: fronts &+ 2 &* k,
                            "exception slot \(i) holds dictionary index \(indices[i]), not 0")
                    }
                    out[i] = F(pattern64: (front << frontShift) | (rights[i] << UInt64(shared)))
                }
            }
        }
    }
}
