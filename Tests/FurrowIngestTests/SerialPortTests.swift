import Foundation
import FurrowIngest
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("SerialPortSettings")
struct SerialPortSettingsTests {
    @Test(arguments: [
        ("8N1", 8, SerialPortSettings.Parity.none, SerialPortSettings.StopBits.one),
        ("7E1", 7, .even, .one),
        ("8o2", 8, .odd, .two),
        ("5N2", 5, .none, .two),
    ])
    func parsesFraming(
        framing: String,
        dataBits: Int,
        parity: SerialPortSettings.Parity,
        stopBits: SerialPortSettings.StopBits
    )
        throws
    {
        let settings = try SerialPortSettings(device: "/dev/ttyUSB0", baudRate: 57600, framing: framing)
        #expect(settings.dataBits == dataBits)
        #expect(settings.parity == parity)
        #expect(settings.stopBits == stopBits)
        #expect(settings.framing == framing.uppercased())
    }

    @Test(arguments: ["9N1", "4N1", "8X1", "8N3", "8N", "8N1 ", "", "N81"])
    func rejectsMalformedFraming(framing: String) {
        #expect {
            try SerialPortSettings(device: "/dev/ttyUSB0", baudRate: 57600, framing: framing)
        } throws: { error in
            guard case .invalidFraming(let text, _) = error as? SerialPortError else { return false }
            return text == framing
        }
    }

    @Test func acceptsEveryStandardRate() throws {
        for rate in [
            1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115_200, 230_400, 460_800, 500_000, 576_000, 921_600,
        ] {
            #expect(try SerialPortSettings(device: "/dev/ttyS0", baudRate: rate).baudRate == rate)
        }
    }

    @Test(arguments: [0, 300, 1201, 250_000, 1_000_000, -9600])
    func rejectsUnsupportedBaudRate(rate: Int) {
        #expect(throws: SerialPortError.unsupportedBaudRate(rate)) {
            try SerialPortSettings(device: "/dev/ttyS0", baudRate: rate)
        }
        #expect(SerialPortError.unsupportedBaudRate(rate).description.contains("921600"))
    }

    @Test func describesItself() throws {
        let settings = try SerialPortSettings(
            device: "/dev/ttyUSB0",
            baudRate: 57600,
            framing: "7E1",
            flowControl: .hardware
        )
        #expect(settings.description == "/dev/ttyUSB0 57600 7E1 hardware flow control")
    }
}

