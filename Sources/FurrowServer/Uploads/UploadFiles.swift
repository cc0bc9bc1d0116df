import Crypto
import Foundation
import Hummingbird
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where uploaded originals live: `<directory>/<sha256>`, one file per distinct content, next to the store.
///
/// A body is streamed to `<directory>/incoming/<random>` while its SHA-256 is computed, then renamed to its
/// hash: memory stays flat whatever the size, and a cut-off transfer leaves nothing but a temporary file that
/// is removed at once.
public struct UploadFiles: Sendable {
    public let directory: String
    /// Largest upload accepted, bytes.
    public let maximumBytes: Int64

    public init(directory: String, maximumBytes: Int64) {
        self.directory = directory
        self.maximumBytes = maximumBytes
    }

    /// A received file: its hash, size and where it is kept.
    public struct Received: Sendable {
        public var sha256: String
        public var size: Int64
        public var path: String
    }

    /// Why a body could not be kept.
    public enum ReceiveError: Error, Sendable {
        case tooLarge(limit: Int64)
        case empty
        case io(String)
    }

    /// Bytes past the limit read and dropped before answering 413 (then the connection is closed).
    static let drainBytes: Int64 = 64 << 20

    /// Reads and drops a body a handler refuses (up to `drainBytes`), so the client can read the answer.
    public static func discard(_ body: RequestBody) async {
        var seen: Int64 = 0
        do {
            for try await buffer in body {
                seen += Int64(buffer.readableBytes)
                if seen > drainBytes { return }
            }
        } catch {}
    }

    /// The kept original of `sha256` (a hex digest; anything else is refused so no path comes from outside).
    public func path(sha256: String) -> String? {
        guard sha256.utf8.count == 64, sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return "\(directory)/\(sha256)"
    }

    /// Streams `body` to disk, hashing as it goes; refuses more than `maximumBytes`.
    public func receive(_ body: RequestBody) async throws(ReceiveError) -> Received {
        let incoming = "\(directory)/incoming"
        do {
            try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(incoming): \(error)")
        }
        let temporary = "\(incoming)/\(UInt64.random(in: 0...UInt64.max))-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io("cannot create \(temporary): errno \(errno)") }
        var hasher = SHA256()
        var size: Int64 = 0
        var failure: ReceiveError?
        do {
            for try await buffer in body {
                size += Int64(buffer.readableBytes)
                if size > maximumBytes {
                    // Read on (and drop) what a client still sends, up to a bound, so it gets to read the 413
                    // instead of blocking on a full socket; past the bound the connection is closed on it.
                    failure = .tooLarge(limit: maximumBytes)
                    if size > maximumBytes + Self.drainBytes { break }
                    continue
                }
                try buffer.withUnsafeReadableBytes { bytes in
                    hasher.update(bufferPointer: bytes)
                    var offset = 0
                    while offset < bytes.count {
                        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw ReceiveError.io("write failed: errno \(errno)")
                        }
                        offset += n
                    }
                }
            }
        } catch let error as ReceiveError {
            failure = error
        } catch where failure != nil {
            // The client gave up sending the rest of a refused body.
        } catch {
            failure = .io("the upload was interrupted: \(error)")
        }
        if failure == nil, fsync(fd) != 0 { failure = .io("fsync failed: errno \(errno)") }
        close(fd)
        if failure == nil, size == 0 { failure = .empty }
        if let failure {
            unlink(temporary)
            throw failure
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let kept = "\(directory)/\(digest)"
        if FileManager.default.fileExists(atPath: kept) {
            unlink(temporary)  // the same content is kept already
        } else if rename(temporary, kept) != 0 {
            unlink(temporary)
            throw .io("cannot keep the upload: errno \(errno)")
        }
        return Received(sha256: digest, size: size, path: kept)
    }
}
