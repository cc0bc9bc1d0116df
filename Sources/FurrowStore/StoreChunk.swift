/// One compressed column chunk: the unit the store writes as a BLOB, checksums, and answers aggregates
/// from.
///
/// A chunk decodes on its own — it names its value type and codec — and carries the statistics of its
/// values in the header, so a query over whole chunks reads ~60 bytes instead of decoding. The CRC-32
/// covers every byte after it, header and statistics included: statistics answer queries without the
/// payload, so they must be as trustworthy as the values.
///
/// Layout (little-endian):
/// ```
/// 0   u32   CRC-32 (zlib) of bytes 4..<end
/// 4   u8    format version (1)
/// 5   u8    value type (StoreValueType)
/// 6   u8    codec (StoreCodec)
/// 7   u8    reserved, 0
/// 8   u32   value count (<= maximumValueCount)
/// 12  u32   payload byte count
/// 16  ...   statistics, by type (StoreChunkStatistics.size(of:); none when the count is 0)
/// ..  ...   payload
/// ```
///
/// ```swift
/// let bytes = StoreChunk.encode(.float64(voltages), options: .init(decimalExponent: 2))
/// let chunk = try StoreChunk.decode(bytes)            // throws(StoreCodecError), never traps
/// if case .float64(let values) = chunk.values { ... }
/// ```
public struct StoreChunk: Sendable {
    /// What the header says.
    public let header: StoreChunkHeader
    /// The decoded values.
    public let values: StoreColumn

    /// The format version this build writes and reads.
    public static let formatVersion: UInt8 = 1
    /// The most values one chunk may hold. The decoder rejects larger counts before allocating, so a
    /// corrupt count can never make it allocate more than a few tens of MB.
    public static let maximumValueCount = 1 << 20
    /// Bytes before the statistics.
    static let fixedHeaderSize = 16
}

/// The header of a chunk: everything but the values.
public struct StoreChunkHeader: Sendable {
    public let valueType: StoreValueType
    public let codec: StoreCodec
    /// Number of values.
    public let count: Int
    public let statistics: StoreChunkStatistics
    /// The stored CRC-32.
    public let checksum: UInt32
    /// Bytes of payload after the header.
    public let payloadSize: Int
    /// Bytes of header and statistics before the payload.
    public let payloadOffset: Int

    /// Bytes of the whole chunk.
    public var byteCount: Int { payloadOffset + payloadSize }
}

// MARK: - Decoding

