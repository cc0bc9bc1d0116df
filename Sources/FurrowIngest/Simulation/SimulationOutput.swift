#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a simulated feed goes: a .tlog file, UDP datagrams, a pseudo-terminal.
///
/// Outputs own system resources (descriptors) and are used from one task at a time.
public protocol SimulationOutput {
    /// Sends the frames of `batch`, in order.
    ///
    /// - Throws: `SimulationError` when the output fails for good (a full disk, a closed socket); a frame the
    ///   output had to give up (a full pty) is counted in `framesDropped` instead.
    mutating func write(_ batch: SimulatedBatch) throws(SimulationError)

    /// Flushes what is buffered; the output is not used afterwards.
    mutating func finish() throws(SimulationError)

    /// Frames given up so far.
    var framesDropped: Int { get }
}

/// The text of a system error number.
func systemErrorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// `write(2)`, callable from types that have a `write` method of their own.
@inline(__always)
func systemWrite(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, base, count)
}

/// Writes all of `count` bytes at `base` to a blocking descriptor, retrying short writes and EINTR.
func writeFully(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int32? {
    var offset = 0
    while offset < count {
        let n = systemWrite(fd, base + offset, count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}

/// Writes frames to a telemetry log (.tlog) as ground stations record them: per frame, the receive time as
/// 8 bytes big-endian µs since the Unix epoch, then the frame.
public final class TlogFileWriter: SimulationOutput {
    /// The file being written.
    public let path: String
    public private(set) var framesWritten = 0
    public private(set) var bytesWritten = 0
    public var framesDropped: Int { 0 }

    private var fd: Int32
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20

    /// Creates (or truncates) the file at `path`.
    ///
    /// - Throws: `SimulationError` (`.file`) when it cannot be created.
    public init(path: String) throws(SimulationError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw SimulationError(code: .file, reason: "cannot create \(path)", errno: errno) }
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    public func write(_ batch: SimulatedBatch) throws(SimulationError) {
        for i in 0..<batch.count {
            let t = UInt64(bitPattern: batch.timestamps[i])
            for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: t >> UInt64(shift))) }
            buffer.append(contentsOf: batch.bytes[batch.range(of: i)])
            if buffer.count >= Self.flushSize { try flush() }
        }
        framesWritten += batch.count
    }

    public func finish() throws(SimulationError) {
        try flush()
        if fd >= 0 {
            let result = close(fd)
            fd = -1
            if result != 0 { throw SimulationError(code: .file, reason: "cannot close \(path)", errno: errno) }
        }
    }

    private func flush() throws(SimulationError) {
        guard !buffer.isEmpty else { return }
        guard fd >= 0 else { throw SimulationError(code: .file, reason: "\(path) is already closed") }
        let failure = buffer.withUnsafeBytes { writeFully(fd, $0.baseAddress!, $0.count) }
        if let failure { throw SimulationError(code: .file, reason: "cannot write \(path)", errno: failure) }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
