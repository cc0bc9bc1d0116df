/// One DataFlash message as the reader delivers it: its format and a view of its body.
///
/// The body is valid only during the callback; read what you need (``values``, ``value(_:)``) there.
public struct DataFlashMessage {
    /// The message's format (FMT as seen so far, with FMTU units and instance field).
    public let format: DataFlashFormat
    /// File offset of the `A3 95` header.
    public let offset: Int
    /// The body after the 3-byte header: `format.length - 3` bytes.
    public let body: UnsafeRawBufferPointer

    init(format: DataFlashFormat, offset: Int, body: UnsafeRawBufferPointer) {
        self.format = format
        self.offset = offset
        self.body = body
    }

    /// The message name.
    @inlinable public var name: String { format.name }

    /// The value of field `index` (scaled for `c C e E L`).
    @inlinable public func value(_ index: Int) -> LogValue { format.fields[index].value(in: body.baseAddress!) }

    /// The value of the field with this column name.
    public subscript(_ name: String) -> LogValue? { format.fieldIndex(name).map { value($0) } }

    /// Every field's value, in format order.
    public var values: [LogValue] { format.fields.map { $0.value(in: body.baseAddress!) } }

    /// `TimeUS` (microseconds since boot) if the message has it first.
    @inlinable public var timeMicros: UInt64? {
        format.timeFieldIndex == nil ? nil : UInt64(littleEndian: body.loadUnaligned(as: UInt64.self))
    }

    /// The instance value (FMTU `#` field) when the type has one.
    public var instance: LogValue? { format.instanceFieldIndex.map { value($0) } }

    /// The series this message belongs to: the name, or `NAME[instance]` as pymavlink keys its messages.
    public var seriesKey: String {
        guard let instance else { return format.name }
        return "\(format.name)[\(DataFlashMessage.instanceText(instance))]"
    }

    static func instanceText(_ value: LogValue) -> String {
        switch value {
        case .signed(let v): String(v)
        case .unsigned(let v): String(v)
        case .text(let s): s
        case .float(let v): String(v)
        case .double(let v): String(v)
        default: "?"
        }
    }
}
