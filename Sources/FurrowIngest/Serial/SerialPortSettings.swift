/// How to open and configure one serial port: device, speed, framing and flow control.
///
/// Values are validated when made: the speed is one of ``supportedBaudRates`` and there are 5–8 data
/// bits, so a `SerialPortSettings` can always be applied to a tty (``SerialPort`` still checks that the
/// driver took it).
///
/// ```swift
/// let radio = try SerialPortSettings(device: "/dev/ttyUSB0", baudRate: 57600, framing: "8N1")
/// let modbus = try SerialPortSettings(device: "/dev/ttyAMA0", baudRate: 9600, framing: "8E1")
/// let sdi12 = try SerialPortSettings(device: "/dev/ttyUSB1", baudRate: 1200, framing: "7E1")
/// ```
public struct SerialPortSettings: Sendable, Hashable, CustomStringConvertible {
    /// The parity bit: none, even or odd.
    public enum Parity: String, Sendable, Hashable, CaseIterable {
        case none
        case even
        case odd

        /// The letter in a framing string (`N`, `E`, `O`).
        public var letter: Character {
            switch self {
            case .none: "N"
            case .even: "E"
            case .odd: "O"
            }
        }
    }

    /// One or two stop bits.
    public enum StopBits: Int, Sendable, Hashable, CaseIterable {
        case one = 1
        case two = 2
    }

    /// Flow control: none, hardware (RTS/CTS, `CRTSCTS`) or software (XON/XOFF, `IXON | IXOFF`).
    public enum FlowControl: String, Sendable, Hashable, CaseIterable {
        case none
        case hardware
        case software
    }

    /// Every speed the ingest daemon accepts, in bit/s: the POSIX rates from 1200 and the Linux rates
    /// up to 921600.
    public static let supportedBaudRates: [Int] = [
        1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115_200, 230_400, 460_800, 500_000, 576_000,
        921_600,
    ]

    /// The tty to open (`/dev/ttyUSB0`, `/dev/serial/by-id/…`).
    public var device: String
    /// Line speed in bit/s; one of ``supportedBaudRates``.
    public private(set) var baudRate: Int
    /// Data bits per character, 5–8.
    public private(set) var dataBits: Int
    public var parity: Parity
    public var stopBits: StopBits
    public var flowControl: FlowControl

    /// Settings from their parts.
    ///
    /// - Throws: ``SerialPortError/unsupportedBaudRate(_:)`` for a speed not in ``supportedBaudRates``,
    ///   ``SerialPortError/invalidFraming(_:reason:)`` for data bits outside 5–8.
    public init(
        device: String,
        baudRate: Int,
        dataBits: Int = 8,
        parity: Parity = .none,
        stopBits: StopBits = .one,
        flowControl: FlowControl = .none
    ) throws(SerialPortError) {
        guard Self.supportedBaudRates.contains(baudRate) else {
            throw .unsupportedBaudRate(baudRate)
        }
        guard (5...8).contains(dataBits) else {
            throw .invalidFraming("\(dataBits)", reason: "data bits must be 5, 6, 7 or 8")
        }
        self.init(
            unchecked: device,
            baudRate: baudRate,
            dataBits: dataBits,
            parity: parity,
            stopBits: stopBits,
            flowControl: flowControl
        )
    }

    /// Settings with the framing written the usual way: data bits, parity letter, stop bits
    /// (`"8N1"`, `"7E1"`, `"8O2"`; case-insensitive).
    ///
    /// - Throws: ``SerialPortError/invalidFraming(_:reason:)`` for a malformed framing string,
    ///   ``SerialPortError/unsupportedBaudRate(_:)`` for a speed not in ``supportedBaudRates``.
    public init(
        device: String,
        baudRate: Int,
        framing: String,
        flowControl: FlowControl = .none
    ) throws(SerialPortError) {
        let characters = Array(framing.uppercased())
        guard characters.count == 3 else {
            throw .invalidFraming(framing, reason: "expected data bits, parity and stop bits, like 8N1 or 7E1")
        }
        guard let dataBits = characters[0].wholeNumberValue, (5...8).contains(dataBits) else {
            throw .invalidFraming(framing, reason: "data bits must be 5, 6, 7 or 8")
        }
        guard let parity = Parity.allCases.first(where: { $0.letter == characters[1] }) else {
            throw .invalidFraming(framing, reason: "parity must be N (none), E (even) or O (odd)")
        }
        guard let stopBitCount = characters[2].wholeNumberValue, let stopBits = StopBits(rawValue: stopBitCount)
        else {
            throw .invalidFraming(framing, reason: "stop bits must be 1 or 2")
        }
        try self.init(
            device: device,
            baudRate: baudRate,
            dataBits: dataBits,
            parity: parity,
            stopBits: stopBits,
            flowControl: flowControl
        )
    }

    /// Settings as read back from a tty, which need not be valid (`baudRate` 0 for a speed outside
    /// ``supportedBaudRates``).
    init(
        unchecked device: String,
        baudRate: Int,
        dataBits: Int,
        parity: Parity,
        stopBits: StopBits,
        flowControl: FlowControl
    ) {
        self.device = device
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
    }

    /// The framing as a string: `"8N1"`, `"7E1"`.
    public var framing: String {
        "\(dataBits)\(parity.letter)\(stopBits.rawValue)"
    }

    /// `/dev/ttyUSB0 57600 8N1`, with the flow control when there is one.
    public var description: String {
        let flow = flowControl == .none ? "" : " \(flowControl.rawValue) flow control"
        return "\(device) \(baudRate) \(framing)\(flow)"
    }
}
