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

    /// One ASCII byte (`,`, `[`…) without going through a String.
    mutating func byte(_ b: UInt8) {
        bytes.append(b)
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

    /// A double that reads back as exactly `v`: the fewest decimals (up to 9) that round-trip, else Swift's
    /// shortest representation; NaN and infinities become `null`.
    ///
    /// Most stored values are fixed decimals (0.01 V, 4-decimal angles), so the decimal path takes them
    /// without building a String; it is exact because `m / 10^k` with both operands exact doubles is the
    /// correctly rounded value of the decimal `m·10^-k` that a JSON parser reads.
    mutating func number(_ v: Double) {
        _ = decimal(v)
    }

    /// `number(v)`; false if it was written in Swift's shortest form (not a short decimal, or not finite).
    @discardableResult
    mutating func decimal(_ v: Double) -> Bool {
        guard v.isFinite else {
            raw("null")
            return false
        }
        let magnitude = v.magnitude
        if magnitude < 1e15 && (magnitude >= 1e-4 || v == 0) {
            for k in 0..<Self.powersOfTen.count {
                let scale = Self.powersOfTen[k]
                let x = v * scale
                guard x.magnitude < 0x1p51 else { break }
                // Round to nearest by the 1.5·2^52 trick (libm's round is a call on baseline x86-64).
                let m = (x + 0x1.8p52) - 0x1.8p52
                // Only a product within two ulps of an integer can be m·10^-k; skip the division otherwise.
                guard (x - m).magnitude <= x.magnitude * 0x1p-51, m / scale == v else { continue }
                if v.sign == .minus { bytes.append(0x2D) }
                let digits = UInt64(m.magnitude)
                let divisor = UInt64(scale)
                unsignedInteger(digits / divisor)
                bytes.append(0x2E)  // .
                if k == 0 {
                    bytes.append(0x30)
                } else {
                    fixedDigits(digits % divisor, width: k)
                }
                return true
            }
        }
        bytes.append(contentsOf: v.description.utf8)
        return false
    }

    private static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    mutating func integer(_ v: Int64) {
        if v < 0 { bytes.append(0x2D) }
        unsignedInteger(v.magnitude)
    }

    mutating func unsignedInteger(_ v: UInt64) {
        var width = 1
        var limit: UInt64 = 10
        while width < 20 && v >= limit {
            width += 1
            limit = limit &* 10
        }
        fixedDigits(v, width: width)
    }

    /// `v` as exactly `width` (1...20) digits, zero-padded on the left.
    mutating func fixedDigits(_ v: UInt64, width: Int) {
        precondition((1...20).contains(width))
        // Digits go right to left into a stack buffer, then one append (a per-digit array store was a tenth of
        // a bucketed answer).
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { digits in
            var rest = v
            for i in stride(from: width - 1, through: 0, by: -1) {
                digits[i] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[0..<width]))
        }
    }

    /// `[v0,v1,…]` with `number(_:)` for each.
    ///
    /// A column whose values are not short decimals (means, sums) would try ten scales per value before
    /// Swift's shortest form: after 16 such values in a row the rest of the column goes straight to it. Both
    /// forms read back as exactly the same double.
    mutating func doubles(_ values: [Double]) {
        bytes.append(0x5B)
        var misses = 0
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            if misses >= 16 {
                if v.isFinite { bytes.append(contentsOf: v.description.utf8) } else { raw("null") }
            } else if decimal(v) {
                misses = 0
            } else {
                misses += 1
            }
        }
        bytes.append(0x5D)
    }

    /// A quoted RFC 3339 UTC time with µs (`StoreTime.format`), written in place.
    mutating func time(_ micros: Int64) {
        bytes.append(0x22)
        StoreTime.write(micros, to: &bytes)
        bytes.append(0x22)
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
        case .int64(let v), .state(let v), .timestamp(let v): for i in range { comma(); integer(v[i]) }
        case .bool(let v): for i in range { comma(); raw(v[i] ? "true" : "false") }
        case .string(let v): for i in range { comma(); string(v[i]) }
        }
        bytes.append(0x5D)
    }
}
