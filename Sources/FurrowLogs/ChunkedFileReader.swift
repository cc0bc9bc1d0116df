#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file could not be read.
public struct FileReadError: Error, CustomStringConvertible, Equatable {
    /// The path (or `-` for standard input).
    public let path: String
    /// The C `errno` value.
    public let code: Int32

    public var description: String {
        "cannot read \(path): \(String(cString: strerror(code)))"
    }
}

/// Streams a file or standard input in fixed-size chunks through one reusable buffer.
///
/// Memory stays flat whatever the file size: a reader never holds more than one chunk.
public struct ChunkedFileReader {
    /// `-` reads standard input.
    public let path: String
    /// Bytes per read.
    public let chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 20) {
        self.path = path
        self.chunkSize = Swift.max(chunkSize, 1)
    }

    /// Calls `body` with each chunk in order; the buffer is reused, so copy what must outlive the call.
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw FileReadError(path: path, code: errno) }
        defer { if fd != 0 { close(fd) } }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, code: errno)
            }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
