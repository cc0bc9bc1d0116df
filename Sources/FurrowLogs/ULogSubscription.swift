/// A subscription ('A' message): data messages with `msgID` carry the topic `name`, instance `multiID`.
///
/// ``fields`` is the format flattened as pyulog flattens it (`accel[0]`, `esc[2].rpm`), with the padding
/// fields at the end removed; padding fields elsewhere (also inside nested types: `m[0]._padding0[0]`) are kept
/// in ``allFields`` but left out of ``fields``.
public struct ULogSubscription: Sendable, Hashable {
    /// Everything in one immutable box, so handing a subscription along with every data message costs one
    /// retain, and telling two apart is one pointer compare in the common case.
    final class Storage: Sendable {
        let name: String
        let multiID: UInt8
        let msgID: UInt16
        let fields: [LogField]
        let allFields: [LogField]
        let size: Int
        let paddedSize: Int
        let timestampOffset: Int?

        init(
            name: String, multiID: UInt8, msgID: UInt16, fields: [LogField], allFields: [LogField], size: Int,
            paddedSize: Int, timestampOffset: Int?
        ) {
            self.name = name
            self.multiID = multiID
            self.msgID = msgID
            self.fields = fields
            self.allFields = allFields
            self.size = size
            self.paddedSize = paddedSize
            self.timestampOffset = timestampOffset
        }
    }

    let storage: Storage

    /// The topic (format) name.
    public var name: String { storage.name }
    /// The instance of the topic (several GPS receivers: 0, 1, …).
    public var multiID: UInt8 { storage.multiID }
    /// The id data messages use.
    public var msgID: UInt16 { storage.msgID }
    /// Flattened fields without any `_padding` field.
    public var fields: [LogField] { storage.fields }
    /// Flattened fields as pyulog keeps them (trailing padding removed, inner padding kept).
    public var allFields: [LogField] { storage.allFields }
    /// Bytes of a data body without trailing padding (pyulog's size for the record).
    public var size: Int { storage.size }
    /// Bytes of a data body with trailing padding.
    public var paddedSize: Int { storage.paddedSize }
    /// Offset of the top-level `timestamp` (uint64), if the format has one.
    public var timestampOffset: Int? { storage.timestampOffset }

    public static func == (a: ULogSubscription, b: ULogSubscription) -> Bool {
        a.storage === b.storage
            || (a.name == b.name && a.multiID == b.multiID && a.msgID == b.msgID && a.allFields == b.allFields
                && a.paddedSize == b.paddedSize)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(multiID)
        hasher.combine(msgID)
    }

    /// Flattens the format `name` using `formats`.
    /// - Throws: ``LogReadError`` (`unknown-subscription`) for a format that is missing or nests itself.
    public init(name: String, multiID: UInt8, msgID: UInt16, formats: [String: ULogFormat], offset: Int = 0) throws(LogReadError) {
        var flat: [LogField] = []
        var at = 0
        var timestampOffset: Int?
        func flatten(_ typeName: String, prefix: String, depth: Int) throws(LogReadError) {
            guard depth < 16, let format = formats[typeName] else {
                throw LogReadError(
                    .unknownSubscription, offset: offset, messageName: "A:\(name)",
                    depth < 16 ? "format '\(typeName)' is not defined" : "formats nest deeper than 16 levels")
            }
            for field in format.fields {
                if let type = LogFieldType(ulogName: Substring(field.typeName)) {
                    if field.arraySize > 0 {
                        for i in 0..<field.arraySize {
                            flat.append(LogField(name: "\(prefix)\(field.name)[\(i)]", type: type, offset: at))
                            at += type.size
                        }
                    } else {
                        if depth == 0 && field.name == "timestamp" && type == .uint64 { timestampOffset = at }
                        flat.append(LogField(name: prefix + field.name, type: type, offset: at))
                        at += type.size
                    }
                } else if field.arraySize > 0 {
                    for i in 0..<field.arraySize {
                        try flatten(field.typeName, prefix: "\(prefix)\(field.name)[\(i)].", depth: depth + 1)
                    }
                } else {
                    try flatten(field.typeName, prefix: "\(prefix)\(field.name).", depth: depth + 1)
                }
            }
        }
        try flatten(name, prefix: "", depth: 0)
        let paddedSize = at
        while let last = flat.last, last.name.hasPrefix("_padding") { flat.removeLast() }
        storage = Storage(
            name: name, multiID: multiID, msgID: msgID, fields: flat.filter { !Self.isPadding($0.name) }, allFields: flat,
            size: flat.last.map { $0.offset + $0.size } ?? 0, paddedSize: paddedSize, timestampOffset: timestampOffset)
    }

    /// Whether a flattened name is padding: its last path component starts with `_padding`.
    public static func isPadding(_ name: String) -> Bool {
        let last = name.lastIndex(of: ".").map { name[name.index(after: $0)...] } ?? name[...]
        return last.hasPrefix("_padding")
    }

    /// The series key: the topic name, with `[multi_id]` when it is not 0.
    public var seriesKey: String { multiID == 0 ? name : "\(name)[\(multiID)]" }
}
