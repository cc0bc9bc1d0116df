import FurrowLogs
import FurrowWire

/// Cheap cross-checks of the building blocks against byte-at-a-time references, on the raw input.
struct PrimitiveChecks {
    let input: UnsafeRawBufferPointer
    let seed: UInt64

    func run() {
        let n = input.count

        // CRC-16/MCRF4XX: the bulk update against one byte at a time.
        var bulk = CRC16MCRF4XX()
        bulk.update(input)
        var bytewise = CRC16MCRF4XX()
        for byte in input { bytewise.update(byte: byte) }
        require(bulk.value == bytewise.value, "CRC bulk \(bulk.value) vs bytewise \(bytewise.value)")
        require(CRC16MCRF4XX.checksum(Array(input)) == bytewise.value, "CRC checksum(_:)")

        // Start-byte scan from a seeded offset against a plain search.
        let from = n == 0 ? 0 : Int(seed % UInt64(n + 1))
        if let base = input.baseAddress {
            let found = StartByteScanner.firstStartByte(in: base, from: from, to: n)
            let naive = input[from...].firstIndex { $0 == 0xFD || $0 == 0xFE } ?? n
            require(found == naive, "firstStartByte from \(from): \(found), plain search \(naive)")
        }
        let first = StartByteScanner.firstStartByte(in: Array(input))
        require(first == input.firstIndex { $0 == 0xFD || $0 == 0xFE }, "firstStartByte(in:)")

        // Text as pymavlink shows it: cut at NUL, ASCII, each byte above 0x7F as U+FFFD.
        let text = MAVLinkValue.decodeText(Array(input))
        let cut = input.prefix { $0 != 0 }
        require(Array(text.unicodeScalars) == cut.map { $0 < 0x80 ? Unicode.Scalar($0) : "\u{FFFD}" }, "decodeText")

        // Any payload, longer or shorter than the message, decodes to the reference values.
        if !dialect.messages.isEmpty {
            let info = dialect.messages[Int(seed % UInt64(dialect.messages.count))]
            ReferenceDecoder.check(MAVLinkMessage(info: info, payload: input), payload: input)
        }

        // A signing key from arbitrary text: either refused or 32 bytes.
        let hexKey = String(decoding: input.prefix(80), as: UTF8.self)
        if let policy = try? MAVLinkSigningPolicy(hexKey: hexKey) {
            require(policy.key.count == 32, "a hex key of \(policy.key.count) bytes accepted")
        }

        _ = TlogReader.looksLikeTlog(input)
    }
}
