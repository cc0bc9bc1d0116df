/// Timestamps as users type and read them: µs since the Unix epoch, or UTC ISO 8601 / RFC 3339.
public enum StoreTime {
    /// Parses `1714543200000000` (µs), `2024-05-01T06:00:00Z`, `2024-05-01 06:00:00.25Z` or with an offset
    /// (`+02:00`); nil if it is none of these.
    public static func parse(_ text: some StringProtocol) -> Int64? {
        if let micros = Int64(text) { return micros }
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count, range.allSatisfy({ b[$0] >= 48 && b[$0] <= 57 }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(b[$1] - 48) }
        }
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "t"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var micros: Int64 = 0
        if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
            i += 1
            var digits = 0
            while i < b.count && b[i] >= 48 && b[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if i < b.count && (b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z")) {
            i += 1
        } else if i + 6 == b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) && b[i + 3] == UInt8(ascii: ":"),
            let h = number(i + 1..<i + 3), let m = number(i + 4..<i + 6)
        {
            offsetSeconds = Int64(h * 3600 + m * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil  // a time without a zone is ambiguous: refuse rather than guess
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetSeconds
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? nil : scaled + micros
    }

    /// UTC ISO 8601 with µs: `2024-05-01T06:00:00.000000Z`.
    public static func format(_ micros: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        write(micros, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `format(micros)`'s UTF-8 to `bytes` without making a String: query answers write a time per
    /// row or bucket, and the String round trip was a third of a bucketed answer's cost.
    public static func write(_ micros: Int64, to bytes: inout [UInt8]) {
        let (days, remainder) = micros.quotientAndRemainder(dividingBy: 86_400_000_000)
        var d = days
        var r = remainder
        if r < 0 {
            d -= 1
            r += 86_400_000_000
        }
        let (y, m, day) = civilFromDays(d)
        // "YYYY-MM-DDTHH:MM:SS.ffffffZ" laid out in a stack buffer, then one append (an append per field was a
        // twentieth of a bucketed answer: 1,440 times per day of 1-minute buckets).
        let s = r / 1_000_000
        var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &text) { out in
            func put(_ value: Int64, _ width: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[i] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
                    v /= 10
                }
            }
            let fourDigits = (0...9999).contains(y)
            if fourDigits { put(y, 4, at: 0) }
            out[4] = 0x2D  // -
            put(m, 2, at: 5)
            out[7] = 0x2D
            put(day, 2, at: 8)
            out[10] = 0x54  // T
            put(s / 3600, 2, at: 11)
            out[13] = 0x3A  // :
            put(s / 60 % 60, 2, at: 14)
            out[16] = 0x3A
            put(s % 60, 2, at: 17)
            out[19] = 0x2E  // .
            put(r % 1_000_000, 6, at: 20)
            out[26] = 0x5A  // Z
            if !fourDigits { bytes.append(contentsOf: String(y).utf8) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: out[(fourDigits ? 0 : 4)..<27]))
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `daysFromCivil`.
    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
