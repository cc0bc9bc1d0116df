import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open, configured serial port: the one place that holds a tty file descriptor.
///
/// Opening does everything a telemetry link needs: `open` with `O_RDWR | O_NOCTTY | O_NONBLOCK |
/// O_CLOEXEC`, a check that the path is a tty, exclusive use (`TIOCEXCL`, where the driver allows it),
/// raw mode (`cfmakeraw`) with the requested framing and flow control, both speeds, stale input
/// flushed, and a read back with `tcgetattr` that the driver took the settings.
///
/// Reads and writes are non-blocking. ``SerialTransport`` reads through SwiftNIO instead and uses this
/// type to open, configure, and send breaks; use it directly for request/response devices.
///
/// ```swift
/// let port = try SerialPort(opening: SerialPortSettings(device: "/dev/ttyUSB0", baudRate: 9600, framing: "8N1"))
/// _ = try port.write([0x01, 0x03, 0x00, 0x00, 0x00, 0x02, 0xC4, 0x0B])
/// let answer = try port.read()   // [] until bytes arrive
/// port.close()
/// ```
///
/// ## Topics
/// - Opening: ``init(opening:)``, ``settings``, ``currentSettings()``
/// - Bytes: ``read(maximumCount:)``, ``write(_:)``, ``discardInput()``
/// - Line signals: ``sendBreak()``, ``setBreak(_:)``
/// - Closing: ``close()`` (also on deinit)
public final class SerialPort: Sendable {
    /// The settings the port was opened with (and verified to hold).
    public let settings: SerialPortSettings
    /// True for a pseudo-terminal (`/dev/pts/N`, as socat and simulators make) rather than a UART.
    ///
    /// Linux ptys have no wire, so the kernel forces 8 data bits without parity whatever was asked; the
    /// bytes pass unchanged. Opening accepts that difference on a pty (and only there), and
    /// ``currentSettings()`` reports it.
    public let isPseudoTerminal: Bool
    /// The descriptor, or -1 once closed. Every use of it happens inside the lock, so `close()` never
    /// races a call and a descriptor number the kernel reused is never touched.
    private let descriptor: NIOLockedValueBox<CInt>

    /// Opens and configures the port.
    ///
    /// - Throws: ``SerialPortError``: `noSuchDevice`, `permissionDenied`, `deviceBusy`, `notATerminal`,
    ///   `termiosFailed`, or `settingsNotApplied` when the driver reports other settings than asked for.
    public init(opening settings: SerialPortSettings) throws(SerialPortError) {
        let fd = try Self.openTerminal(settings.device)
        let isPseudoTerminal = Self.isPseudoTerminal(fd)
        do throws(SerialPortError) {
            try Self.configure(fd, settings)
            let actual = try Self.readSettings(fd, device: settings.device)
            guard actual == Self.expectedReadBack(of: settings, isPseudoTerminal: isPseudoTerminal) else {
                throw SerialPortError.settingsNotApplied(requested: settings, actual: actual)
            }
        } catch {
            _ = closeDescriptor(fd)
            throw error
        }
        self.settings = settings
        self.isPseudoTerminal = isPseudoTerminal
        self.descriptor = NIOLockedValueBox(fd)
    }

    deinit {
        close()
    }

    /// Closes the port. Later calls throw ``SerialPortError/closed(path:)``; closing twice is harmless.
    public func close() {
        descriptor.withLockedValue { fd in
            if fd >= 0 {
                _ = closeDescriptor(fd)
                fd = -1
            }
        }
    }

    /// True until ``close()``.
    public var isOpen: Bool {
        descriptor.withLockedValue { $0 >= 0 }
    }

    /// The port's settings as the driver reports them now (`tcgetattr`).
    ///
    /// `baudRate` is 0 when the speed is not one of ``SerialPortSettings/supportedBaudRates``.
    public func currentSettings() throws(SerialPortError) -> SerialPortSettings {
        try withDescriptor { fd throws(SerialPortError) in
            try Self.readSettings(fd, device: settings.device)
        }
    }

    // MARK: - Bytes

    /// Reads what has arrived, up to `maximumCount` bytes, without waiting; `[]` when nothing has.
    ///
    /// - Throws: ``SerialPortError/deviceGone(path:errno:)`` at end of file, `EIO` or `ENXIO` (unplugged).
    public func read(maximumCount: Int = 4096) throws(SerialPortError) -> [UInt8] {
        precondition(maximumCount > 0, "maximumCount must be positive")
        return try withDescriptor { fd throws(SerialPortError) in
            var failure: Int32 = 0
            var endOfFile = false
            let bytes = [UInt8](unsafeUninitializedCapacity: maximumCount) { buffer, count in
                while true {
                    let n = readDescriptor(fd, buffer.baseAddress, maximumCount)
                    if n > 0 {
                        count = n
                    } else if n == 0 {
                        endOfFile = true
                    } else if errno == EINTR {
                        continue
                    } else if errno != EAGAIN && errno != EWOULDBLOCK {
                        failure = errno
                    }
                    return
                }
            }
            if endOfFile {
                throw .deviceGone(path: settings.device, errno: nil)
            }
            if failure != 0 {
                throw Self.ioError("read", settings.device, failure)
            }
            return bytes
        }
    }

