/// Floats as ordered-key deltas whose bit *lengths* are Huffman-coded: for noisy float32 telemetry
/// (attitude, gyro rates) this is ~3 bits per value smaller than any fixed-width packing.
///
/// Since codec 9 (`ResidualHuffmanCodec`, which writes this payload as one of its modes) the encoder
/// no longer tries it; chunks written with it are decoded as ever.
///
/// Why: the step between two consecutive ordered keys is "noise / ulp(value)", and the ulp changes with
/// the value's binade, so within a block of 128 the step size varies over several bits; PFOR pays the
/// widest one for all 128 (plus the rounding up to whole bits). Here each delta costs the Huffman code
/// of its length L (≈ 3 bits: the length distribution is narrow) plus its L - 1 bits below the leading
/// one: within ~0.1 bit of the entropy of the lengths, measured on synthetic 50 Hz attitude
/// (24.3 bits vs 27.7 for the best fixed-width codec, 33.9 for Gorilla).
///
/// Payload:
/// ```
/// varint   first key (zigzag); nothing follows for a single value
/// byte     smallest length symbol s0 (0...64)
/// byte     symbol count k (1...65 - s0)
/// bytes    ceil(k / 2): code length of symbol s0 + i in nibble i (low nibble first; 0 = unused)
/// bits     per later value: the canonical Huffman code of L = bitWidth(zigzag(delta)), LSB first
///          (codes bit-reversed, as in DEFLATE), then the L - 1 bits of zigzag(delta) below its
///          leading one
/// ```
enum EntropyCodedDeltaCodec {
    /// Longest code: 2^11 decode table entries, enough for 65 symbols.
    static let maxCodeLength = 11

    static func encode<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, into out: inout [UInt8]) {
        let n = values.count
        guard n > 0 else { return }
        out.appendSignedVarint(values[0].orderedKey)
        guard n > 1 else { return }
        var zigzags = [UInt64](repeating: 0, count: n &- 1)
        var frequency = [Int](repeating: 0, count: 65)
        var previous = values[0].orderedKey
        for i in 1..<n {
            let key = values[i].orderedKey
            let z = ZigZag.encode(key &- previous)
            zigzags[i &- 1] = z
            frequency[bitWidth(z)] &+= 1
            previous = key
        }
        let lengths = HuffmanCode.lengths(frequency, limit: maxCodeLength)
        HuffmanCode.appendLengthTable(lengths, to: &out)
        let codes = HuffmanCode.canonicalCodes(lengths)
        var bits = 0
        for z in zigzags { bits &+= lengths[bitWidth(z)] &+ Swift.max(bitWidth(z) &- 1, 0) }
        var writer = BitWriter(maximumBits: bits)
        for z in zigzags {
            let length = bitWidth(z)
            writer.write(UInt64(codes[length]), bits: lengths[length])
            if length >= 2 { writer.write(z, bits: length &- 1) }
        }
        out.append(contentsOf: writer.finish())
    }

    static func decode<F: StoreFloatingPoint>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<F>
    ) throws(StoreCodecError) {
        guard n > 0 else { return }
        var key = try reader.readSignedVarint("first key")
        out[0] = F(orderedKey: key)
        guard n > 1 else { return }
        let first = Int(try reader.readByte("smallest length symbol"))
        let count = Int(try reader.readByte("length symbol count"))
        guard first <= 64, count >= 1, first &+ count <= 65 else {
            throw reader.corrupt("length symbols \(first)..<\(first + count) are not within 0...64")
        }
        var lengths = [Int](repeating: 0, count: 65)
        let packed = try reader.region(count: (count &+ 1) / 2, "code lengths")
        for i in 0..<count {
            let byte = reader.buffer.load(fromByteOffset: packed &+ i / 2, as: UInt8.self)
            lengths[first &+ i] = Int(i & 1 == 0 ? byte & 0x0F : byte >> 4)
        }
        // The table covers the longest code actually used (often 8-10 bits, not 11): less to fill.
        let tableBits = lengths.max() ?? 1
        let table = try HuffmanCode.decodingTable(lengths, limit: maxCodeLength, tableBits: tableBits, reader: reader)
        let tableMask = (UInt64(1) << UInt64(tableBits)) &- 1
        let start = reader.offset
        let regionBits = reader.remaining &* 8
        let readable = reader.buffer.count &- start
        let base = reader.buffer.baseAddress.unsafelyUnwrapped + start
        var bit = 0
        try table.withUnsafeBufferPointer { (table) throws(StoreCodecError) in
            let stream = LengthCodedStream(
                base: base, readable: readable, regionBits: regionBits, start: start, table: table, tableMask: tableMask)
            for i in 1..<n {
                let (z, _) = try stream.next(&bit, index: i, signMagnitude: false)
                key = key &+ ZigZag.decode(z)
                out[i] = F(orderedKey: key)
            }
        }
        reader.offset = start &+ (bit &+ 7) / 8
    }
}

