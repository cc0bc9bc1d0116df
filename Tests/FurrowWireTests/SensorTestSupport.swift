/// Hex text (spaces allowed) to bytes, for test vectors copied from documents.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = text.unicodeScalars.filter { !$0.properties.isWhitespace }.map { Character($0) }
    var out: [UInt8] = []
    var i = 0
    while i + 1 < digits.count {
        out.append(UInt8(String(digits[i...i + 1]), radix: 16) ?? 0xEE)
        i += 2
    }
    return out
}

/// Bytes to lowercase hex, for readable failures.
func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// ASCII text with `\r\n` as sent on an SDI-12 bus.
func line(_ text: String) -> [UInt8] { Array((text + "\r\n").utf8) }
