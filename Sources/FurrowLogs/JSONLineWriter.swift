import FurrowWire

/// Writes decoded MAVLink messages as JSON lines identical to pymavlink's `mavlogdump.py --format json`.
///
/// Same keys in the same order (`meta` then `data`, fields in XML declaration order), the same number
/// spelling (Python's `repr` for floats, `NaN`/`Infinity` included) and the same string escaping
/// (`ensure_ascii`), so outputs can be compared byte for byte or value for value.
public struct JSONLineWriter: Sendable {
    /// Add `srcSystem` and `srcComponent` to `meta` (mavlogdump's `--show-source`).
    public var showSource: Bool
    /// Add `seq` to `meta`.
    public var showSequence: Bool

    public init(showSource: Bool = false, showSequence: Bool = false) {
        self.showSource = showSource
        self.showSequence = showSequence
    }

    /// Appends one line (with its newline) for a decoded message to `out`.
    public func write(
        _ message: MAVLinkMessage, timestamp: Double, source: MAVLinkSourceID, sequence: UInt8, to out: inout [UInt8]
    ) {
        writeMeta(type: message.info.name, timestamp: timestamp, source: source, sequence: sequence, to: &out)
        var first = true
        for index in message.info.declarationOrder {
            if !first { out.append(contentsOf: ", ".utf8) }
            first = false
            Self.appendString(message.info.fields[index].name, to: &out)
            out.append(contentsOf: ": ".utf8)
            Self.appendValue(message.values[index], to: &out)
        }
        out.append(contentsOf: "}}\n".utf8)
    }

    /// Appends one line for a frame of unknown id (`UNKNOWN_<id>` with the payload bytes, as pymavlink).
    public func writeUnknown(_ frame: MAVLinkFrame, timestamp: Double, to out: inout [UInt8]) {
        writeMeta(
            type: "UNKNOWN_\(frame.messageID)", timestamp: timestamp,
            source: MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID),
            sequence: frame.sequence, to: &out)
        out.append(contentsOf: "\"data\": [".utf8)
        frame.withUnsafePayload { payload in
            for (i, byte) in payload.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                Self.appendInteger(UInt64(byte), to: &out)
            }
        }
        out.append(contentsOf: "]}}\n".utf8)
    }

    private func writeMeta(type: String, timestamp: Double, source: MAVLinkSourceID, sequence: UInt8, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"meta\": {\"type\": ".utf8)
        Self.appendString(type, to: &out)
        out.append(contentsOf: ", \"timestamp\": ".utf8)
        Self.appendDouble(timestamp, to: &out)
        if showSource {
            out.append(contentsOf: ", \"srcSystem\": ".utf8)
            Self.appendInteger(UInt64(source.systemID), to: &out)
            out.append(contentsOf: ", \"srcComponent\": ".utf8)
            Self.appendInteger(UInt64(source.componentID), to: &out)
        }
        if showSequence {
            out.append(contentsOf: ", \"seq\": ".utf8)
            Self.appendInteger(UInt64(sequence), to: &out)
        }
        out.append(contentsOf: "}, \"data\": {".utf8)
    }

    // MARK: - Values

    /// Appends one value as mavlogdump's JSON spells it.
    public static func appendValue(_ value: MAVLinkValue, to out: inout [UInt8]) {
        switch value {
        case .signed(let v): appendSigned(v, to: &out)
        case .unsigned(let v): appendInteger(v, to: &out)
        case .float(let v): appendDouble(Double(v), to: &out)
        case .double(let v): appendDouble(v, to: &out)
        case .text: appendString(value.text ?? "", to: &out)
        // pymavlink shows a one-element array as a scalar.
        case .signedArray(let a): appendArray(a, to: &out) { appendSigned($0, to: &$1) }
        case .unsignedArray(let a): appendArray(a, to: &out) { appendInteger($0, to: &$1) }
        case .floatArray(let a): appendArray(a, to: &out) { appendDouble(Double($0), to: &$1) }
        case .doubleArray(let a): appendArray(a, to: &out) { appendDouble($0, to: &$1) }
        }
    }

    static func appendArray<T>(_ values: [T], to out: inout [UInt8], _ element: (T, inout [UInt8]) -> Void) {
        if values.count == 1 {
            element(values[0], &out)
            return
        }
        out.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(contentsOf: ", ".utf8) }
            element(v, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func appendSigned(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        appendInteger(v.magnitude, to: &out)
    }

    static func appendInteger(_ v: UInt64, to out: inout [UInt8]) {
        out.append(contentsOf: String(v).utf8)
    }

    /// Python's `repr(float)`: shortest round-trip digits, fixed notation for decimal exponents -4..<16,
    /// scientific with a signed two-digit exponent otherwise; `NaN`, `Infinity`, `-Infinity` as `json` writes.
    public static func pythonRepr(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description also gives the shortest round-trip digits; re-spell them the Python way.
        var text = Swift.abs(v).description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var digits = ""
        var pointPosition = 0
        if let dot = text.firstIndex(of: ".") {
            let integerPart = text[..<dot]
            let fractionPart = text[text.index(after: dot)...]
            digits = String(integerPart) + fractionPart
            pointPosition = integerPart.count
        } else {
            digits = text
            pointPosition = text.count
        }
        // Normalise: strip leading zeros (moving the point) and trailing zeros.
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let decpt = pointPosition + exponent  // value = 0.DIGITS × 10^decpt
        var result = v.sign == .minus ? "-" : ""
        if decpt > -4 && decpt <= 16 {
            if decpt <= 0 {
                result += "0." + String(repeating: "0", count: -decpt) + digits
            } else if decpt >= digits.count {
                result += digits + String(repeating: "0", count: decpt - digits.count) + ".0"
            } else {
                let cut = digits.index(digits.startIndex, offsetBy: decpt)
                result += digits[..<cut] + "." + digits[cut...]
            }
        } else {
            result += String(digits.prefix(1))
            if digits.count > 1 { result += "." + digits.dropFirst() }
            let e = decpt - 1
            result += e < 0 ? "e-" : "e+"
            let magnitude = Swift.abs(e)
            result += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
        }
        return result
    }

    static func appendDouble(_ v: Double, to out: inout [UInt8]) {
        out.append(contentsOf: pythonRepr(v).utf8)
    }

    /// A JSON string as Python's `json.dumps` writes it (`ensure_ascii=True`).
    static func appendString(_ s: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        func unicodeEscape(_ unit: UInt16, _ out: inout [UInt8]) {
            out.append(contentsOf: "\\u".utf8)
            out.append(hex[Int(unit >> 12)])
            out.append(hex[Int((unit >> 8) & 0xF)])
            out.append(hex[Int((unit >> 4) & 0xF)])
            out.append(hex[Int(unit & 0xF)])
        }
        out.append(UInt8(ascii: "\""))
        for unit in s.utf16 {
            switch unit {
            case 0x22: out.append(contentsOf: "\\\"".utf8)
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0x20..<0x7F: out.append(UInt8(unit))
            default: unicodeEscape(unit, &out)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
