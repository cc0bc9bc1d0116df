/// Choices the writer can make for a chunk.
public struct StoreEncodingOptions: Sendable, Hashable {
    /// A declared resolution for float columns: the values are multiples of `10^-decimalExponent`
    /// (0.01 V → 2, 1e-7 degrees → 7, 0.1 % → 1), typically from the device profile. Skips detection;
    /// values that are not exact multiples still round-trip (as exceptions). Without it the encoder
    /// detects a scale from a sample of the chunk.
    public var decimalExponent: Int?

    public init(decimalExponent: Int? = nil) {
        self.decimalExponent = decimalExponent
    }
}

extension StoreChunk {
    /// Encodes a column into a chunk, trying every codec that fits the type and keeping the smallest
    /// payload (raw if nothing beats it).
    ///
    /// One shortcut: a float chunk that is decimal with at most 1 exception in 32 values takes the
    /// decimal codec without trying the others — on such data its integers are never larger than
    /// ordered keys or front bits, and trying them would triple the encoding time.
    ///
    /// - Precondition: at most `maximumValueCount` values (the store cuts chunks far smaller), and a
    ///   declared decimal exponent, if any, within the type's exact powers of ten (22 / 10).
    public static func encode(_ column: StoreColumn, options: StoreEncodingOptions = .init()) -> [UInt8] {
        precondition(
            column.count <= maximumValueCount, "a chunk holds at most \(maximumValueCount) values, not \(column.count)")
        guard column.count > 0 else { return assemble(column, codec: .raw, payload: []) }
        var best: (codec: StoreCodec, payload: [UInt8])? = nil
        for codec in candidates(for: column.valueType) {
            var final = false
            guard let payload = payload(column, codec: codec, options: options, final: &final) else { continue }
            if best == nil || payload.count < best!.payload.count { best = (codec, payload) }
            if final { break }
        }
        // Raw is encoded only when nothing beat its (known) size.
        if best == nil || best!.payload.count >= rawPayloadSize(column) {
            best = (.raw, payload(column, codec: .raw, options: options) ?? [])
        }
        let chosen = best ?? (.raw, [])
        return assemble(column, codec: chosen.codec, payload: chosen.payload)
    }

    /// Encodes a column with one given codec (to compare codecs, or to force `raw`); nil if the codec
    /// cannot hold the column's type.
    public static func encode(
        _ column: StoreColumn, codec: StoreCodec, options: StoreEncodingOptions = .init()
    ) -> [UInt8]? {
        precondition(
            column.count <= maximumValueCount, "a chunk holds at most \(maximumValueCount) values, not \(column.count)")
        guard codec.supports(column.valueType) else { return nil }
        guard column.count > 0 else { return assemble(column, codec: .raw, payload: []) }
        guard let payload = payload(column, codec: codec, options: options) else { return nil }
        return assemble(column, codec: codec, payload: payload)
    }

    /// The codecs tried for a type, in order of preference on equal size (raw is the fallback).
    static func candidates(for type: StoreValueType) -> [StoreCodec] {
        switch type {
        case .timestamp, .int64: [.integerSequence, .runLength]
        case .state: [.runLength, .integerSequence]
        case .float64, .float32: [.decimal, .orderedDelta, .residualHuffman, .frontBits, .gorilla]
        case .bool: [.runLength]
        case .string: [.dictionary]
        }
    }

    /// Bytes of the raw payload of `column`, without encoding it.
    static func rawPayloadSize(_ column: StoreColumn) -> Int {
        switch column {
        case .timestamp(let v), .int64(let v), .state(let v): v.count &* 8
        case .float64(let v): v.count &* 8
        case .float32(let v): v.count &* 4
        case .bool(let v): (v.count &+ 7) / 8
        case .string(let v): v.reduce(0) { $0 &+ varintSize(UInt64($1.utf8.count)) &+ $1.utf8.count }
        }
    }

    // MARK: - Payloads

    /// The payload of `column` under `codec`, or nil if the codec does not apply (e.g. no decimal scale).
    static func payload(_ column: StoreColumn, codec: StoreCodec, options: StoreEncodingOptions) -> [UInt8]? {
        var final = false
        return payload(column, codec: codec, options: options, final: &final)
    }

