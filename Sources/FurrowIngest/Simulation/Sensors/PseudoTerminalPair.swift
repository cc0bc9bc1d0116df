#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pseudo-terminal whose master end a device simulator reads and writes, and whose slave end (`path`) the
/// daemon opens as if it were an RS-485 or SDI-12 adapter.
///
/// The slave end is kept open by this object too, so the terminal survives the daemon closing and
/// reopening it. A class because it owns two descriptors; all access is from the one simulator task
/// (`@unchecked Sendable` so that task may be a child task).
public final class PseudoTerminalPair: @unchecked Sendable {
    /// The slave device, e.g. `/dev/pts/7`.
    public let path: String
    private var master: Int32
    private var slave: Int32

    /// - Throws: `SimulationError` (`.pty`).
    public init() throws(SimulationError) {
        let terminal = try RawPseudoTerminal.open()
        master = terminal.master
        slave = terminal.slave
        path = terminal.path
    }

    deinit {
        if master >= 0 { close(master) }
        if slave >= 0 { close(slave) }
    }

    /// What the daemon wrote, without waiting; `[]` when nothing.
    public func read() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { systemRead(master, $0.baseAddress, $0.count) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// Writes every byte (the terminal's buffer is far larger than any sensor answer).
    public func write(_ bytes: [UInt8]) {
        var offset = 0
        var attempts = 0
        while offset < bytes.count && attempts < 1000 {
            let n = bytes[offset...].withUnsafeBytes { writeBytes(master, $0.baseAddress, $0.count) }
            if n > 0 { offset += n } else { attempts += 1; usleep(1000) }
        }
    }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func writeBytes(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
