/// A ULog format definition ('F' message): `name:type field;type field;…`.
///
/// Field types are the basic types (`int8_t` … `double`, `bool`, `char`), optionally arrays (`float[3]`),
/// or the name of another format (nested, also as arrays). Fields named `_padding…` only fill space.
public struct ULogFormat: Sendable, Hashable {
    /// One declared field.
    public struct Field: Sendable, Hashable {
        /// The type name as written (`float`, `esc_report`).
        public let typeName: String
        /// Array length, 0 for a scalar.
        public let arraySize: Int
        /// The field name.
        public let name: String
    }

    /// The format (message) name.
    public let name: String
    /// Fields in declaration order.
    public let fields: [Field]

    /// Parses the text of an 'F' message.
    /// - Throws: ``LogReadError`` (`bad-format`) when the text has no `:` or a field is malformed.
    public init(text: String, offset: Int = 0) throws(LogReadError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw LogReadError(.badFormat, offset: offset, messageName: "F", "no ':' in \"\(text.prefix(80))\"")
        }
        name = String(text[..<colon])
        var fields: [Field] = []
        for part in text[text.index(after: colon)...].split(separator: ";") where !part.isEmpty {
            let pieces = part.split(separator: " ", omittingEmptySubsequences: true)
            guard pieces.count == 2 else {
                throw LogReadError(.badFormat, offset: offset, messageName: "F:\(name)", "field \"\(part)\" is not \"type name\"")
            }
            var typeName = pieces[0]
            var arraySize = 0
            if let open = typeName.firstIndex(of: "[") {
                guard let close = typeName.firstIndex(of: "]"), close > open,
                    let n = Int(typeName[typeName.index(after: open)..<close]), n >= 0, n <= 0xFFFF
                else {
                    throw LogReadError(.badFormat, offset: offset, messageName: "F:\(name)", "bad array size in \"\(part)\"")
                }
                arraySize = n
                typeName = typeName[..<open]
            }
            fields.append(Field(typeName: String(typeName), arraySize: arraySize, name: String(pieces[1])))
        }
        self.fields = fields
    }
}