/// The bit stream of codecs 8 and 9: per value a Huffman-coded bit length (with a sign bit in codec 9's
/// sign-magnitude mode), then the value's bits below its leading one.
struct LengthCodedStream {
    let base: UnsafeRawPointer
    let readable: Int
    let regionBits: Int
    let start: Int
    let table: UnsafeBufferPointer<UInt16>
    let tableMask: UInt64

    /// The zigzag value at `bit` and its symbol; advances `bit`. Throws where the stream is cut or matches no
    /// code, never reads outside the buffer.
    @inline(__always)
    func next(_ bit: inout Int, index i: Int, signMagnitude: Bool) throws(StoreCodecError) -> (z: UInt64, symbol: Int) {
        // One 8-byte load gives the code and, in all but extreme cases, the value bits after it. Bits past the
        // region are read (they are inside the buffer) but consuming them is caught below and at the end.
        let word: UInt64
        let byte = bit >> 3
        if byte &+ 8 <= readable {
            word = UInt64(littleEndian: (base + byte).loadUnaligned(as: UInt64.self)) &>> UInt64(bit & 7)
        } else {
            let available = Swift.min(57, readable &* 8 &- bit)
            guard available > 0 else {
                throw StoreCodecError(.truncated, offset: start &+ byte, "value \(i): bit stream ends")
            }
            word = BitPacking.readSlow(base, bit: bit, width: available) & ((1 << UInt64(available)) &- 1)
        }
        let entry = table[Int(word & tableMask)]
        let codeLength = Int(entry & 0x0F)
        guard codeLength != 0 else {
            throw StoreCodecError(.corruptPayload, offset: start &+ byte, "value \(i): bits match no code")
        }
        let symbol = Int(entry >> 4)
        let length = signMagnitude ? symbol >> 1 : symbol
        guard length <= 64 else {
            throw StoreCodecError(.corruptPayload, offset: start &+ byte, "value \(i): length \(length)")
        }
        var z = UInt64(length)  // lengths 0 and 1 are the values 0 and 1
        if length >= 2 {
            let extra = length &- 1
            if codeLength &+ extra <= 57 {
                z = (1 << UInt64(extra)) | ((word &>> UInt64(codeLength)) & ((1 << UInt64(extra)) &- 1))
            } else {
                guard bit &+ codeLength &+ extra <= readable &* 8 else {
                    throw StoreCodecError(
                        .truncated, offset: start &+ byte, "value \(i): bit stream ends inside a \(extra)-bit value")
                }
                let high = BitPacking.readSlow(base, bit: bit &+ codeLength, width: extra)
                z = (1 << UInt64(extra)) | (extra == 64 ? high : high & ((1 << UInt64(extra)) &- 1))
            }
            bit &+= codeLength &+ extra
        } else {
            bit &+= codeLength
        }
        guard bit <= regionBits else {
            throw StoreCodecError(.truncated, offset: start &+ byte, "value \(i): bit stream ends inside its code")
        }
        return (z, symbol)
    }
}

/// Length-limited canonical Huffman codes over small alphabets (the 65 bit lengths of a 64-bit value).
enum HuffmanCode {
    /// Codecs 8 and 9's table header: the first used symbol, how many follow, and their code lengths two
    /// per byte (low nibble first).
    static func appendLengthTable(_ lengths: [Int], to out: inout [UInt8]) {
        let used = lengths.indices.filter { lengths[$0] > 0 }
        let first = used.first ?? 0
        let count = (used.last ?? 0) &- first &+ 1
        out.append(UInt8(first))
        out.append(UInt8(count))
        for i in stride(from: 0, to: count, by: 2) {
            let low = lengths[first &+ i]
            let high = i &+ 1 < count ? lengths[first &+ i &+ 1] : 0
            out.append(UInt8(low | high << 4))
        }
    }

