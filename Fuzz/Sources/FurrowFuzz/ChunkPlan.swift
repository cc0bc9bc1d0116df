/// One way of cutting the input into chunks: the sizes sum to the input length; zero-size chunks are allowed.
struct ChunkPlan {
    let name: String
    let sizes: [Int]

    /// The input in one chunk.
    var isWhole: Bool { name == "whole" }

    /// Whole, 1-byte, 7-byte, two pieces at a seeded point, and seeded sizes from 0 to ~5,000 bytes.
    static func plans(count n: Int, seed: UInt64) -> [ChunkPlan] {
        var rng = SplitMix64(seed: seed)
        let cut = n == 0 ? 0 : Int(rng.next() % UInt64(n + 1))
        var random: [Int] = []
        var left = n
        while left > 0 {
            let r = rng.next()
            let size: Int
            switch r % 16 {
            case 0: size = 0
            case 1..<10: size = 1 + Int((r >> 8) % 64)
            case 10..<14: size = 1 + Int((r >> 8) % 400)
            default: size = 1000 + Int((r >> 8) % 4200)  // past the framer's 1024 and the reader's 4096 joins
            }
            random.append(Swift.min(size, left))
            left -= Swift.min(size, left)
        }
        return [
            ChunkPlan(name: "whole", sizes: [n]),
            ChunkPlan(name: "1-byte", sizes: fixed(n, 1)),
            ChunkPlan(name: "7-byte", sizes: fixed(n, 7)),
            ChunkPlan(name: "cut at \(cut)", sizes: [cut, n - cut]),
            ChunkPlan(name: "seeded \(random.prefix(8))…", sizes: random),
        ]
    }

    private static func fixed(_ n: Int, _ size: Int) -> [Int] {
        stride(from: 0, to: n, by: size).map { Swift.min(size, n - $0) }
    }

    /// Calls `body` with each chunk copied into an allocation of exactly its size (so AddressSanitizer sees
    /// any read past a chunk) and the chunk's offset in the input; the copy is freed after the call.
    func forEachChunk(of input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) -> Void) {
        var offset = 0
        for size in sizes {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
            if size > 0 { copy.copyMemory(from: UnsafeRawBufferPointer(rebasing: input[offset..<(offset + size)])) }
            body(UnsafeRawBufferPointer(copy), offset)
            copy.deallocate()
            offset += size
        }
    }
}
