/// Values as they are, the fallback no data can make larger than itself: little-endian fixed-width
/// numbers, a bitmap (LSB first) for booleans, varint length + UTF-8 bytes for strings.
enum RawCodec {
    static func encode<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, into out: inout [UInt8]) {
        let size = MemoryLayout<T>.size
        let start = out.count
        out.appendZeros(values.count &* size)
        out.withUnsafeMutableBytes { buffer in
            for (i, v) in values.enumerated() {
                buffer.storeBytes(of: v.littleEndian, toByteOffset: start &+ i &* size, as: T.self)
            }
        }
    }

    static func decode<T: FixedWidthInteger>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<T>
    ) throws(StoreCodecError) {
        let size = MemoryLayout<T>.size
        let start = try reader.region(count: n &* size, "\(n) raw values of \(size) bytes")
        for i in 0..<n {
            out[i] = T(littleEndian: reader.buffer.loadUnaligned(fromByteOffset: start &+ i &* size, as: T.self))
        }
    }

    static func encode<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, into out: inout [UInt8]) {
        let size = MemoryLayout<F.Bits>.size
        let start = out.count
        out.appendZeros(values.count &* size)
        out.withUnsafeMutableBytes { buffer in
            for (i, v) in values.enumerated() {
                buffer.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: start &+ i &* size, as: F.Bits.self)
            }
        }
    }

    static func decode<F: StoreFloatingPoint>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<F>
    ) throws(StoreCodecError) {
        let size = MemoryLayout<F.Bits>.size
        let start = try reader.region(count: n &* size, "\(n) raw values of \(size) bytes")
        for i in 0..<n {
            out[i] = F(
                bitPattern: F.Bits(
                    littleEndian: reader.buffer.loadUnaligned(fromByteOffset: start &+ i &* size, as: F.Bits.self)))
        }
    }

    static func encode(_ values: UnsafeBufferPointer<Bool>, into out: inout [UInt8]) {
        let bits = values.map { UInt64($0 ? 1 : 0) }
        bits.withUnsafeBufferPointer { BitPacking.pack($0, width: 1, into: &out) }
    }

    static func decode(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<Bool>
    ) throws(StoreCodecError) {
        let start = try reader.region(count: BitPacking.byteCount(count: n, width: 1), "bitmap of \(n) values")
        for i in 0..<n {
            out[i] = reader.buffer.load(fromByteOffset: start &+ (i >> 3), as: UInt8.self) >> UInt8(i & 7) & 1 == 1
        }
    }

    static func encode(_ values: [String], into out: inout [UInt8]) {
        for value in values {
            out.appendVarint(UInt64(value.utf8.count))
            out.append(contentsOf: value.utf8)
        }
    }

    static func decode(_ reader: inout ByteReader, count n: Int) throws(StoreCodecError) -> [String] {
        // Each string takes at least its length byte.
        try reader.require(n, "\(n) strings")
        var values: [String] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try DictionaryCodec.readString(&reader)) }
        return values
    }
}
