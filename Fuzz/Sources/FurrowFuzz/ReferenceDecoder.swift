import FurrowWire

/// A field value reduced to what equality should mean for it: raw bit patterns (so NaNs compare) or text.
enum NormalizedValue: Equatable {
    case bits([UInt64])
    case text(String)

    init(_ value: MAVLinkValue) {
        switch value {
        case .signed(let v): self = .bits([UInt64(bitPattern: v)])
        case .unsigned(let v): self = .bits([v])
        case .float(let v): self = .bits([UInt64(v.bitPattern)])
        case .double(let v): self = .bits([v.bitPattern])
        case .text(let v): self = .text(MAVLinkValue.decodeText(v))
        case .signedArray(let v): self = .bits(v.map { UInt64(bitPattern: $0) })
        case .unsignedArray(let v): self = .bits(v)
        case .floatArray(let v): self = .bits(v.map { UInt64($0.bitPattern) })
        case .doubleArray(let v): self = .bits(v.map(\.bitPattern))
        }
    }

    /// Row `row` of a batch column.
    init(_ column: MAVLinkColumn, row: Int) {
        let n = column.field.count
        let range = (row * n)..<(row * n + n)
        switch column.values {
        case .int8(let c): self = .bits(c[range].map { UInt64(bitPattern: Int64($0)) })
        case .uint8(let c): self = .bits(c[range].map { UInt64($0) })
        case .int16(let c): self = .bits(c[range].map { UInt64(bitPattern: Int64($0)) })
        case .uint16(let c): self = .bits(c[range].map { UInt64($0) })
        case .int32(let c): self = .bits(c[range].map { UInt64(bitPattern: Int64($0)) })
        case .uint32(let c): self = .bits(c[range].map { UInt64($0) })
        case .int64(let c): self = .bits(c[range].map { UInt64(bitPattern: $0) })
        case .uint64(let c): self = .bits(c[range].map { $0 })
        case .float(let c): self = .bits(c[range].map { UInt64($0.bitPattern) })
        case .double(let c): self = .bits(c[range].map(\.bitPattern))
        case .text(let c): self = .text(c[row])
        }
    }

    /// How many elements a column holds (strings for text, rows × array length otherwise).
    static func elementCount(_ values: MAVLinkColumnValues) -> Int {
        switch values {
        case .int8(let c): c.count
        case .uint8(let c): c.count
        case .int16(let c): c.count
        case .uint16(let c): c.count
        case .int32(let c): c.count
        case .uint32(let c): c.count
        case .int64(let c): c.count
        case .uint64(let c): c.count
        case .float(let c): c.count
        case .double(let c): c.count
        case .text(let c): c.count
        }
    }
}

/// Decodes a payload byte by byte from the field table, independently of `MAVLinkMessage`.
enum ReferenceDecoder {
    /// The values `info`'s fields must have for `payload` (zero-filled or cut to the full length).
    static func decode(_ info: MAVLinkMessageInfo, payload: UnsafeRawBufferPointer) -> [NormalizedValue] {
        var full = [UInt8](repeating: 0, count: info.maxLength)
        for i in 0..<Swift.min(payload.count, info.maxLength) { full[i] = payload[i] }
        return info.fields.map { field in
            require(field.offset + field.wireSize <= info.maxLength, "\(info.name).\(field.name) past the payload")
            if field.type == .char && field.arrayLength > 0 {
                let bytes = full[field.offset..<(field.offset + field.arrayLength)]
                return .text(MAVLinkValue.decodeText(bytes))
            }
            let size = field.type.size
            return .bits(
                (0..<field.count).map { k in
                    var raw: UInt64 = 0
                    for i in 0..<size { raw |= UInt64(full[field.offset + k * size + i]) << (8 * UInt64(i)) }
                    switch field.type {
                    case .int8, .int16, .int32, .int64:
                        let shift = UInt64(64 - 8 * size)
                        return UInt64(bitPattern: Int64(bitPattern: raw << shift) >> shift)
                    default:
                        return raw
                    }
                })
        }
    }

    /// Checks a decoded message's shape and values against the reference; returns the normalised values.
    @discardableResult
    static func check(_ message: MAVLinkMessage, payload: UnsafeRawBufferPointer) -> [NormalizedValue] {
        let info = message.info
        require(message.values.count == info.fields.count, "\(info.name): \(message.values.count) values")
        for (field, value) in zip(info.fields, message.values) {
            let shapeOK: Bool
            switch (field.type, field.arrayLength == 0, value) {
            case (.char, false, .text(let bytes)): shapeOK = bytes.count <= field.arrayLength && !bytes.contains(0)
            case (.char, true, .unsigned), (.uint8, true, .unsigned), (.uint16, true, .unsigned),
                (.uint32, true, .unsigned), (.uint64, true, .unsigned):
                shapeOK = true
            case (.int8, true, .signed), (.int16, true, .signed), (.int32, true, .signed), (.int64, true, .signed):
                shapeOK = true
            case (.float, true, .float), (.double, true, .double): shapeOK = true
            case (.uint8, false, .unsignedArray(let a)), (.uint16, false, .unsignedArray(let a)),
                (.uint32, false, .unsignedArray(let a)), (.uint64, false, .unsignedArray(let a)):
                shapeOK = a.count == field.arrayLength
            case (.int8, false, .signedArray(let a)), (.int16, false, .signedArray(let a)),
                (.int32, false, .signedArray(let a)), (.int64, false, .signedArray(let a)):
                shapeOK = a.count == field.arrayLength
            case (.float, false, .floatArray(let a)): shapeOK = a.count == field.arrayLength
            case (.double, false, .doubleArray(let a)): shapeOK = a.count == field.arrayLength
            default: shapeOK = false
            }
            require(shapeOK, "\(info.name).\(field.name) (\(field.type), [\(field.arrayLength)]) decoded as \(value)")
        }
        let normalized = message.values.map(NormalizedValue.init)
        require(normalized == decode(info, payload: payload), "\(info.name) decodes differently from the reference")
        return normalized
    }
}
