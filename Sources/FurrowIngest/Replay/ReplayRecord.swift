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

/// Where replayed bytes come from: a source's raw archive (by project, source and time range) or a .tlog.
public enum ReplaySource: Sendable {
    case archive(RawArchiveReader, project: String, source: String, from: Int64, to: Int64)
    case tlog(path: String)
    /// A DataFlash (.bin) or ULog (.ulg) log re-encoded as MAVLink 2 (`FlightLogMAVLink`).
    case flightLog(path: String)

    /// The records in receive order, pulled as the replay needs them: one archive segment or one 1 MiB file
    /// chunk in memory at a time, whatever the length.
    public func records() -> ReplayRecords { ReplayRecords(source: self) }
}

/// The records of a `ReplaySource`, as an async sequence that reads ahead only as far as it is consumed.
public struct ReplayRecords: AsyncSequence, Sendable {
    public typealias Element = ReplayRecord
    let source: ReplaySource

    public struct AsyncIterator: AsyncIteratorProtocol {
        enum Backing {
            case archive(RawArchiveRecords.AsyncIterator)
            case tlog(TlogPull)
            case flightLog(FlightLogPull)
        }

        var backing: Backing

        public mutating func next() async throws -> ReplayRecord? {
            switch backing {
            case .archive(var iterator):
                let record = try await iterator.next()
                backing = .archive(iterator)
                return record.map { ReplayRecord(receivedAt: $0.receivedAt, bytes: Array($0.bytes)) }
            case .tlog(var pull):
                let record = try pull.next()
                backing = .tlog(pull)
                return record
            case .flightLog(var pull):
                let record = try pull.next()
                backing = .flightLog(pull)
                return record
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        switch source {
        case .archive(let reader, let project, let source, let from, let to):
            return AsyncIterator(
                backing: .archive(reader.records(project: project, source: source, from: from, to: to).makeAsyncIterator()))
        case .tlog(let path):
            return AsyncIterator(backing: .tlog(TlogPull(path: path)))
        case .flightLog(let path):
            return AsyncIterator(backing: .flightLog(FlightLogPull(path: path)))
        }
    }
}

/// Reads a .tlog chunk by chunk as records are asked for.
struct TlogPull {
    let path: String
    var handle: FileHandle?
    var reader = TlogReader()
    var pending: [ReplayRecord] = []
    var index = 0
    var finished = false
    var opened = false

    init(path: String) {
        self.path = path
    }

    mutating func next() throws -> ReplayRecord? {
        while index == pending.count {
            if finished { return nil }
            pending.removeAll(keepingCapacity: true)
            index = 0
            if !opened {
                opened = true
                guard let h = FileHandle(forReadingAtPath: path) else {
                    throw ReplayError(.source, "cannot open \(path)")
                }
                handle = h
            }
            let chunk = try handle?.read(upToCount: 1 << 20) ?? Data()
            var collected: [ReplayRecord] = []
            if chunk.isEmpty {
                reader.finish { record in collected.append(Self.record(record)) }
                finished = true
                try? handle?.close()
            } else {
                chunk.withUnsafeBytes { bytes in
                    reader.feed(bytes) { record in collected.append(Self.record(record)) }
                }
            }
            pending = collected
        }
        defer { index += 1 }
        return pending[index]
    }

    static func record(_ record: TlogRecord) -> ReplayRecord {
        record.frame.withUnsafeBytes { ReplayRecord(receivedAt: record.timestampMicros, bytes: Array($0)) }
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
