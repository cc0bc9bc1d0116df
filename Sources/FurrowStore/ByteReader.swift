/// A bounds-checked cursor over a chunk's bytes; every read either succeeds or throws a
/// `StoreCodecError` that names the byte offset, so no length in the data can make a decoder read past
/// the end.
///
/// Offsets are counted from the start of `buffer` (the whole chunk), so errors point at the chunk byte.
/// Hot loops validate a whole region once with `region(count:)` and then read inside it unchecked.
struct ByteReader {
    /// The whole chunk (or row group).
    let buffer: UnsafeRawBufferPointer
    /// Next byte to read.
    var offset: Int
    /// Where the current region ends (reads never pass it).
    var end: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0, end: Int? = nil) {
        self.buffer = buffer
        self.offset = offset
        self.end = end ?? buffer.count
    }

    /// Bytes left before `end`.
    var remaining: Int { end &- offset }

    /// An error at the current offset.
    func error(_ code: StoreCodecError.Code, _ message: String) -> StoreCodecError {
        StoreCodecError(code, offset: offset, message)
    }

    /// An error at the current offset, for a payload that contradicts itself.
    func corrupt(_ message: String) -> StoreCodecError {
        StoreCodecError(.corruptPayload, offset: offset, message)
    }

    /// Throws `truncated` unless `count` more bytes are available.
    @inline(__always)
    func require(_ count: Int, _ what: @autoclosure () -> String) throws(StoreCodecError) {
        guard count >= 0, count <= remaining else {
            throw error(.truncated, "\(what()) needs \(count) bytes, \(remaining) left")
        }
    }

    mutating func readByte(_ what: @autoclosure () -> String) throws(StoreCodecError) -> UInt8 {
        try require(1, what())
        let value = buffer.load(fromByteOffset: offset, as: UInt8.self)
        offset &+= 1
        return value
    }

    mutating func read<T: FixedWidthInteger>(
        _: T.Type, _ what: @autoclosure () -> String
    ) throws(StoreCodecError) -> T {
        try require(MemoryLayout<T>.size, what())
        let value = T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset &+= MemoryLayout<T>.size
        return value
    }

    /// An unsigned LEB128 varint of at most 10 bytes; overlong or oversized encodings are corrupt.
    mutating func readVarint(_ what: @autoclosure () -> String) throws(StoreCodecError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw error(.truncated, "\(what()): varint runs past the end") }
            let byte = buffer.load(fromByteOffset: offset, as: UInt8.self)
            offset &+= 1
            if shift == 63 && byte > 1 { throw corrupt("\(what()): varint does not fit 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift &+= 7
        }
    }

    /// A zigzag-encoded signed varint.
    mutating func readSignedVarint(_ what: @autoclosure () -> String) throws(StoreCodecError) -> Int64 {
        ZigZag.decode(try readVarint(what()))
    }

    /// A varint that must be at most `limit` (a count or a length), as `Int`.
    mutating func readCount(atMost limit: Int, _ what: @autoclosure () -> String) throws(StoreCodecError) -> Int {
        let start = offset
        let value = try readVarint(what())
        guard value <= UInt64(limit) else {
            throw StoreCodecError(.corruptPayload, offset: start, "\(what()) is \(value), at most \(limit) possible")
        }
        return Int(value)
    }

    /// The next `count` bytes as one validated region; advances past them.
    mutating func region(count: Int, _ what: @autoclosure () -> String) throws(StoreCodecError) -> Int {
        try require(count, what())
        let start = offset
        offset &+= count
        return start
    }
}
