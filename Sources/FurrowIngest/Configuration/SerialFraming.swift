/// Character framing of a serial line: data bits, parity, stop bits (`8N1`, `7E1`).
public struct SerialFraming: Sendable, Hashable, LosslessStringConvertible {
    public enum Parity: String, Sendable, Hashable, CaseIterable {
        case none = "N", even = "E", odd = "O"
    }

    /// 5...8.
    public var dataBits: Int
    public var parity: Parity
    /// 1 or 2.
    public var stopBits: Int

    /// 8 data bits, no parity, 1 stop bit: what every MAVLink telemetry radio and autopilot port uses.
    public static let eightNoneOne = SerialFraming(dataBits: 8, parity: .none, stopBits: 1)

    public init(dataBits: Int, parity: Parity, stopBits: Int) {
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
    }

    /// Parses `8N1`-style text (case-insensitive parity letter); nil for anything else.
    public init?(_ description: String) {
        let characters = Array(description.uppercased())
        guard characters.count == 3,
            let data = characters[0].wholeNumberValue, (5...8).contains(data),
            let parity = Parity(rawValue: String(characters[1])),
            let stop = characters[2].wholeNumberValue, (1...2).contains(stop)
        else { return nil }
        self.init(dataBits: data, parity: parity, stopBits: stop)
    }

    public var description: String { "\(dataBits)\(parity.rawValue)\(stopBits)" }
}

/// Flow control of a serial line.
public enum SerialFlowControl: String, Sendable, Hashable, CaseIterable {
    case none
    /// Hardware RTS/CTS (SiK and RFD900 radios support it when the CTS/RTS pins are wired).
    case rtsCts = "rtscts"
    /// Software XON/XOFF (never on binary MAVLink links: 0x11/0x13 occur in payloads).
    case xonXoff = "xonxoff"
}

/// The serial speeds a link may use: the ones the serial transport can set (1200 … 921600).
public enum SerialBaudRate {
    public static let standard: [Int] = SerialPortSettings.supportedBaudRates

    public static func isStandard(_ baud: Int) -> Bool { standard.contains(baud) }
}