@Suite("SerialPort")
struct SerialPortTests {
    @Test func nonexistentDevice() throws {
        let settings = try SerialPortSettings(device: "/nonexistent/ttyUSB9", baudRate: 57600)
        #expect {
            try SerialPort(opening: settings)
        } throws: { error in
            guard let error = error as? SerialPortError, case .noSuchDevice("/nonexistent/ttyUSB9", _) = error else {
                return false
            }
            return error.code == "no-such-device" && !error.isPermanent
                && error.description.contains("/nonexistent/ttyUSB9")
        }
    }

    @Test func regularFileIsNotATerminal() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-not-a-tty-\(UUID())").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try SerialPortSettings(device: path, baudRate: 9600)
        #expect(throws: SerialPortError.notATerminal(path: path)) {
            try SerialPort(opening: settings)
        }
        #expect(SerialPortError.notATerminal(path: path).isPermanent)
    }

    @Test func permissionDeniedMentionsDialout() {
        #expect(SerialPortError.permissionDenied(path: "/dev/ttyUSB0").description.contains("dialout"))
    }

    @Test func termiosFailureCarriesErrnoText() {
        let error = SerialPortError.termiosFailed(operation: "tcsetattr", path: "/dev/ttyS0", errno: EIO)
        #expect(error.description == "tcsetattr on serial device /dev/ttyS0 failed: Input/output error")
    }

    /// The settings are read back with `tcgetattr` both through `currentSettings()` and independently
    /// here on a second descriptor. (A Linux pty keeps speed, stop bits and flow control but always
    /// reports 8 data bits without parity.)
    @Test(arguments: [
        (57600, "8N1", SerialPortSettings.FlowControl.none),
        (921_600, "8N2", .hardware),
        (1200, "7E1", .software),
        (115_200, "8O1", .none),
    ])
    func settingsReadBack(baudRate: Int, framing: String, flowControl: SerialPortSettings.FlowControl) async throws {
        let pair = try SocatPtyPair()
        try await pair.start()
        let settings = try SerialPortSettings(
            device: pair.a,
            baudRate: baudRate,
            framing: framing,
            flowControl: flowControl
        )
        let port = try SerialPort(opening: settings)
        defer { port.close() }
        #expect(port.isPseudoTerminal)

        let readBack = try port.currentSettings()
        #expect(readBack.baudRate == baudRate)
        #expect(readBack.stopBits == settings.stopBits)
        #expect(readBack.flowControl == flowControl)
        #expect(readBack.dataBits == 8)  // pty: forced
        #expect(readBack.parity == .none)  // pty: forced

        // Independently: raw mode, VMIN 1 / VTIME 0, the speed code, the flow bits.
        let fd = open(pair.a, O_RDONLY | O_NOCTTY | O_NONBLOCK)
        try #require(fd >= 0)
        defer { close(fd) }
        var attributes = termios()
        try #require(tcgetattr(fd, &attributes) == 0)
        let speeds: [Int: speed_t] = [
            57600: speed_t(B57600), 921_600: speed_t(B921600), 1200: speed_t(B1200), 115_200: speed_t(B115200),
        ]
        #expect(cfgetospeed(&attributes) == speeds[baudRate])
        #expect(cfgetispeed(&attributes) == speeds[baudRate])
        #expect(attributes.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)
        #expect(attributes.c_oflag & tcflag_t(OPOST) == 0)
        #expect(attributes.c_cflag & tcflag_t(CREAD | CLOCAL) == tcflag_t(CREAD | CLOCAL))
        #expect((attributes.c_cflag & tcflag_t(CSTOPB) != 0) == (settings.stopBits == .two))
        #expect((attributes.c_cflag & tcflag_t(CRTSCTS) != 0) == (flowControl == .hardware))
        #expect((attributes.c_iflag & tcflag_t(IXON | IXOFF) == tcflag_t(IXON | IXOFF)) == (flowControl == .software))
        let (vmin, vtime) = withUnsafeBytes(of: attributes.c_cc) { ($0[Int(VMIN)], $0[Int(VTIME)]) }
        #expect(vmin == 1)
        #expect(vtime == 0)
    }

    @Test func writesReadsAndBreaks() async throws {
        let pair = try SocatPtyPair()
        try await pair.start()
        let a = try SerialPort(opening: SerialPortSettings(device: pair.a, baudRate: 9600, framing: "8N1"))
        let b = try SerialPort(opening: SerialPortSettings(device: pair.b, baudRate: 9600, framing: "8N1"))
        #expect(try a.read() == [])  // nothing yet, and no waiting
        #expect(try b.write([0x01, 0x03, 0x00, 0x00]) == 4)
        var received: [UInt8] = []
        _ = try await eventually {
            received += try a.read()
            return received.count >= 4
        }
        #expect(received == [0x01, 0x03, 0x00, 0x00])
        try a.setBreak(true)
        try a.setBreak(false)
        try a.discardInput()
        a.close()
        #expect(!a.isOpen)
        #expect(throws: SerialPortError.closed(path: pair.a)) { try a.read() }
        b.close()
    }

    @Test func unplugIsDeviceGone() async throws {
        let pair = try SocatPtyPair()
        try await pair.start()
        let port = try SerialPort(opening: SerialPortSettings(device: pair.a, baudRate: 57600))
        defer { port.close() }
        pair.stop()
        #expect {
            try port.read()
        } throws: { error in
            guard case .deviceGone = error as? SerialPortError else { return false }
            return true
        }
    }
}
