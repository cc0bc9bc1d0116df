/// How a chunk's payload is coded; stored in the chunk header, chosen per chunk by the encoder.
///
/// The numbers are part of the on-disk format: never renumber, only add.
public enum StoreCodec: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Values as they are: fixed-width little-endian numbers, a bitmap for booleans, length-prefixed
    /// strings. The fallback that is never larger than the data.
    case raw = 0
    /// Integers as order-0/1/2 differences / common factor, PFOR bit-packed (`IntegerSequenceCodec`).
    case integerSequence = 1
    /// Runs of equal values (`RunLengthCodec`).
    case runLength = 2
    /// Floats as scaled decimal integers with patched exceptions (ALP, `DecimalCodec`).
    case decimal = 3
    /// Floats as Gorilla XOR streams (`GorillaCodec`).
    case gorilla = 4
    /// Floats as dictionary-coded front bits + packed low bits (ALP_rd, `FrontBitsCodec`).
    case frontBits = 5
    /// Floats as order-preserving integer keys, delta coded (`OrderedDeltaCodec`).
    case orderedDelta = 6
    /// Strings as a dictionary plus indices (`DictionaryCodec`).
    case dictionary = 7
    /// Floats as ordered-key deltas with Huffman-coded bit lengths (`EntropyCodedDeltaCodec`).
    case orderedDeltaHuffman = 8
    /// Floats as predicted ordered or sign-magnitude keys, Huffman-coded residual lengths and sign flips
    /// (`ResidualHuffmanCodec`).
    case residualHuffman = 9

    /// Whether this codec can hold values of `type`.
    public func supports(_ type: StoreValueType) -> Bool {
        switch self {
        case .raw: true
        case .integerSequence: type == .timestamp || type == .int64 || type == .state
        case .runLength: type == .timestamp || type == .int64 || type == .state || type == .bool
        case .decimal, .gorilla, .frontBits, .orderedDelta, .orderedDeltaHuffman, .residualHuffman: type == .float64 || type == .float32
        case .dictionary: type == .string
        }
    }

    public var description: String {
        switch self {
        case .raw: "raw"
        case .integerSequence: "integer-sequence"
        case .runLength: "run-length"
        case .decimal: "decimal"
        case .gorilla: "gorilla"
        case .frontBits: "front-bits"
        case .orderedDelta: "ordered-delta"
        case .dictionary: "dictionary"
        case .orderedDeltaHuffman: "ordered-delta-huffman"
        case .residualHuffman: "residual-huffman"
        }
    }
}