extension StoreChunk {
    /// Decodes a chunk, checking its CRC-32 first.
    ///
    /// - Parameter verifyingChecksum: `false` skips the CRC (for fuzzing the codecs, or after a
    ///   caller checked it); decoding stays bounds-checked and safe either way.
    /// - Throws: `StoreCodecError` for every problem: truncation, checksum mismatch, unknown version,
    ///   type or codec, a count above `maximumValueCount`, a payload that contradicts itself, bytes
    ///   left over. It never traps and never allocates more than the (capped) count implies.
    public static func decode(_ bytes: [UInt8], verifyingChecksum: Bool = true) throws(StoreCodecError) -> StoreChunk {
        let result: Result<StoreChunk, StoreCodecError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(StoreCodecError) in try decode(buffer, verifyingChecksum: verifyingChecksum) }
        }
        return try result.get()
    }

    /// Decodes a chunk from raw memory (an SQLite BLOB, a memory-mapped file); see `decode(_:)`.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, verifyingChecksum: Bool = true
    ) throws(StoreCodecError) -> StoreChunk {
        let header = try readHeader(bytes, verifyingChecksum: verifyingChecksum)
        var reader = ByteReader(bytes, offset: header.payloadOffset, end: header.byteCount)
        let values = try decodePayload(&reader, type: header.valueType, codec: header.codec, count: header.count)
        guard reader.offset == reader.end else {
            throw reader.error(
                .trailingBytes,
                "\(reader.end - reader.offset) payload bytes left after \(header.count) \(header.valueType) values"
                    + " (\(header.codec))"
            )
        }
        return StoreChunk(header: header, values: values)
    }

    /// Reads and validates the header and statistics without decoding the values.
    public static func readHeader(
        _ bytes: [UInt8], verifyingChecksum: Bool = true
    ) throws(StoreCodecError) -> StoreChunkHeader {
        let result: Result<StoreChunkHeader, StoreCodecError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(StoreCodecError) in try readHeader(buffer, verifyingChecksum: verifyingChecksum) }
        }
        return try result.get()
    }

    /// Reads and validates the header and statistics without decoding the values.
    ///
    /// The CRC still covers the whole chunk, so checking it reads every byte (~0.5 ns each); a caller
    /// that verified the chunk when it loaded it can pass `verifyingChecksum: false` to touch only the
    /// header.
    public static func readHeader(
        _ bytes: UnsafeRawBufferPointer, verifyingChecksum: Bool = true
    ) throws(StoreCodecError) -> StoreChunkHeader {
        guard bytes.count >= fixedHeaderSize else {
            throw StoreCodecError(
                .truncated, offset: bytes.count,
                "chunk of \(bytes.count) bytes is shorter than the \(fixedHeaderSize)-byte header")
        }
        var reader = ByteReader(bytes)
        let checksum = try reader.read(UInt32.self, "checksum")
        let version = try reader.readByte("version")
        let typeByte = try reader.readByte("value type")
        let codecByte = try reader.readByte("codec")
        let reserved = try reader.readByte("reserved")
        let count = Int(try reader.read(UInt32.self, "count"))
        let payloadSize = Int(try reader.read(UInt32.self, "payload size"))
        let type = StoreValueType(rawValue: typeByte)
        let statisticsSize = count == 0 ? 0 : type.map(StoreChunkStatistics.size(of:)) ?? 0
        let declared = fixedHeaderSize + statisticsSize + payloadSize

        if verifyingChecksum {
            let actual = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[4...]))
            if actual != checksum {
                // Say *why* when the lengths already show it; the CRC fails either way.
                if type != nil && declared > bytes.count {
                    throw StoreCodecError(
                        .truncated, offset: bytes.count,
                        "chunk of \(bytes.count) bytes is cut short: its header declares \(declared)")
                }
                throw StoreCodecError(
                    .checksumMismatch, offset: 0,
                    "stored CRC-32 0x\(hex(checksum)) but the bytes give 0x\(hex(actual)): the chunk was damaged")
            }
        }
        guard version == formatVersion else {
            throw StoreCodecError(
                .unsupportedVersion, offset: 4,
                "chunk format version \(version); this build reads version \(formatVersion)")
        }
        guard let type else {
            throw StoreCodecError(
                .unknownValueType, offset: 5,
                "value type \(typeByte) is not one of \(StoreValueType.allCases.map(\.rawValue))")
        }
        guard let codec = StoreCodec(rawValue: codecByte), codec.supports(type) else {
            throw StoreCodecError(.unknownCodec, offset: 6, "codec \(codecByte) cannot hold \(type) values")
        }
        guard reserved == 0 else {
            throw StoreCodecError(.unsupportedVersion, offset: 7, "reserved header byte is \(reserved), not 0")
        }
        guard count <= maximumValueCount else {
            throw StoreCodecError(
                .countTooLarge, offset: 8, "chunk declares \(count) values; at most \(maximumValueCount) are allowed")
        }
        guard declared <= bytes.count else {
            throw StoreCodecError(
                .truncated, offset: bytes.count,
                "chunk of \(bytes.count) bytes is cut short: its header declares \(declared)")
        }
        guard declared == bytes.count else {
            throw StoreCodecError(
                .trailingBytes, offset: declared,
                "\(bytes.count - declared) bytes after the \(declared) the header declares")
        }
        guard count > 0 || (payloadSize == 0 && codec == .raw) else {
            throw StoreCodecError(
                .corruptPayload, offset: 12, "an empty chunk has \(payloadSize) payload bytes and codec \(codec)")
        }
        let statistics = count == 0 ? .none : try readStatistics(&reader, type: type)
        return StoreChunkHeader(
            valueType: type, codec: codec, count: count, statistics: statistics, checksum: checksum,
            payloadSize: payloadSize, payloadOffset: fixedHeaderSize + statisticsSize)
    }

    static func readStatistics(
        _ reader: inout ByteReader, type: StoreValueType
    ) throws(StoreCodecError) -> StoreChunkStatistics {
        switch type {
        case .float64:
            let minimum = Double(bitPattern: try reader.read(UInt64.self, "minimum"))
            let maximum = Double(bitPattern: try reader.read(UInt64.self, "maximum"))
            let first = Double(bitPattern: try reader.read(UInt64.self, "first"))
            let last = Double(bitPattern: try reader.read(UInt64.self, "last"))
            let sum = Double(bitPattern: try reader.read(UInt64.self, "sum"))
            let nanCount = Int(try reader.read(UInt32.self, "NaN count"))
            return .float64(
                StoreFloatStatistics(
                    minimum: minimum, maximum: maximum, first: first, last: last, sum: sum, nanCount: nanCount))
        case .float32:
            let minimum = Float(bitPattern: try reader.read(UInt32.self, "minimum"))
            let maximum = Float(bitPattern: try reader.read(UInt32.self, "maximum"))
            let first = Float(bitPattern: try reader.read(UInt32.self, "first"))
            let last = Float(bitPattern: try reader.read(UInt32.self, "last"))
            let sum = Double(bitPattern: try reader.read(UInt64.self, "sum"))
            let nanCount = Int(try reader.read(UInt32.self, "NaN count"))
            return .float32(
                StoreFloatStatistics(
                    minimum: minimum, maximum: maximum, first: first, last: last, sum: sum, nanCount: nanCount))
        case .timestamp, .int64, .state:
            let minimum = try reader.read(Int64.self, "minimum")
            let maximum = try reader.read(Int64.self, "maximum")
            let first = try reader.read(Int64.self, "first")
            let last = try reader.read(Int64.self, "last")
            let low = try reader.read(UInt64.self, "sum (low)")
            let high = try reader.read(Int64.self, "sum (high)")
            return .integer(
                StoreIntegerStatistics(
                    minimum: minimum, maximum: maximum, first: first, last: last,
                    sum: StoreExactSum(high: high, low: low)))
        case .bool:
            let trueCount = Int(try reader.read(UInt32.self, "true count"))
            let first = try reader.readByte("first") != 0
            let last = try reader.readByte("last") != 0
            return .bool(StoreBoolStatistics(trueCount: trueCount, first: first, last: last))
        case .string:
            return .none
        }
    }

    /// Decodes `count` values of `type` coded with `codec` from the reader's region.
    static func decodePayload(
        _ reader: inout ByteReader, type: StoreValueType, codec: StoreCodec, count n: Int
    ) throws(StoreCodecError) -> StoreColumn {
        switch type {
        case .timestamp, .int64, .state:
            var values = [Int64](repeating: 0, count: n)
            try values.withUnsafeMutableBufferPointer { (out) throws(StoreCodecError) in
                guard let base = out.baseAddress, n > 0 else { return }
                switch codec {
                case .integerSequence: try IntegerSequenceCodec.decode(&reader, count: n, into: base)
                case .runLength: try RunLengthCodec.decode(&reader, count: n, into: base)
                default: try RawCodec.decode(&reader, count: n, into: base)
                }
            }
            switch type {
            case .timestamp: return .timestamp(values)
            case .int64: return .int64(values)
            default: return .state(values)
            }
        case .float64:
            return .float64(try decodeFloats(&reader, codec: codec, count: n))
        case .float32:
            return .float32(try decodeFloats(&reader, codec: codec, count: n))
        case .bool:
            var values = [Bool](repeating: false, count: n)
            try values.withUnsafeMutableBufferPointer { (out) throws(StoreCodecError) in
                guard let base = out.baseAddress, n > 0 else { return }
                if codec == .runLength {
                    try RunLengthCodec.decode(&reader, count: n, into: base)
                } else {
                    try RawCodec.decode(&reader, count: n, into: base)
                }
            }
            return .bool(values)
        case .string:
            return .string(
                codec == .dictionary
                    ? try DictionaryCodec.decode(&reader, count: n) : try RawCodec.decode(&reader, count: n))
        }
    }

    static func decodeFloats<F: StoreFloatingPoint>(
        _ reader: inout ByteReader, codec: StoreCodec, count n: Int
    ) throws(StoreCodecError) -> [F] {
        var values = [F](repeating: 0, count: n)
        try values.withUnsafeMutableBufferPointer { (out) throws(StoreCodecError) in
            guard let base = out.baseAddress, n > 0 else { return }
            switch codec {
            case .decimal: try DecimalCodec.decode(&reader, count: n, into: base)
            case .gorilla: try GorillaCodec.decode(&reader, count: n, into: base)
            case .frontBits: try FrontBitsCodec.decode(&reader, count: n, into: base)
            case .orderedDelta: try OrderedDeltaCodec.decode(&reader, count: n, into: base)
            case .orderedDeltaHuffman: try EntropyCodedDeltaCodec.decode(&reader, count: n, into: base)
            case .residualHuffman: try ResidualHuffmanCodec.decode(&reader, count: n, into: base)
            default: try RawCodec.decode(&reader, count: n, into: base)
            }
        }
        return values
    }
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
