/// Removes the recorder's own command from what the bus sends back: on a one-wire SDI-12 line many adapters
/// hear themselves, so `0M!` arrives in front of `00013<CR><LF>`; adapters that do not echo pass unchanged.
///
/// Bytes that could still be the echo are held until they either complete it (dropped) or stop matching
/// (released in order, followed by the rest).
struct SDI12EchoFilter: Sendable {
    private var echo: [UInt8] = []
    private var matched = 0

    /// The command just sent: its characters may come back first.
    mutating func expect(_ command: [UInt8]) {
        echo = command
        matched = 0
    }

    /// What is left of `bytes` once the echo is taken out.
    mutating func filter(_ bytes: [UInt8]) -> [UInt8] {
        guard !echo.isEmpty else { return bytes }
        var out: [UInt8] = []
        for (i, byte) in bytes.enumerated() {
            if matched < echo.count && byte == echo[matched] {
                matched += 1
                if matched == echo.count {
                    echo = []
                    matched = 0
                    return Array(bytes[(i + 1)...])
                }
                continue
            }
            // Not an echo after all: the held bytes were the answer's start.
            out = Array(echo[0..<matched]) + bytes[i...]
            echo = []
            matched = 0
            return out
        }
        return out
    }
}