    /// Writes as many of `bytes` as the driver takes now; returns how many (0 when its buffer is full).
    ///
    /// - Throws: ``SerialPortError/deviceGone(path:errno:)`` when unplugged, `ioFailed` otherwise.
    public func write(_ bytes: some Collection<UInt8>) throws(SerialPortError) -> Int {
        if let result = bytes.withContiguousStorageIfAvailable({ write(raw: UnsafeRawBufferPointer($0)) }) {
            return try result.get()
        }
        return try Array(bytes).withUnsafeBytes { write(raw: $0) }.get()
    }

    private func write(raw buffer: UnsafeRawBufferPointer) -> Result<Int, SerialPortError> {
        guard !buffer.isEmpty else { return .success(0) }
        return Result { () throws(SerialPortError) in
            try withDescriptor { fd throws(SerialPortError) in
                while true {
                    let n = writeDescriptor(fd, buffer.baseAddress, buffer.count)
                    if n >= 0 { return n }
                    if errno == EINTR { continue }
                    if errno == EAGAIN || errno == EWOULDBLOCK { return 0 }
                    throw Self.ioError("write", settings.device, errno)
                }
            }
        }
    }

    /// Discards input received but not yet read (`tcflush(TCIFLUSH)`).
    public func discardInput() throws(SerialPortError) {
        try withDescriptor { fd throws(SerialPortError) in
            guard tcflush(fd, TCIFLUSH) == 0 else {
                throw .termiosFailed(operation: "tcflush", path: settings.device, errno: errno)
            }
        }
    }

    // MARK: - Line signals

    /// Sends a break of the driver's standard length (`tcsendbreak(fd, 0)`: 0.25–0.5 s on Linux).
    ///
    /// Blocks the calling thread for the length of the break; call it from a thread of your own, or use
    /// ``setBreak(_:)`` with a sleep in between (what ``SerialTransport/sendBreak(duration:)`` does).
    public func sendBreak() throws(SerialPortError) {
        try withDescriptor { fd throws(SerialPortError) in
            guard tcsendbreak(fd, 0) == 0 else {
                throw .termiosFailed(operation: "tcsendbreak", path: settings.device, errno: errno)
            }
        }
    }

    /// Starts (`TIOCSBRK`) or ends (`TIOCCBRK`) a break condition on the line, for breaks of a chosen
    /// length (SDI-12 wakes sensors with at least 12 ms of break).
    public func setBreak(_ on: Bool) throws(SerialPortError) {
        try withDescriptor { fd throws(SerialPortError) in
            guard ioctl(fd, on ? Self.setBreakRequest : Self.clearBreakRequest) == 0 else {
                throw Self.ioError(on ? "TIOCSBRK" : "TIOCCBRK", settings.device, errno)
            }
        }
    }

    // MARK: - For SwiftNIO

    /// A second descriptor for the same open port (close-on-exec), for `NIOPipeBootstrap` to own.
    ///
    /// The port keeps its own descriptor for breaks and settings; close it after the channel closed.
    func duplicateDescriptor() throws(SerialPortError) -> CInt {
        try withDescriptor { fd throws(SerialPortError) in
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
            guard copy >= 0 else {
                throw .ioFailed(operation: "fcntl(F_DUPFD_CLOEXEC)", path: settings.device, errno: errno)
            }
            return copy
        }
    }

    // MARK: - Internals

