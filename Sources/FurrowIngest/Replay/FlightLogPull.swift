import Foundation
import FurrowLogs

/// Reads a DataFlash or ULog file chunk by chunk as records are asked for, re-encoding it as MAVLink
/// (`FlightLogMAVLink`): one record per frame, at its log time.
struct FlightLogPull {
    enum Reader {
        case dataFlash(DataFlashReader)
        case ulog(ULogReader)
    }

    let path: String
    var handle: FileHandle?
    var reader: Reader?
    var mapper = FlightLogMAVLink(dataFlash: true)
    var finished = false

    init(path: String) {
        self.path = path
    }

    /// Fills `run` (emptied by the caller) with the frames of the next chunk(s); leaves it empty at the end.
    mutating func next(into run: inout ReplayRun) throws {
        while run.isEmpty && !finished {
            if handle == nil {
                guard let h = FileHandle(forReadingAtPath: path) else { throw ReplayError(.source, "cannot open \(path)") }
                handle = h
            }
            let chunk = try handle?.read(upToCount: 1 << 20) ?? Data()
            if reader == nil {
                let isULog = chunk.withUnsafeBytes { ULogReader.looksLikeULog($0) }
                let isDataFlash = chunk.withUnsafeBytes { DataFlashReader.looksLikeDataFlash($0) }
                guard isULog || isDataFlash else {
                    throw ReplayError(.source, "\(path) is neither a DataFlash (.bin) nor a ULog (.ulg) log")
                }
                reader = isULog ? .ulog(ULogReader()) : .dataFlash(DataFlashReader())
                mapper = FlightLogMAVLink(dataFlash: !isULog)
            }
            var frames: [FlightLogMAVLink.Frame] = []
            var mapper = self.mapper
            switch reader {
            case .dataFlash(var r):
                if chunk.isEmpty {
                    r.finish { mapper.add($0, into: &frames) }
                } else {
                    chunk.withUnsafeBytes { bytes in r.feed(bytes) { mapper.add($0, into: &frames) } }
                }
                reader = .dataFlash(r)
            case .ulog(var r):
                do {
                    if chunk.isEmpty {
                        try r.finish { mapper.add($0, into: &frames) }
                    } else {
                        try chunk.withUnsafeBytes { bytes in try r.feed(bytes) { mapper.add($0, into: &frames) } }
                    }
                } catch {
                    throw ReplayError(.source, "\(path): \(error)")
                }
                reader = .ulog(r)
            case nil:
                break
            }
            self.mapper = mapper
            if chunk.isEmpty {
                finished = true
                try? handle?.close()
            }
            for frame in frames { run.append(frame.bytes, receivedAt: frame.time) }
        }
    }
}
