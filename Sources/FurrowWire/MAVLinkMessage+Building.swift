extension MAVLinkMessage {
    /// A message of type `name` with the given field values; fields not given are zero.
    ///
    /// Values are checked against their fields when the message is encoded, not here (so a decoded
    /// message and a built one behave the same way).
    ///
    /// ```swift
    /// let text = try MAVLinkMessage(named: "STATUSTEXT", fields: ["severity": .unsigned(6), "text": .text(Array("Armed".utf8))])
    /// ```
    ///
    /// - Throws: `MAVLinkEncodingError` with `.unknownMessage` or `.unknownField`.
    public init(
        named name: String, in dialect: MAVLinkDialect = .ardupilotmega, fields: KeyValuePairs<String, MAVLinkValue>
    ) throws(MAVLinkEncodingError) {
        guard let info = dialect.message(named: name) else {
            throw MAVLinkEncodingError(code: .unknownMessage, message: name, reason: "not in dialect \(dialect.name)")
        }
        var values = info.fields.map(MAVLinkValue.zero(for:))
        for (field, value) in fields {
            guard let index = info.fieldIndex(named: field) else {
                throw MAVLinkEncodingError(
                    code: .unknownField, message: name, field: field, reason: "\(name) has no field \(field)")
            }
            values[index] = value
        }
        self.init(info: info, values: values)
    }
}

extension MAVLinkValue {
    /// The value a zero-filled payload decodes to for `field`.
    public static func zero(for field: MAVLinkFieldInfo) -> MAVLinkValue {
        let signed: Bool
        switch field.type {
        case .int8, .int16, .int32, .int64: signed = true
        default: signed = false
        }
        if field.arrayLength == 0 {
            switch field.type {
            case .float: return .float(0)
            case .double: return .double(0)
            default: return signed ? .signed(0) : .unsigned(0)
            }
        }
        let n = field.arrayLength
        switch field.type {
        case .char: return .text([])
        case .float: return .floatArray(Array(repeating: 0, count: n))
        case .double: return .doubleArray(Array(repeating: 0, count: n))
        default: return signed ? .signedArray(Array(repeating: 0, count: n)) : .unsignedArray(Array(repeating: 0, count: n))
        }
    }
}
