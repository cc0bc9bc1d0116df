import CZlib

/// How a segment's record bytes sit in its BLOB: the `codec` byte of a `rawSegment` row.
///
/// Both codecs hold record format 1 (see `RawSegmentBuilder`); a new record format or compressor gets a
/// new byte, and a reader that does not know a byte reports the segment instead of guessing.
enum RawSegmentCodec: UInt8, Sendable {
    /// The record bytes as they are: used when deflate would not make them smaller (encrypted LoRa
    /// payloads, already-compressed uploads), so such data costs no inflate on read.
    case stored = 0
    /// Raw deflate (RFC 1951, no zlib or gzip wrapper): the row carries its own CRC-32 of the record
    /// bytes, so the wrapper's Adler-32 would only cost time.
    case deflate = 1
}

/// What was wrong with a segment, before the reader names its project, source and range.
struct RawSegmentDamage: Error {
    let code: RawArchiveError.Code
    let message: String

    init(_ code: RawArchiveError.Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// One-shot raw deflate and inflate over the system zlib.
///
/// Each call allocates its `z_stream` on the heap (zlib keeps a pointer back to it, so it must not move)
/// and frees it before returning; nothing is shared, so calls may run on any thread at once.
enum RawSegmentZlib {
    /// Raw deflate (negative window bits); 2^15 bytes of window, zlib's default and its maximum.
    static let windowBits: Int32 = -15
    /// zlib's largest hash (memLevel 9, ~770 KiB per stream instead of ~270): on MAVLink telemetry at
    /// level 1 it is ~5% faster and 1.4% smaller than the default 8. At most one stream per cooperative
    /// thread exists at a time (compression never suspends), so the memory stays small.
    static let memoryLevel: Int32 = 9

    /// Compresses `input` at `level` (1 fastest … 9 smallest), or returns nil if zlib cannot start (out of
    /// memory); the caller then stores the bytes uncompressed.
    static func compress(_ input: UnsafeRawBufferPointer, level: Int32) -> [UInt8]? {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard
            deflateInit2_(
                stream, level, Z_DEFLATED, windowBits, memoryLevel, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(stream) }

        // deflateBound is an upper bound for one Z_FINISH call, so a single call always completes.
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var status = Z_OK
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = uInt(bound)
            status = deflate(stream, Z_FINISH)
            initialized = Int(stream.pointee.total_out)
        }
        return status == Z_STREAM_END ? output : nil
    }

    /// Inflates `input`, which must hold exactly `rawSize` bytes once inflated.
    ///
    /// The output buffer is `rawSize` bytes and zlib never writes past it, so a damaged stream or a wrong
    /// stored size cannot make this allocate or write more; the caller bounds `rawSize` first.
    static func decompress(
        _ input: UnsafeRawBufferPointer, rawSize: Int
    ) throws(RawSegmentDamage) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard inflateInit2_(stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw RawSegmentDamage(.inflateFailed, "zlib could not start inflating (out of memory)")
        }
        defer { inflateEnd(stream) }

        var status = Z_OK
        let output = [UInt8](unsafeUninitializedCapacity: rawSize) { buffer, initialized in
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = uInt(rawSize)
            status = inflate(stream, Z_FINISH)
            // Only what zlib wrote is initialised.
            initialized = Int(stream.pointee.total_out)
        }
        let produced = Int(stream.pointee.total_out)
        switch status {
        case Z_STREAM_END:
            guard produced == rawSize else {
                throw RawSegmentDamage(
                    .sizeMismatch, "inflates to \(produced) bytes, the row says \(rawSize)")
            }
            guard stream.pointee.avail_in == 0 else {
                throw RawSegmentDamage(
                    .inflateFailed,
                    "\(stream.pointee.avail_in) bytes follow the end of the deflate stream")
            }
            return output
        case Z_OK, Z_BUF_ERROR:
            if stream.pointee.avail_out == 0 {
                throw RawSegmentDamage(
                    .sizeMismatch, "inflates to more than the \(rawSize) bytes the row says")
            }
            throw RawSegmentDamage(
                .inflateFailed, "deflate stream ends early, after \(produced) of \(rawSize) bytes")
        case Z_MEM_ERROR:
            throw RawSegmentDamage(.inflateFailed, "zlib ran out of memory inflating \(rawSize) bytes")
        default:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw RawSegmentDamage(.inflateFailed, "deflate stream is damaged: \(reason), after \(produced) bytes")
        }
    }
}