    /// As above; sets `final` when no other codec needs to be tried.
    static func payload(
        _ column: StoreColumn, codec: StoreCodec, options: StoreEncodingOptions, final: inout Bool
    ) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(column.count &* 2 &+ 16)
        switch column {
        case .timestamp(let values), .int64(let values), .state(let values):
            values.withUnsafeBufferPointer { values in
                switch codec {
                case .integerSequence: IntegerSequenceCodec.encode(values, into: &out)
                case .runLength: RunLengthCodec.encode(values, into: &out)
                default: RawCodec.encode(values, into: &out)
                }
            }
        case .float64(let values):
            guard floatPayload(values, codec: codec, options: options, final: &final, into: &out) else { return nil }
        case .float32(let values):
            guard floatPayload(values, codec: codec, options: options, final: &final, into: &out) else { return nil }
        case .bool(let values):
            values.withUnsafeBufferPointer { values in
                if codec == .runLength {
                    RunLengthCodec.encode(values, into: &out)
                } else {
                    RawCodec.encode(values, into: &out)
                }
            }
        case .string(let values):
            if codec == .dictionary {
                DictionaryCodec.encode(values, into: &out)
            } else {
                RawCodec.encode(values, into: &out)
            }
        }
        return out
    }

    static func floatPayload<F: StoreFloatingPoint>(
        _ values: [F], codec: StoreCodec, options: StoreEncodingOptions, final: inout Bool, into out: inout [UInt8]
    ) -> Bool {
        values.withUnsafeBufferPointer { values in
            switch codec {
            case .decimal:
                let scale: DecimalCodec.Scale?
                if let exponent = options.decimalExponent {
                    precondition(
                        (0...F.maxExactPowerOfTen).contains(exponent),
                        "decimal exponent \(exponent) is outside 0...\(F.maxExactPowerOfTen)")
                    scale = DecimalCodec.detectMode(values, exponent: exponent)
                } else {
                    scale = DecimalCodec.detectScale(values)
                }
                guard let scale else { return false }
                let exceptions = DecimalCodec.encode(values, scale: scale, into: &out)
                final = exceptions &* 32 <= values.count
            case .gorilla: GorillaCodec.encode(values, into: &out)
            case .frontBits: FrontBitsCodec.encode(values, into: &out)
            case .orderedDelta: OrderedDeltaCodec.encode(values, into: &out)
            case .orderedDeltaHuffman: EntropyCodedDeltaCodec.encode(values, into: &out)
            case .residualHuffman: ResidualHuffmanCodec.encode(values, into: &out)
            default: RawCodec.encode(values, into: &out)
            }
            return true
        }
    }

    // MARK: - Header

    /// Header, statistics and payload, with the CRC-32 over everything after it.
    static func assemble(_ column: StoreColumn, codec: StoreCodec, payload: [UInt8]) -> [UInt8] {
        precondition(
            payload.count <= Int(UInt32.max), "chunk payload of \(payload.count) bytes does not fit the format")
        let type = column.valueType
        var out: [UInt8] = []
        out.reserveCapacity(fixedHeaderSize &+ StoreChunkStatistics.size(of: type) &+ payload.count)
        out.appendLittleEndian(UInt32(0))
        out.append(formatVersion)
        out.append(type.rawValue)
        out.append(codec.rawValue)
        out.append(0)
        out.appendLittleEndian(UInt32(column.count))
        out.appendLittleEndian(UInt32(payload.count))
        if column.count > 0 { appendStatistics(column, into: &out) }
        out.append(contentsOf: payload)
        let crc = out.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        out.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, as: UInt32.self) }
        return out
    }

    static func appendStatistics(_ column: StoreColumn, into out: inout [UInt8]) {
        switch column {
        case .float64(let values):
            let s = StoreFloatStatistics(values)
            for v in [s.minimum, s.maximum, s.first, s.last, s.sum] { out.appendLittleEndian(v.bitPattern) }
            out.appendLittleEndian(UInt32(s.nanCount))
        case .float32(let values):
            let s = StoreFloatStatistics(values)
            for v in [s.minimum, s.maximum, s.first, s.last] { out.appendLittleEndian(v.bitPattern) }
            out.appendLittleEndian(s.sum.bitPattern)
            out.appendLittleEndian(UInt32(s.nanCount))
        case .timestamp(let values), .int64(let values), .state(let values):
            let s = StoreIntegerStatistics(values)
            for v in [s.minimum, s.maximum, s.first, s.last] { out.appendLittleEndian(v) }
            out.appendLittleEndian(s.sum.low)
            out.appendLittleEndian(s.sum.high)
        case .bool(let values):
            out.appendLittleEndian(UInt32(values.reduce(0) { $0 &+ ($1 ? 1 : 0) }))
            out.append(values.first == true ? 1 : 0)
            out.append(values.last == true ? 1 : 0)
        case .string:
            break
        }
    }
}