    /// Code lengths (0 for unused symbols) of a Huffman code for `frequency`, no longer than `limit`.
    /// A single used symbol gets length 1. Over-long codes are avoided by halving the frequencies
    /// (keeping every used symbol at least 1) and rebuilding: simple, and on 65 symbols it costs nothing.
    static func lengths(_ frequency: [Int], limit: Int) -> [Int] {
        var weights = frequency
        while true {
            let lengths = unlimitedLengths(weights)
            if lengths.max() ?? 0 <= limit { return lengths }
            weights = weights.map { $0 == 0 ? 0 : Swift.max(1, $0 >> 1) }
        }
    }

    static func unlimitedLengths(_ weights: [Int]) -> [Int] {
        var lengths = [Int](repeating: 0, count: weights.count)
        // Nodes: leaves first, then internal nodes; `parent` links give each leaf's depth.
        var nodeWeights: [Int] = []
        var parent: [Int] = []
        var leafSymbols: [Int] = []
        for (symbol, weight) in weights.enumerated() where weight > 0 {
            nodeWeights.append(weight)
            parent.append(-1)
            leafSymbols.append(symbol)
        }
        if leafSymbols.count == 1 {
            lengths[leafSymbols[0]] = 1
            return lengths
        }
        if leafSymbols.isEmpty { return lengths }
        // Repeatedly join the two lightest roots (alphabets are tiny, so a linear scan is fine).
        var roots = Array(0..<nodeWeights.count)
        while roots.count > 1 {
            roots.sort { nodeWeights[$0] != nodeWeights[$1] ? nodeWeights[$0] > nodeWeights[$1] : $0 > $1 }
            let a = roots.removeLast()
            let b = roots.removeLast()
            let joined = nodeWeights.count
            nodeWeights.append(nodeWeights[a] + nodeWeights[b])
            parent.append(-1)
            parent[a] = joined
            parent[b] = joined
            roots.append(joined)
        }
        for (leaf, symbol) in leafSymbols.enumerated() {
            var depth = 0
            var node = leaf
            while parent[node] >= 0 {
                node = parent[node]
                depth += 1
            }
            lengths[symbol] = depth
        }
        return lengths
    }

    /// Canonical codes (shorter codes first, then by symbol), bit-reversed for LSB-first writing.
    static func canonicalCodes(_ lengths: [Int]) -> [UInt32] {
        // Codes of each length start after all shorter codes (DEFLATE's construction, RFC 1951 3.2.2).
        var countOfLength = [Int](repeating: 0, count: 17)
        for length in lengths where length > 0 && length <= 16 { countOfLength[length] += 1 }
        var next = [UInt32](repeating: 0, count: 17)
        var code: UInt32 = 0
        for length in 1...16 {
            code = (code &+ UInt32(countOfLength[length &- 1])) << 1
            next[length] = code
        }
        var codes = [UInt32](repeating: 0, count: lengths.count)
        for symbol in lengths.indices where lengths[symbol] > 0 && lengths[symbol] <= 16 {
            let length = lengths[symbol]
            codes[symbol] = reverse(next[length], bits: length)
            next[length] &+= 1
        }
        return codes
    }

    /// The low `bits` bits of `code` in reverse order.
    @inline(__always)
    static func reverse(_ code: UInt32, bits: Int) -> UInt32 {
        var r: UInt32 = 0
        var c = code
        for _ in 0..<bits {
            r = r << 1 | c & 1
            c >>= 1
        }
        return r
    }

    /// A `2^tableBits`-entry table (`tableBits` = the longest code): for the next `tableBits` bits,
    /// `symbol << 4 | code length` (0 where no code matches). Throws if a length is above `limit` or
    /// the lengths over-subscribe the code space (Kraft sum above 1).
    static func decodingTable(
        _ lengths: [Int], limit: Int, tableBits: Int, reader: ByteReader
    ) throws(StoreCodecError) -> [UInt16] {
        var kraft = 0
        for length in lengths where length > 0 {
            guard length <= limit else { throw reader.corrupt("code length \(length) is above \(limit)") }
            kraft += 1 << (limit - length)
        }
        guard kraft > 0, kraft <= 1 << limit, tableBits >= 1, tableBits <= limit else {
            throw reader.corrupt("code lengths do not form a prefix code")
        }
        let codes = canonicalCodes(lengths)
        let size = 1 << tableBits
        var table = [UInt16](repeating: 0, count: size)
        table.withUnsafeMutableBufferPointer { table in
            for symbol in lengths.indices where lengths[symbol] > 0 {
                let length = lengths[symbol]
                let entry = UInt16(symbol << 4 | length)
                var fill = Int(codes[symbol])
                while fill < size {
                    table[fill] = entry
                    fill &+= 1 << length
                }
            }
        }
        return table
    }
}
