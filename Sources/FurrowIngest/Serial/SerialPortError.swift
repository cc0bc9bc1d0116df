#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a serial port could not be configured, opened or used.
///
/// Every case has a stable ``code`` (for logs, metrics and `/healthz`) and a ``description`` that says
/// which device and what to do about it.
public enum SerialPortError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing at the path (`ENOENT`), or the driver says the hardware is gone (`ENXIO`, `ENODEV`).
    case noSuchDevice(path: String, errno: Int32)
    /// The user running the daemon may not open the device (`EACCES`, `EPERM`).
    case permissionDenied(path: String)
    /// The path is not a terminal device (a regular file, a directory, a socket…).
    case notATerminal(path: String)
    /// Another process holds the port exclusively (`EBUSY`).
    case deviceBusy(path: String)
    /// A speed outside ``SerialPortSettings/supportedBaudRates``.
    case unsupportedBaudRate(Int)
    /// A framing string or data-bit count that cannot be applied.
    case invalidFraming(String, reason: String)
    /// `open(2)` failed for another reason.
    case openFailed(path: String, errno: Int32)
    /// A termios call (`tcgetattr`, `tcsetattr`, `tcflush`, `cfsetispeed`…) failed.
    case termiosFailed(operation: String, path: String, errno: Int32)
    /// `tcsetattr` succeeded but reading back with `tcgetattr` shows the driver did not take the settings.
    case settingsNotApplied(requested: SerialPortSettings, actual: SerialPortSettings)
    /// The device went away while open: a hangup (reads return end of file once the kernel hung the tty
    /// up: a USB adapter unplugged, the master of a pty closed; `errno` nil), or `EIO`, `ENXIO`, `ENODEV`.
    case deviceGone(path: String, errno: Int32?)
    /// A read, write or break failed for another reason.
    case ioFailed(operation: String, path: String, errno: Int32)
    /// The port was already closed.
    case closed(path: String)

    /// A stable identifier of the case, for logs and metrics: `no-such-device`, `permission-denied`…
    public var code: String {
        switch self {
        case .noSuchDevice: "no-such-device"
        case .permissionDenied: "permission-denied"
        case .notATerminal: "not-a-terminal"
        case .deviceBusy: "device-busy"
        case .unsupportedBaudRate: "unsupported-baud-rate"
        case .invalidFraming: "invalid-framing"
        case .openFailed: "open-failed"
        case .termiosFailed: "termios-failed"
        case .settingsNotApplied: "settings-not-applied"
        case .deviceGone: "device-gone"
        case .ioFailed: "io-failed"
        case .closed: "closed"
        }
    }

    /// True when retrying the same settings cannot help: the path is not a tty, the settings are invalid,
    /// or the driver refuses them. A missing, busy or forbidden device may come right (plugged in, released,
    /// given its group by udev), so those are not permanent.
    public var isPermanent: Bool {
        switch self {
        case .notATerminal, .unsupportedBaudRate, .invalidFraming, .settingsNotApplied: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .noSuchDevice(let path, let errno):
            "serial device \(path) not found (\(Self.text(errno))); is the adapter plugged in and the path right?"
        case .permissionDenied(let path):
            "permission denied opening serial device \(path); add the daemon's user to the group owning it"
                + " (usually dialout: `usermod -aG dialout <user>`) or install a udev rule"
        case .notATerminal(let path):
            "\(path) is not a serial device (not a tty); check the configured path"
        case .deviceBusy(let path):
            "serial device \(path) is busy; another process (ModemManager, a ground station) has it open exclusively"
        case .unsupportedBaudRate(let rate):
            "unsupported baud rate \(rate); use one of "
                + SerialPortSettings.supportedBaudRates.map(String.init).joined(separator: ", ")
        case .invalidFraming(let framing, let reason):
            "invalid serial framing '\(framing)': \(reason)"
        case .openFailed(let path, let errno):
            "cannot open serial device \(path): \(Self.text(errno))"
        case .termiosFailed(let operation, let path, let errno):
            "\(operation) on serial device \(path) failed: \(Self.text(errno))"
        case .settingsNotApplied(let requested, let actual):
            "serial device \(requested.device) did not take the settings: asked for \(requested), the driver reports"
                + " \(actual); the adapter may not support this speed, framing or flow control"
        case .deviceGone(let path, let errno):
            "serial device \(path) gone (\(errno.map(Self.text) ?? "hung up"))"
        case .ioFailed(let operation, let path, let errno):
            "\(operation) on serial device \(path) failed: \(Self.text(errno))"
        case .closed(let path):
            "serial device \(path) is closed"
        }
    }

    /// The C library's text for an errno value (`Input/output error`).
    static func text(_ errno: Int32) -> String {
        String(cString: strerror(errno))
    }
}
