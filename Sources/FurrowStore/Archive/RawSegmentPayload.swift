/// A segment's records, inflated and checked: the only form in which archived bytes reach a reader.
///
/// `decode` checks the row's description before allocating anything (sizes bounded by
/// `RawArchive.maximumRawSegmentSize`), inflates into a buffer of exactly the stored raw size, verifies
/// the CRC-32, then walks every record and checks it against the row (count, byte total, first and last
/// time) — all before the first record is handed out, so a damaged segment yields no records at all.
struct RawSegmentPayload: Sendable {
    /// Where one record's bytes are in `bytes`, and when they were received.
    struct Entry: Sendable {
        var time: Int64
        var start: Int32
        var count: Int32
    }

    /// The encoded records (format 1).
    let bytes: [UInt8]
    /// One entry per record, in the order received.
    let entries: [Entry]

    /// Inflates and checks one segment's BLOB against its row.
    static func decode(
        _ segment: RawArchiveSegment, blob: UnsafeRawBufferPointer
    ) throws(RawSegmentDamage) -> RawSegmentPayload {
        try checkDescription(segment, blobSize: blob.count)
        let bytes: [UInt8]
        switch RawSegmentCodec(rawValue: segment.codec) {
        case .stored:
            bytes = Array(blob)
        case .deflate:
            bytes = try RawSegmentZlib.decompress(blob, rawSize: segment.rawSize)
        case nil:
            throw RawSegmentDamage(.unsupportedCodec, "codec byte \(segment.codec) is not one this build reads")
        }
        let checksum = CRC32.checksum(bytes)
        guard checksum == segment.checksum else {
            throw RawSegmentDamage(
                .checksumMismatch,
                "CRC-32 of the \(bytes.count) record bytes is \(hex(checksum)), the row says \(hex(segment.checksum))")
        }
        let entries = bytes.withUnsafeBytes { raw in
            Result { () throws(RawSegmentDamage) in try parse(raw, segment) }
        }
        return RawSegmentPayload(bytes: bytes, entries: try entries.get())
    }

    /// Rejects rows whose sizes, times or codec cannot describe a segment this archive wrote.
    static func checkDescription(_ segment: RawArchiveSegment, blobSize: Int) throws(RawSegmentDamage) {
        if let problem = segment.columnProblem {
            throw RawSegmentDamage(.invalidDescription, "the row's columns are out of range: \(problem)")
        }
        let limit = RawArchive.maximumRawSegmentSize
        guard segment.rawSize >= 2, segment.rawSize <= limit else {
            throw RawSegmentDamage(
                .invalidDescription, "raw size \(segment.rawSize) is outside 2...\(limit) bytes")
        }
        guard segment.recordCount >= 1, segment.recordCount <= segment.rawSize / 2 else {
            throw RawSegmentDamage(
                .invalidDescription,
                "record count \(segment.recordCount) cannot fit \(segment.rawSize) raw bytes")
        }
        guard segment.byteCount >= 0, segment.byteCount <= segment.rawSize else {
            throw RawSegmentDamage(
                .invalidDescription,
                "byte count \(segment.byteCount) is outside 0...\(segment.rawSize) (the raw size)")
        }
        guard segment.storedSize == blobSize else {
            throw RawSegmentDamage(
                .sizeMismatch, "the BLOB holds \(blobSize) bytes, the row says \(segment.storedSize)")
        }
        guard segment.endTime >= segment.startTime,
            RawSegmentBuilder.age(of: segment.startTime, at: segment.endTime) < RawArchive.maximumSegmentSpan
        else {
            throw RawSegmentDamage(
                .invalidDescription,
                "time range \(segment.startTime)...\(segment.endTime) µs is reversed or longer than a segment "
                    + "may span")
        }
        if segment.codec == RawSegmentCodec.stored.rawValue, blobSize != segment.rawSize {
            throw RawSegmentDamage(
                .sizeMismatch, "a stored segment's BLOB holds \(blobSize) bytes, the raw size is \(segment.rawSize)")
        }
    }

    /// Walks every record of format 1; each length is checked against what is left before it is used.
    static func parse(
        _ raw: UnsafeRawBufferPointer, _ segment: RawArchiveSegment
    ) throws(RawSegmentDamage) -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(segment.recordCount)  // bounded by rawSize / 2 above
        var offset = 0
        var time: Int64 = 0
        var byteCount = 0
        var low = Int64.max
        var high = Int64.min
        while offset < raw.count {
            guard entries.count < segment.recordCount else {
                throw RawSegmentDamage(
                    .corruptRecords,
                    "more than the \(segment.recordCount) records the row says (byte \(offset) of \(raw.count))")
            }
            let delta = try readVarint(raw, &offset, "receive time of record \(entries.count)")
            time = time &+ ZigZag.decode(delta)
            let length = try readVarint(raw, &offset, "length of record \(entries.count)")
            guard length <= UInt64(raw.count &- offset) else {
                throw RawSegmentDamage(
                    .corruptRecords,
                    "record \(entries.count) says \(length) bytes at byte \(offset), "
                        + "only \(raw.count &- offset) are left")
            }
            guard time >= segment.startTime, time <= segment.endTime else {
                throw RawSegmentDamage(
                    .corruptRecords,
                    "record \(entries.count) was received at \(time) µs, "
                        + "outside the row's \(segment.startTime)...\(segment.endTime)")
            }
            // raw.count <= maximumRawSegmentSize (64 MiB), so offsets and lengths fit Int32.
            entries.append(Entry(time: time, start: Int32(offset), count: Int32(length)))
            offset &+= Int(length)
            byteCount &+= Int(length)
            low = min(low, time)
            high = max(high, time)
        }
        guard entries.count == segment.recordCount else {
            throw RawSegmentDamage(
                .corruptRecords, "holds \(entries.count) records, the row says \(segment.recordCount)")
        }
        guard byteCount == segment.byteCount else {
            throw RawSegmentDamage(
                .corruptRecords, "records hold \(byteCount) bytes, the row says \(segment.byteCount)")
        }
        guard low == segment.startTime, high == segment.endTime else {
            throw RawSegmentDamage(
                .corruptRecords,
                "records span \(low)...\(high) µs, the row says \(segment.startTime)...\(segment.endTime)")
        }
        return entries
    }

    /// An unsigned LEB128 varint of at most 10 bytes that must end before `raw.count`.
    static func readVarint(
        _ raw: UnsafeRawBufferPointer, _ offset: inout Int, _ what: @autoclosure () -> String
    ) throws(RawSegmentDamage) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < raw.count else {
                throw RawSegmentDamage(.corruptRecords, "\(what()): varint runs past the end at byte \(offset)")
            }
            let byte = raw[offset]
            offset &+= 1
            if shift == 63 && byte > 1 {
                throw RawSegmentDamage(.corruptRecords, "\(what()): varint at byte \(offset &- 1) overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift &+= 7
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
