import FurrowStore

/// Hand-written JSON for large query answers (columns of numbers), where Codable's per-value cost and its
/// refusal of NaN would hurt: NaN and infinities become `null`, integers stay exact.
struct JSONText {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 12) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ text: String) {
        bytes.append(0x22)
        // Most strings (times, names) need no escaping: copy their UTF-8 at once.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(0x22)
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": bytes.append(contentsOf: [0x5C, 0x22])
            case "\\": bytes.append(contentsOf: [0x5C, 0x5C])
            case "\n": bytes.append(contentsOf: [0x5C, 0x6E])
            case "\r": bytes.append(contentsOf: [0x5C, 0x72])
            case "\t": bytes.append(contentsOf: [0x5C, 0x74])
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        bytes.append(0x22)
    }

    mutating func number(_ v: Double) {
        if v.isFinite { raw("\(v)") } else { raw("null") }
    }

    mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// `"key":` (with a leading comma unless `first`).
    mutating func key(_ name: String, first: Bool = false) {
        if !first { bytes.append(0x2C) }
        string(name)
        bytes.append(0x3A)
    }

    /// The values of `column` in `range` as a JSON array.
    mutating func values(_ column: StoreColumn, _ range: Range<Int>) {
        bytes.append(0x5B)
        var first = true
        func comma() {
            if !first { bytes.append(0x2C) }
            first = false
        }
        switch column {
        case .float64(let v): for i in range { comma(); number(v[i]) }
        case .float32(let v):
            for i in range {
                comma()
                if v[i].isFinite { raw("\(v[i])") } else { raw("null") }
            }
        case .int64(let v), .state(let v), .timestamp(let v): for i in range { comma(); raw("\(v[i])") }
        case .bool(let v): for i in range { comma(); raw(v[i] ? "true" : "false") }
        case .string(let v): for i in range { comma(); string(v[i]) }
        }
        bytes.append(0x5D)
    }
}
