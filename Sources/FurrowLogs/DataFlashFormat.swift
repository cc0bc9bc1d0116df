/// One DataFlash message type as its FMT record (type 128) describes it, with units from FMTU.
///
/// Format characters (ArduPilot `LogStructure.h`, pymavlink `DFReader.py`): `b B h H i I q Q` integers,
/// `f` float, `d` double, `g` half float, `n N Z` char[4/16/64], `c C e E` int16/uint16/int32/uint32 × 0.01,
/// `L` int32 latitude/longitude × 1e-7 degrees, `M` uint8 flight mode, `a` int16[32].
public struct DataFlashFormat: Sendable, Hashable {
    /// The message type byte (third header byte).
    public let type: UInt8
    /// The message name (`GPS`, `ATT`, …).
    public let name: String
    /// Whole message length in bytes, 3-byte header included, as FMT states it.
    public let length: Int
    /// The format characters.
    public let formatCharacters: String
    /// One field per format character; names from the FMT columns.
    public internal(set) var fields: [LogField]
    /// The field that tells instances apart (FMTU unit `#`): each value is a separate series.
    public internal(set) var instanceFieldIndex: Int?
    /// Index of a leading `TimeUS` field (microseconds since boot), if the message has one.
    public let timeFieldIndex: Int?

    /// pymavlink's FMT for FMT, which every log starts from.
    public static let fmt = try! DataFlashFormat(
        type: 0x80, name: "FMT", length: 89, format: "BBnNZ", columns: "Type,Length,Name,Format,Columns")

    /// Builds a format from the text of an FMT record.
    /// - Throws: ``LogReadError`` (`bad-format`) for an unknown format character, or when the field sizes do
    ///   not add up to `length - 3`.
    public init(type: UInt8, name: String, length: Int, format: String, columns: String, offset: Int = 0) throws(LogReadError) {
        self.type = type
        self.name = name
        self.length = length
        self.formatCharacters = format
        let names = columns.isEmpty ? [] : columns.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var fields: [LogField] = []
        var at = 0
        for (i, c) in format.utf8.enumerated() {
            let fieldName = i < names.count ? names[i] : "_field\(i)"
            let field: LogField
            switch c {
            case UInt8(ascii: "b"): field = LogField(name: fieldName, type: .int8, offset: at)
            case UInt8(ascii: "B"): field = LogField(name: fieldName, type: .uint8, offset: at)
            case UInt8(ascii: "M"): field = LogField(name: fieldName, type: .uint8, offset: at)
            case UInt8(ascii: "h"): field = LogField(name: fieldName, type: .int16, offset: at)
            case UInt8(ascii: "H"): field = LogField(name: fieldName, type: .uint16, offset: at)
            case UInt8(ascii: "i"): field = LogField(name: fieldName, type: .int32, offset: at)
            case UInt8(ascii: "I"): field = LogField(name: fieldName, type: .uint32, offset: at)
            case UInt8(ascii: "q"): field = LogField(name: fieldName, type: .int64, offset: at)
            case UInt8(ascii: "Q"): field = LogField(name: fieldName, type: .uint64, offset: at)
            case UInt8(ascii: "f"): field = LogField(name: fieldName, type: .float32, offset: at)
            case UInt8(ascii: "d"): field = LogField(name: fieldName, type: .float64, offset: at)
            case UInt8(ascii: "g"): field = LogField(name: fieldName, type: .float16, offset: at)
            // pymavlink divides by 1/mult (100 and 1/1e-7) rather than multiplying: same here, for the same bits.
            case UInt8(ascii: "c"): field = LogField(name: fieldName, type: .int16, offset: at, divisor: 1 / 0.01)
            case UInt8(ascii: "C"): field = LogField(name: fieldName, type: .uint16, offset: at, divisor: 1 / 0.01)
            case UInt8(ascii: "e"): field = LogField(name: fieldName, type: .int32, offset: at, divisor: 1 / 0.01)
            case UInt8(ascii: "E"): field = LogField(name: fieldName, type: .uint32, offset: at, divisor: 1 / 0.01)
            case UInt8(ascii: "L"): field = LogField(name: fieldName, type: .int32, offset: at, divisor: 1 / 1.0e-7)
            case UInt8(ascii: "n"): field = LogField(name: fieldName, type: .char, shape: .text, count: 4, offset: at)
            case UInt8(ascii: "N"): field = LogField(name: fieldName, type: .char, shape: .text, count: 16, offset: at)
            case UInt8(ascii: "Z"): field = LogField(name: fieldName, type: .char, shape: .text, count: 64, offset: at)
            case UInt8(ascii: "a"): field = LogField(name: fieldName, type: .int16, shape: .array, count: 32, offset: at)
            default:
                throw LogReadError(
                    .badFormat, offset: offset, messageName: name,
                    "unsupported format character '\(Character(Unicode.Scalar(c)))' in \"\(format)\"")
            }
            fields.append(field)
            at += field.size
        }
        guard at == length - 3 else {
            throw LogReadError(
                .badFormat, offset: offset, messageName: name,
                "fields \"\(format)\" take \(at) bytes but FMT says \(length) - 3 = \(length - 3)")
        }
        self.fields = fields
        self.timeFieldIndex = fields.first.flatMap { $0.name == "TimeUS" && $0.type == .uint64 ? 0 : nil }
    }

    /// The index of the field with this column name.
    public func fieldIndex(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }
}
