/// Run-length coding for states and booleans: flight mode, armed, pump on, valve open — values that hold
/// for thousands of samples, so a run costs 2-4 bytes whatever its length.
///
/// Integer payload: per run, the value's difference from the previous run's value (zigzag varint) and
/// the run length - 1 (varint), until `count` values are covered.
/// Boolean payload: the first value (one byte, 0 or 1), then each run's length - 1 (varint); runs
/// alternate between false and true.
///
/// The decoder never trusts a run length: one that would pass `count` is corrupt, so the output is never
/// larger than the chunk's declared (and capped) count.
enum RunLengthCodec {
    static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout [UInt8]) {
        var previousRunValue: Int64 = 0
        var i = 0
        while i < values.count {
            let value = values[i]
            var j = i &+ 1
            while j < values.count && values[j] == value { j &+= 1 }
            out.appendSignedVarint(value &- previousRunValue)
            out.appendVarint(UInt64(j &- i &- 1))
            previousRunValue = value
            i = j
        }
    }

    static func decode(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<Int64>
    ) throws(StoreCodecError) {
        var value: Int64 = 0
        var filled = 0
        while filled < n {
            value = value &+ (try reader.readSignedVarint("run value"))
            let length = try reader.readCount(atMost: n &- filled &- 1, "run length - 1") &+ 1
            (out + filled).update(repeating: value, count: length)
            filled &+= length
        }
    }

    static func encode(_ values: UnsafeBufferPointer<Bool>, into out: inout [UInt8]) {
        guard let first = values.first else { return }
        out.append(first ? 1 : 0)
        var i = 0
        while i < values.count {
            let value = values[i]
            var j = i &+ 1
            while j < values.count && values[j] == value { j &+= 1 }
            out.appendVarint(UInt64(j &- i &- 1))
            i = j
        }
    }

    static func decode(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<Bool>
    ) throws(StoreCodecError) {
        guard n > 0 else { return }
        let first = try reader.readByte("first boolean")
        guard first <= 1 else { throw reader.corrupt("first boolean is \(first), not 0 or 1") }
        var value = first == 1
        var filled = 0
        while filled < n {
            let length = try reader.readCount(atMost: n &- filled &- 1, "run length - 1") &+ 1
            (out + filled).update(repeating: value, count: length)
            filled &+= length
            value.toggle()
        }
    }
}
