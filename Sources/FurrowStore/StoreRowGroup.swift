/// Values that share timestamps — the fields of one MAVLink message, the readings of one sensor
/// uplink — stored as one time column plus N value columns, so the time column (often the most
/// expensive one, see tsdb.md: ~30 % of the bytes) is paid once per row instead of once per value.
///
/// Each column is an independent `StoreChunk` with its own codec, statistics and CRC; the store may
/// keep the chunks apart (one BLOB per series, the time chunk shared by key) using `encodeChunks()`, or
/// as one BLOB using `encode()`, whose directory lets `decodeColumn(_:at:)` read one column without
/// decoding the others.
///
/// Serialized layout (little-endian):
/// ```
/// 0   u32         CRC-32 of bytes 4..<end of directory
/// 4   u8          format version (1)
/// 5   u8          reserved, 0
/// 6   u16         value column count N
/// 8   (N+1) x u32 chunk byte counts, time chunk first
/// ..              the time chunk, then the N value chunks
/// ```
///
/// ```swift
/// let group = StoreRowGroup(timestamps: batch.timestamps, columns: [.float32(roll), .float32(pitch)])
/// let blob = group.encode()
/// let (time, pitch) = try StoreRowGroup.decodeColumn(blob, at: 1)
/// ```
public struct StoreRowGroup: Sendable {
    /// Microseconds since the Unix epoch, one per row (any order; duplicates allowed).
    public var timestamps: [Int64]
    /// Value columns, each with one value per row.
    public var columns: [StoreColumn]

    /// - Precondition: every column has `timestamps.count` values; at most 65,535 columns.
    public init(timestamps: [Int64], columns: [StoreColumn]) {
        precondition(
            columns.allSatisfy { $0.count == timestamps.count },
            "every column of a row group needs \(timestamps.count) values")
        precondition(columns.count <= Int(UInt16.max), "a row group holds at most \(UInt16.max) columns")
        self.timestamps = timestamps
        self.columns = columns
    }

    /// The format version this build writes and reads.
    public static let formatVersion: UInt8 = 1

    // MARK: - Encoding

    /// The time chunk and one chunk per value column, encoded independently.
    ///
    /// - Parameter options: per value column (missing entries use the defaults).
    public func encodeChunks(options: [StoreEncodingOptions] = []) -> StoreEncodedRowGroup {
        let time = StoreChunk.encode(.timestamp(timestamps))
        let values = columns.enumerated().map { i, column in
            StoreChunk.encode(column, options: i < options.count ? options[i] : StoreEncodingOptions())
        }
        return StoreEncodedRowGroup(time: time, columns: values)
    }

    /// The whole row group as one byte string.
    public func encode(options: [StoreEncodingOptions] = []) -> [UInt8] {
        encodeChunks(options: options).serialized()
    }

    // MARK: - Decoding