    /// Runs `body` with the open descriptor under the lock.
    private func withDescriptor<T>(
        _ body: (CInt) throws(SerialPortError) -> T
    ) throws(SerialPortError) -> T {
        let result: Result<T, SerialPortError> = descriptor.withLockedValue { fd in
            guard fd >= 0 else { return .failure(.closed(path: settings.device)) }
            do throws(SerialPortError) {
                return .success(try body(fd))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// EIO, ENXIO and ENODEV mean the device went away; anything else is an I/O failure.
    private static func ioError(_ operation: String, _ path: String, _ errno: Int32) -> SerialPortError {
        switch errno {
        case EIO, ENXIO, ENODEV: .deviceGone(path: path, errno: errno)
        default: .ioFailed(operation: operation, path: path, errno: errno)
        }
    }

    /// Opens `path` non-blocking and checks that it is a tty; takes exclusive use where the driver allows.
    private static func openTerminal(_ path: String) throws(SerialPortError) -> CInt {
        var fd: CInt
        repeat {
            fd = openDescriptor(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let failure = errno
            switch failure {
            case ENOENT, ENXIO, ENODEV, ENOTDIR: throw .noSuchDevice(path: path, errno: failure)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            case EBUSY: throw .deviceBusy(path: path)
            case EISDIR: throw .notATerminal(path: path)
            default: throw .openFailed(path: path, errno: failure)
            }
        }
        guard isatty(fd) == 1 else {
            _ = closeDescriptor(fd)
            throw .notATerminal(path: path)
        }
        // Exclusive use: later opens by others fail with EBUSY (root excepted). Best effort: some drivers
        // refuse, and a port we cannot lock is still worth reading.
        _ = ioctl(fd, exclusiveRequest)
        return fd
    }

    /// Raw mode with the requested framing, flow control and speed; then drops stale input.
    private static func configure(_ fd: CInt, _ settings: SerialPortSettings) throws(SerialPortError) {
        let path = settings.device
        var attributes = termios()
        guard tcgetattr(fd, &attributes) == 0 else {
            throw .termiosFailed(operation: "tcgetattr", path: path, errno: errno)
        }
        cfmakeraw(&attributes)

        var control = attributes.c_cflag
        control &= ~tcflag_t(CSIZE | PARENB | PARODD | CSTOPB)
        control &= ~tcflag_t(CRTSCTS)
        // CREAD: receive at all; CLOCAL: ignore modem lines, so reads work without DCD.
        control |= tcflag_t(CREAD | CLOCAL)
        control |= characterSizeFlag(settings.dataBits)
        switch settings.parity {
        case .none: break
        case .even: control |= tcflag_t(PARENB)
        case .odd: control |= tcflag_t(PARENB | PARODD)
        }
        if settings.stopBits == .two {
            control |= tcflag_t(CSTOPB)
        }
        if settings.flowControl == .hardware {
            control |= tcflag_t(CRTSCTS)
        }
        attributes.c_cflag = control

        attributes.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        if settings.flowControl == .software {
            attributes.c_iflag |= tcflag_t(IXON | IXOFF)
        }

        // Non-canonical reads on a non-blocking descriptor: VMIN 1 / VTIME 0 makes the tty readable (for
        // epoll) as soon as one byte is in; O_NONBLOCK makes read return what is there without waiting.
        withUnsafeMutableBytes(of: &attributes.c_cc) { controlCharacters in
            controlCharacters[Int(VMIN)] = 1
            controlCharacters[Int(VTIME)] = 0
        }

        let speed = try Self.speed(for: settings.baudRate)
        guard cfsetispeed(&attributes, speed) == 0 else {
            throw .termiosFailed(operation: "cfsetispeed", path: path, errno: errno)
        }
        guard cfsetospeed(&attributes, speed) == 0 else {
            throw .termiosFailed(operation: "cfsetospeed", path: path, errno: errno)
        }
        if tcsetattr(fd, TCSANOW, &attributes) != 0 {
            let failure = errno
            // A Linux pty that a previous open already left at 7E1 (forced to 8N1 by the kernel) refuses a second
            // 7E1 with EINVAL; it carries 8-bit bytes whatever is asked, so ask what it has (reopening an SDI-12
            // simulator's pty). Real UARTs never take this path.
            attributes.c_cflag = (attributes.c_cflag & ~tcflag_t(CSIZE | PARENB | PARODD)) | tcflag_t(CS8)
            guard failure == EINVAL, isPseudoTerminal(fd), tcsetattr(fd, TCSANOW, &attributes) == 0 else {
                throw .termiosFailed(operation: "tcsetattr", path: path, errno: failure)
            }
        }
        guard tcflush(fd, TCIFLUSH) == 0 else {
            throw .termiosFailed(operation: "tcflush", path: path, errno: errno)
        }
    }

    /// Decodes the tty's current termios into settings.
    private static func readSettings(_ fd: CInt, device: String) throws(SerialPortError) -> SerialPortSettings {
        var attributes = termios()
        guard tcgetattr(fd, &attributes) == 0 else {
            throw .termiosFailed(operation: "tcgetattr", path: device, errno: errno)
        }
        let outputSpeed = cfgetospeed(&attributes)
        let inputSpeed = cfgetispeed(&attributes)
        // An input speed of 0 means "same as output".
        var baudRate = baudRates.first { $0.speed == outputSpeed }?.rate ?? 0
        if inputSpeed != 0 && inputSpeed != outputSpeed {
            baudRate = 0
        }
        let control = attributes.c_cflag
        let dataBits: Int
        switch control & tcflag_t(CSIZE) {
        case tcflag_t(CS5): dataBits = 5
        case tcflag_t(CS6): dataBits = 6
        case tcflag_t(CS7): dataBits = 7
        default: dataBits = 8
        }
        let parity: SerialPortSettings.Parity =
            control & tcflag_t(PARENB) == 0 ? .none : (control & tcflag_t(PARODD) == 0 ? .even : .odd)
        let stopBits: SerialPortSettings.StopBits = control & tcflag_t(CSTOPB) == 0 ? .one : .two
        let softwareFlow = tcflag_t(IXON | IXOFF)
        let flowControl: SerialPortSettings.FlowControl =
            control & tcflag_t(CRTSCTS) != 0
            ? .hardware : (attributes.c_iflag & softwareFlow == softwareFlow ? .software : .none)
        return SerialPortSettings(
            unchecked: device,
            baudRate: baudRate,
            dataBits: dataBits,
            parity: parity,
            stopBits: stopBits,
            flowControl: flowControl
        )
    }

    /// What reading back `settings` should give: the settings themselves, except that a Linux pty
    /// always reports 8 data bits and no parity (`pty_set_termios` forces `CS8` and clears `PARENB`).
    private static func expectedReadBack(
        of settings: SerialPortSettings,
        isPseudoTerminal: Bool
    ) -> SerialPortSettings {
        guard isPseudoTerminal else { return settings }
        return SerialPortSettings(
            unchecked: settings.device,
            baudRate: settings.baudRate,
            dataBits: 8,
            parity: .none,
            stopBits: settings.stopBits,
            flowControl: settings.flowControl
        )
    }

    /// Whether `fd` is a pseudo-terminal's slave side (`/dev/pts/N`) on Linux.
    private static func isPseudoTerminal(_ fd: CInt) -> Bool {
        #if os(Linux)
        // The fd's path, not fstat's st_rdev: `struct stat` is ambiguous between Glibc and Dispatch's
        // clang modules under MemberImportVisibility.
        var path = [UInt8](repeating: 0, count: 256)
        let count = path.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { readlink("/proc/self/fd/\(fd)", $0.baseAddress!, 255) }
        }
        guard count > 0 else { return false }
        return String(decoding: path[..<count], as: UTF8.self).hasPrefix("/dev/pts/")
        #else
        return false
        #endif
    }

    private static func characterSizeFlag(_ dataBits: Int) -> tcflag_t {
        switch dataBits {
        case 5: tcflag_t(CS5)
        case 6: tcflag_t(CS6)
        case 7: tcflag_t(CS7)
        default: tcflag_t(CS8)
        }
    }

    private static func speed(for baudRate: Int) throws(SerialPortError) -> speed_t {
        guard let entry = baudRates.first(where: { $0.rate == baudRate }) else {
            throw .unsupportedBaudRate(baudRate)
        }
        return entry.speed
    }

    // MARK: - Platform constants

    #if canImport(Glibc)
    /// Linux encodes speeds as `B…` codes, not numbers.
    private static let baudRates: [(rate: Int, speed: speed_t)] = [
        (1200, speed_t(B1200)), (1800, speed_t(B1800)), (2400, speed_t(B2400)), (4800, speed_t(B4800)),
        (9600, speed_t(B9600)), (19200, speed_t(B19200)), (38400, speed_t(B38400)),
        (57600, speed_t(B57600)), (115_200, speed_t(B115200)), (230_400, speed_t(B230400)),
        (460_800, speed_t(B460800)), (500_000, speed_t(B500000)), (576_000, speed_t(B576000)),
        (921_600, speed_t(B921600)),
    ]
    private static let exclusiveRequest = UInt(TIOCEXCL)
    private static let setBreakRequest = UInt(TIOCSBRK)
    private static let clearBreakRequest = UInt(TIOCCBRK)
    #else
    /// BSD speeds are the numbers themselves.
    private static let baudRates: [(rate: Int, speed: speed_t)] = SerialPortSettings.supportedBaudRates.map {
        ($0, speed_t($0))
    }
    // _IO('t', 13), _IO('t', 123), _IO('t', 122): function-like macros Swift does not import.
    private static let exclusiveRequest: UInt = 0x2000_740D
    private static let setBreakRequest: UInt = 0x2000_747B
    private static let clearBreakRequest: UInt = 0x2000_747A
    #endif
}

// MARK: - System calls

// At file scope, where `SerialPort`'s own `read`, `write` and `close` do not hide the C library's.

private func openDescriptor(_ path: String, _ flags: CInt) -> CInt {
    open(path, flags)
}

private func closeDescriptor(_ fd: CInt) -> CInt {
    close(fd)
}

private func readDescriptor(_ fd: CInt, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func writeDescriptor(_ fd: CInt, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
