import Foundation
import FurrowLogs
import FurrowWire
import FurrowStore

/// One receive to send again: the bytes exactly as archived (a datagram, a serial read, a .tlog frame) and
/// when they were received.
public struct ReplayRecord: Sendable, Hashable {
    /// Receive time, µs since the Unix epoch.
    public var receivedAt: Int64
    public var bytes: [UInt8]

    public init(receivedAt: Int64, bytes: [UInt8]) {
        self.receivedAt = receivedAt
        self.bytes = bytes
    }
}

/// Records back to back in one buffer, as a source reads them: a slab per chunk of the source (a 1 MiB
/// file read, an archive segment's worth), not an allocation per record.
///
/// Record `i` is `bytes[range(of: i)]`, received at `times[i]`. The arrays keep their memory across
/// `removeAll()`, so a replay reuses one slab from chunk to chunk.
public struct ReplayRun: Sendable {
    /// The records' bytes, back to back.
    public var bytes: [UInt8] = []
    /// Where each record ends in `bytes`.
    public var ends: [Int] = []
    /// Receive time of each record, µs since the Unix epoch.
    public var times: [Int64] = []

    public init() {}

    public var count: Int { ends.count }
    public var isEmpty: Bool { ends.isEmpty }

    /// Byte range of record `i` in `bytes`.
    @inlinable
    public func range(of i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// Record `i` as a standalone value (a copy).
    public func record(_ i: Int) -> ReplayRecord {
        ReplayRecord(receivedAt: times[i], bytes: Array(bytes[range(of: i)]))
    }

    /// Appends a record.
    @inlinable
    public mutating func append(_ record: UnsafeRawBufferPointer, receivedAt: Int64) {
        bytes.append(contentsOf: record)
        ends.append(bytes.count)
        times.append(receivedAt)
    }

    /// Appends a record.
    public mutating func append(_ record: some Collection<UInt8>, receivedAt: Int64) {
        bytes.append(contentsOf: record)
        ends.append(bytes.count)
        times.append(receivedAt)
    }

    /// Empties the run, keeping its memory.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
    }
}

/// Where replayed bytes come from: a source's raw archive (by project, source and time range) or a .tlog.
public enum ReplaySource: Sendable {
    case archive(RawArchiveReader, project: String, source: String, from: Int64, to: Int64)
    case tlog(path: String)
    /// A DataFlash (.bin) or ULog (.ulg) log re-encoded as MAVLink (`FlightLogMAVLink`).
    case flightLog(path: String)

    /// The records in receive order, pulled as the replay needs them: one archive segment or one 1 MiB file
    /// chunk in memory at a time, whatever the length.
    public func records() -> ReplayRecords { ReplayRecords(source: self) }

    /// The same records a run at a time (`ReplayRunReader.next(into:)`): what the replay itself reads.
    public func runs() -> ReplayRunReader { ReplayRunReader(source: self) }
}

/// Reads a `ReplaySource` a run (a chunk of records in one slab) at a time.
public struct ReplayRunReader {
    enum Backing {
        case archive(RawArchiveRecords.AsyncIterator)
        case tlog(TlogPull)
        case flightLog(FlightLogPull)
    }

    var backing: Backing
    /// Archive records gathered into one run: about this many bytes (a segment inflates to ~1 MiB).
    static let archiveRunBytes = 256 << 10

    public init(source: ReplaySource) {
        switch source {
        case .archive(let reader, let project, let source, let from, let to):
            backing = .archive(reader.records(project: project, source: source, from: from, to: to).makeAsyncIterator())
        case .tlog(let path):
            backing = .tlog(TlogPull(path: path))
        case .flightLog(let path):
            backing = .flightLog(FlightLogPull(path: path))
        }
    }

    /// Empties `run` and fills it with the next records; false (and `run` empty) at the end of the source.
    public mutating func next(into run: inout ReplayRun) async throws -> Bool {
        run.removeAll()
        switch backing {
        case .archive(var iterator):
            defer { backing = .archive(iterator) }
            while run.bytes.count < Self.archiveRunBytes, let record = try await iterator.next() {
                record.bytes.withUnsafeBytes { run.append($0, receivedAt: record.receivedAt) }
            }
        case .tlog(var pull):
            defer { backing = .tlog(pull) }
            try pull.next(into: &run)
        case .flightLog(var pull):
            defer { backing = .flightLog(pull) }
            try pull.next(into: &run)
        }
        return !run.isEmpty
    }
}

/// The records of a `ReplaySource`, one by one, as an async sequence that reads ahead only as far as it is
/// consumed (a run at a time; each record is copied out of its run).
public struct ReplayRecords: AsyncSequence, Sendable {
    public typealias Element = ReplayRecord
    let source: ReplaySource

    public struct AsyncIterator: AsyncIteratorProtocol {
        var reader: ReplayRunReader
        var run = ReplayRun()
        var index = 0
        var finished = false

        public mutating func next() async throws -> ReplayRecord? {
            while index == run.count {
                if finished { return nil }
                index = 0
                if !(try await reader.next(into: &run)) {
                    finished = true
                    return nil
                }
            }
            defer { index += 1 }
            return run.record(index)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: ReplayRunReader(source: source))
    }
}

/// Reads a .tlog chunk by chunk as runs are asked for: each 1 MiB read becomes one run, its frames copied
/// once, straight from the framer's views into the run's slab.
struct TlogPull {
    let path: String
    var handle: FileHandle?
    var reader = TlogReader()
    var finished = false
    var opened = false

    init(path: String) {
        self.path = path
    }

    /// Fills `run` (emptied by the caller) with the records of the next chunk(s); leaves it empty at the end.
    mutating func next(into run: inout ReplayRun) throws {
        while run.isEmpty && !finished {
            if !opened {
                opened = true
                guard let h = FileHandle(forReadingAtPath: path) else {
                    throw ReplayError(.source, "cannot open \(path)")
                }
                handle = h
            }
            let chunk = try handle?.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty {
                reader.finish { record in Self.append(record, to: &run) }
                finished = true
                try? handle?.close()
            } else {
                chunk.withUnsafeBytes { bytes in
                    reader.feed(bytes) { record in Self.append(record, to: &run) }
                }
            }
        }
    }

    @inline(__always)
    static func append(_ record: TlogRecord, to run: inout ReplayRun) {
        record.frame.withUnsafeBytes { run.append($0, receivedAt: record.timestampMicros) }
    }
}

/// Why a replay could not start or stopped.
public struct ReplayError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case source
        case output
        case argument
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
