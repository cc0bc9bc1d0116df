/// The bytes of a message cut by a chunk boundary, kept until the next chunk completes it, and the file
/// offset they start at: the part of chunked parsing every log reader shares.
struct ChunkCarry {
    /// Unparsed bytes from the end of the previous chunk.
    var bytes: [UInt8] = []
    /// File offset of the first byte of `bytes`, or of the next chunk when `bytes` is empty.
    var position = 0

    /// A scanner: parses whole messages starting before `limit` in `count` bytes at a pointer, whose first
    /// byte is at file offset `start`; returns how many bytes it consumed.
    typealias Scan = (_ base: UnsafeRawPointer, _ count: Int, _ limit: Int, _ start: Int) throws -> Int

    /// Scans the carried bytes joined with the start of `chunk` (at most `maxMessage` of it), then the rest of
    /// the chunk, and keeps what no message completed.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, maxMessage: Int, scan: Scan) rethrows {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var offset = 0
        if !bytes.isEmpty {
            let carried = bytes.count
            let take = Swift.min(chunk.count, maxMessage)
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            let joined = bytes
            let resume = try joined.withUnsafeBytes { buffer in
                try scan(buffer.baseAddress!, buffer.count, carried, position)
            }
            if resume < carried {
                // Still not enough bytes for the message at `resume` (the chunk was short): keep them all.
                bytes.removeFirst(resume)
                position += resume
                if take < chunk.count {
                    bytes.append(contentsOf: UnsafeRawBufferPointer(start: base + take, count: chunk.count - take))
                }
                return
            }
            bytes.removeAll(keepingCapacity: true)
            position += resume
            offset = resume - carried
        }
        let count = chunk.count - offset
        let resume = try scan(base + offset, count, count, position)
        position += resume
        if resume < count {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: base + offset + resume, count: count - resume))
        }
    }
}
