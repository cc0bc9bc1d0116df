#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes simulated frames to a new pseudo-terminal, standing in for a telemetry radio on a serial port.
///
/// The slave end (`path`, e.g. `/dev/pts/7`) is what a reader opens as if it were `/dev/ttyUSB0`; it is set
/// to raw mode so no byte is translated. Like a radio with nobody listening, frames that do not fit the
/// terminal's buffer are dropped whole (counted in `framesDropped`) rather than blocking the simulation; a
/// frame once started is always finished.
public final class PTYFrameWriter: SimulationOutput {
    /// The slave device to open, e.g. `/dev/pts/7`.
    public let path: String
    public private(set) var framesWritten = 0
    public private(set) var bytesWritten = 0
    public private(set) var framesDropped = 0

    /// Drop a frame when the terminal is full (a radio nobody listens to) instead of waiting for the reader
    /// (a replay, which must not lose a byte).
    public let dropsWhenFull: Bool
    private var master: Int32
    private var slave: Int32

    /// Creates the pseudo-terminal pair.
    ///
    /// - Throws: `SimulationError` (`.pty`).
    public init(dropsWhenFull: Bool = true) throws(SimulationError) {
        self.dropsWhenFull = dropsWhenFull
        let terminal = try RawPseudoTerminal.open()
        master = terminal.master
        slave = terminal.slave
        path = terminal.path
    }

    deinit {
        if master >= 0 { close(master) }
        if slave >= 0 { close(slave) }
    }

    public func write(_ batch: SimulatedBatch) throws(SimulationError) {
        var failure: Int32?
        batch.bytes.withUnsafeBytes { bytes in
            for i in 0..<batch.count where failure == nil {
                let range = batch.range(of: i)
                failure = writeFrame(bytes.baseAddress! + range.lowerBound, range.count)
            }
        }
        if let failure {
            throw SimulationError(code: .pty, reason: "cannot write to \(path)", errno: failure)
        }
    }

    /// Without drops, waits (up to 30 s) until the reader has taken every byte: closing the terminal would
    /// discard what is still queued.
    public func finish() throws(SimulationError) {
        guard !dropsWhenFull else { return }
        // Bytes can sit in the terminal's input buffers before they count as readable: only five empty
        // readings in a row (50 ms) end the wait.
        var empty = 0
        for _ in 0..<3000 where empty < 5 {
            var queued: Int32 = 0
            if ioctl(slave, UInt(FIONREAD), &queued) == 0, queued > 0 { empty = 0 } else { empty += 1 }
            usleep(10_000)
        }
    }

    /// Writes one frame: dropped if not a byte fits now, else finished (waiting for room as needed).
    private func writeFrame(_ base: UnsafeRawPointer, _ count: Int) -> Int32? {
        var offset = 0
        while offset < count {
            let n = systemWrite(master, base + offset, count - offset)
            if n >= 0 {
                offset += n
                continue
            }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { return code }
            if offset == 0 && dropsWhenFull {
                framesDropped += 1
                return nil
            }
            var poller = pollfd(fd: master, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, 100)
        }
        framesWritten += 1
        bytesWritten += count
        return nil
    }
}
