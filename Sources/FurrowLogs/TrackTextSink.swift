/// Collects export text and hands it to a sink in pieces of about `chunkSize` bytes, so a long track streams.
struct TrackTextSink {
    var buffer = ""
    let chunkSize: Int
    let sink: (String) throws -> Void

    init(chunkSize: Int, sink: @escaping (String) throws -> Void) {
        self.chunkSize = Swift.max(chunkSize, 1)
        self.sink = sink
        buffer.reserveCapacity(self.chunkSize + 256)
    }

    mutating func write(_ text: String) throws {
        buffer += text
        if buffer.utf8.count >= chunkSize { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
