#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes frames to a TCP connection (a ground station or SITL-style MAVLink-over-TCP listener), in order,
/// waiting for the peer rather than dropping.
public final class TCPFrameWriter: SimulationOutput {
    public let destination: String
    public private(set) var framesWritten = 0
    public private(set) var bytesWritten = 0
    public var framesDropped: Int { 0 }
    private var fd: Int32 = -1

    /// Connects to `host`:`port`.
    ///
    /// - Throws: `SimulationError` (`.resolve`, `.socket`).
    public init(host: String, port: Int) throws(SimulationError) {
        destination = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocketType
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let info = found, let address = info.pointee.ai_addr else {
            throw SimulationError(code: .resolve, reason: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(info.pointee.ai_family, streamSocketType, 0)
        guard fd >= 0 else { throw SimulationError(code: .socket, reason: "cannot open a TCP socket", errno: errno) }
        guard connect(fd, address, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw SimulationError(code: .socket, reason: "cannot connect to \(destination)", errno: code)
        }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    public func write(_ batch: SimulatedBatch) throws(SimulationError) {
        let failure = batch.bytes.withUnsafeBytes { writeFully(fd, $0.baseAddress!, $0.count) }
        if let failure { throw SimulationError(code: .socket, reason: "cannot write to \(destination)", errno: failure) }
        framesWritten += batch.count
        bytesWritten += batch.bytes.count
    }

    public func finish() throws(SimulationError) {
        _ = shutdown(fd, Int32(SHUT_WR))
    }
}

/// Writes frames to a serial port (a telemetry radio, a flight controller's TELEM port, a test bench).
public final class SerialFrameWriter: SimulationOutput {
    public let port: SerialPort
    public private(set) var framesWritten = 0
    public var framesDropped: Int { 0 }

    /// Opens the port with `settings` (exclusive, raw).
    public init(settings: SerialPortSettings) throws(SimulationError) {
        do {
            port = try SerialPort(opening: settings)
        } catch {
            throw SimulationError(code: .file, reason: "cannot open \(settings.device): \(error)")
        }
    }

    public func write(_ batch: SimulatedBatch) throws(SimulationError) {
        var offset = 0
        while offset < batch.bytes.count {
            do {
                let n = try port.write(batch.bytes[offset...])
                if n == 0 { usleep(200) }
                offset += n
            } catch {
                throw SimulationError(code: .file, reason: "cannot write to \(port.settings.device): \(error)")
            }
        }
        framesWritten += batch.count
    }

    public func finish() throws(SimulationError) {}
}

#if canImport(Glibc)
    let streamSocketType = Int32(SOCK_STREAM.rawValue)
#else
    let streamSocketType = SOCK_STREAM
#endif
