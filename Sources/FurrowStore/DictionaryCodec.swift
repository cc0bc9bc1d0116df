/// Strings (modes, status text, tags) as a dictionary of the distinct values plus one small integer per
/// value: a column of "AUTO"/"RTL"/"LAND" costs its three words once and then a run or a 2-bit index.
///
/// Distinct means distinct UTF-8 bytes, not Swift `String` equality: "é" and "e\u{301}" are equal
/// Strings but different bytes, and the store gives back exactly the bytes it was given.
///
/// Payload:
/// ```
/// varint   dictionary entries d (1...count)
/// d x      varint byte length, UTF-8 bytes
/// byte     index coding: 0 = IntegerSequenceCodec, 1 = RunLengthCodec
/// ...      the indices (each < d)
/// ```
enum DictionaryCodec {
    static func encode(_ values: [String], into out: inout [UInt8]) {
        var slots: [[UInt8]: Int64] = [:]
        var entries: [[UInt8]] = []
        var indices = [Int64](repeating: 0, count: values.count)
        for (i, value) in values.enumerated() {
            let bytes = Array(value.utf8)
            if let slot = slots[bytes] {
                indices[i] = slot
            } else {
                let slot = Int64(entries.count)
                slots[bytes] = slot
                entries.append(bytes)
                indices[i] = slot
            }
        }
        out.appendVarint(UInt64(entries.count))
        for entry in entries {
            out.appendVarint(UInt64(entry.count))
            out.append(contentsOf: entry)
        }
        var packed: [UInt8] = [0]
        var runs: [UInt8] = [1]
        indices.withUnsafeBufferPointer { indices in
            IntegerSequenceCodec.encode(indices, orders: [0, 1], into: &packed)
            RunLengthCodec.encode(indices, into: &runs)
        }
        out.append(contentsOf: runs.count < packed.count ? runs : packed)
    }

    static func decode(_ reader: inout ByteReader, count n: Int) throws(StoreCodecError) -> [String] {
        guard n > 0 else { return [] }
        // Every entry takes at least its length byte, which bounds the dictionary by the payload size.
        let entryCount = try reader.readCount(atMost: Swift.min(n, reader.remaining), "dictionary size")
        guard entryCount >= 1 else { throw reader.corrupt("empty dictionary for \(n) values") }
        var entries: [String] = []
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount { entries.append(try readString(&reader)) }
        let codingOffset = reader.offset
        let coding = try reader.readByte("index coding")
        var indices = [Int64](repeating: 0, count: n)
        try indices.withUnsafeMutableBufferPointer { (indices) throws(StoreCodecError) in
            let base = indices.baseAddress.unsafelyUnwrapped
            switch coding {
            case 0: try IntegerSequenceCodec.decode(&reader, count: n, into: base)
            case 1: try RunLengthCodec.decode(&reader, count: n, into: base)
            default:
                throw StoreCodecError(.corruptPayload, offset: codingOffset, "index coding \(coding) is not 0 or 1")
            }
        }
        var values: [String] = []
        values.reserveCapacity(n)
        for index in indices {
            guard index >= 0, index < Int64(entryCount) else {
                throw reader.corrupt("dictionary index \(index) outside \(entryCount) entries")
            }
            values.append(entries[Int(index)])
        }
        return values
    }

    /// A varint length and that many bytes of valid UTF-8.
    static func readString(_ reader: inout ByteReader) throws(StoreCodecError) -> String {
        let start = reader.offset
        let length = try reader.readCount(atMost: reader.remaining, "string length")
        let bytesStart = try reader.region(count: length, "string bytes")
        let bytes = UnsafeRawBufferPointer(rebasing: reader.buffer[bytesStart..<(bytesStart &+ length)])
        let string = String(decoding: bytes, as: UTF8.self)
        // `String(decoding:)` repairs invalid UTF-8; a repaired string is not what was stored.
        guard string.utf8.elementsEqual(bytes) else {
            throw StoreCodecError(.corruptPayload, offset: start, "string of \(length) bytes is not valid UTF-8")
        }
        return string
    }
}