    /// Decodes every column of a serialized row group.
    ///
    /// - Throws: `StoreCodecError`; chunk errors carry offsets from the start of the row group and say
    ///   which column failed. `rowCountMismatch` if a column's length differs from the time column's.
    public static func decode(
        _ bytes: [UInt8], verifyingChecksums: Bool = true
    ) throws(StoreCodecError) -> StoreRowGroup {
        let result: Result<StoreRowGroup, StoreCodecError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(StoreCodecError) in
                let ranges = try directory(buffer, verifyingChecksum: verifyingChecksums)
                let time = try timeColumn(buffer, ranges[0], verifyingChecksums)
                var columns: [StoreColumn] = []
                columns.reserveCapacity(ranges.count - 1)
                for i in 1..<ranges.count {
                    columns.append(
                        try valueColumn(buffer, ranges[i], index: i - 1, rows: time.count, verifyingChecksums))
                }
                return StoreRowGroup(uncheckedTimestamps: time, columns: columns)
            }
        }
        return try result.get()
    }

    /// Decodes the time column and the value column at `index` only.
    public static func decodeColumn(
        _ bytes: [UInt8], at index: Int, verifyingChecksums: Bool = true
    ) throws(StoreCodecError) -> (timestamps: [Int64], values: StoreColumn) {
        let result: Result<([Int64], StoreColumn), StoreCodecError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(StoreCodecError) in
                let ranges = try directory(buffer, verifyingChecksum: verifyingChecksums)
                guard index >= 0, index < ranges.count - 1 else {
                    throw StoreCodecError(
                        .corruptPayload, offset: 6,
                        "row group has \(ranges.count - 1) value columns, no column \(index)")
                }
                let time = try timeColumn(buffer, ranges[0], verifyingChecksums)
                return (
                    time, try valueColumn(buffer, ranges[index + 1], index: index, rows: time.count, verifyingChecksums)
                )
            }
        }
        return try result.get()
    }

    /// The byte ranges of the chunks of a serialized row group, time chunk first, after checking its
    /// directory (CRC-32, version, sizes against the length): to read each chunk's header or bytes as stored.
    public static func chunkRanges(
        _ bytes: UnsafeRawBufferPointer, verifyingChecksum: Bool = true
    ) throws(StoreCodecError) -> [Range<Int>] {
        try directory(bytes, verifyingChecksum: verifyingChecksum)
    }

    private init(uncheckedTimestamps: [Int64], columns: [StoreColumn]) {
        self.timestamps = uncheckedTimestamps
        self.columns = columns
    }

    /// The byte range of each chunk, time chunk first, after checking the directory.
    static func directory(
        _ bytes: UnsafeRawBufferPointer, verifyingChecksum: Bool
    ) throws(StoreCodecError) -> [Range<Int>] {
        var reader = ByteReader(bytes)
        let checksum = try reader.read(UInt32.self, "row group checksum")
        let version = try reader.readByte("row group version")
        let reserved = try reader.readByte("row group reserved byte")
        let columnCount = Int(try reader.read(UInt16.self, "column count"))
        let directorySize = 4 &* (columnCount &+ 1)
        try reader.require(directorySize, "directory of \(columnCount + 1) chunks")
        if verifyingChecksum {
            let actual = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[4..<(8 + directorySize)]))
            guard actual == checksum else {
                throw StoreCodecError(
                    .checksumMismatch, offset: 0,
                    "row group directory CRC-32 0x\(hex(checksum)) but the bytes give 0x\(hex(actual))")
            }
        }
        guard version == formatVersion else {
            throw StoreCodecError(
                .unsupportedVersion, offset: 4,
                "row group format version \(version); this build reads version \(formatVersion)")
        }
        guard reserved == 0 else {
            throw StoreCodecError(.unsupportedVersion, offset: 5, "reserved row group byte is \(reserved), not 0")
        }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(columnCount + 1)
        var start = 8 + directorySize
        for _ in 0...columnCount {
            let size = Int(try reader.read(UInt32.self, "chunk size"))
            guard size <= bytes.count - start else {
                throw StoreCodecError(
                    .truncated, offset: bytes.count,
                    "chunk \(ranges.count) of \(size) bytes at byte \(start) runs past the"
                        + " \(bytes.count)-byte row group"
                )
            }
            ranges.append(start..<(start + size))
            start += size
        }
        guard start == bytes.count else {
            throw StoreCodecError(.trailingBytes, offset: start, "\(bytes.count - start) bytes after the last chunk")
        }
        return ranges
    }

    static func timeColumn(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ verifying: Bool
    ) throws(StoreCodecError) -> [Int64] {
        let chunk = try decodeChunk(bytes, range, what: "time column", verifying)
        guard case .timestamp(let time) = chunk.values else {
            throw StoreCodecError(
                .corruptPayload, offset: range.lowerBound + 5, "time column holds \(chunk.header.valueType) values")
        }
        return time
    }

    static func valueColumn(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, index: Int, rows: Int, _ verifying: Bool
    ) throws(StoreCodecError) -> StoreColumn {
        let chunk = try decodeChunk(bytes, range, what: "column \(index)", verifying)
        guard chunk.header.count == rows else {
            throw StoreCodecError(
                .rowCountMismatch, offset: range.lowerBound + 8,
                "column \(index) has \(chunk.header.count) values for \(rows) timestamps")
        }
        return chunk.values
    }

    /// Decodes one chunk, moving its error offsets to row-group offsets and naming the column.
    static func decodeChunk(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, what: String, _ verifying: Bool
    ) throws(StoreCodecError) -> StoreChunk {
        do throws(StoreCodecError) {
            return try StoreChunk.decode(UnsafeRawBufferPointer(rebasing: bytes[range]), verifyingChecksum: verifying)
        } catch {
            throw StoreCodecError(error.code, offset: range.lowerBound + error.offset, "\(what): \(error.message)")
        }
    }
}

/// A row group as separate chunks: the time column once and one chunk per value column.
public struct StoreEncodedRowGroup: Sendable {
    /// The time column chunk (value type `timestamp`).
    public var time: [UInt8]
    /// One chunk per value column, in column order.
    public var columns: [[UInt8]]

    public init(time: [UInt8], columns: [[UInt8]]) {
        self.time = time
        self.columns = columns
    }

    /// Bytes of all chunks.
    public var byteCount: Int { time.count + columns.reduce(0) { $0 + $1.count } }

    /// The serialized row group (see `StoreRowGroup`).
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + 4 * (columns.count + 1) + byteCount)
        out.appendLittleEndian(UInt32(0))
        out.append(StoreRowGroup.formatVersion)
        out.append(0)
        out.appendLittleEndian(UInt16(columns.count))
        out.appendLittleEndian(UInt32(time.count))
        for column in columns { out.appendLittleEndian(UInt32(column.count)) }
        let crc = out.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        out.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, as: UInt32.self) }
        out.append(contentsOf: time)
        for column in columns { out.append(contentsOf: column) }
        return out
    }
}
