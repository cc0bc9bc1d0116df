import Foundation
import FurrowStore

/// `--float-columns FILE`: the float codecs on columns from elsewhere — real flight logs, extracted by
/// `extract_float_columns.py` — in 4,096-value chunks, so a codec is judged on real sensor floats and
/// not only on the simulated dataset. Prints, per column group, the chunk bytes per value the encoder
/// picks now, and what it picked before `residual-huffman` (codec 9) existed: the same decimal chunks,
/// otherwise the smallest of codecs 0-8.
enum FloatColumnsProbe {
    struct Column {
        var name: String
        var column: StoreColumn
    }

    /// Reads the columns file (per column: u8 name length, name, u8 type 0 float32 / 1 float64, u32 count,
    /// little-endian values).
    static func read(_ path: String) throws -> [Column] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let bytes = [UInt8](data)
        var at = 0
        func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, at + n <= bytes.count else { throw BenchFailure("\(path): truncated at byte \(at)") }
            defer { at += n }
            return bytes[at..<at + n]
        }
        func u32(_ s: ArraySlice<UInt8>) -> UInt32 { s.reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func u64(_ s: ArraySlice<UInt8>) -> UInt64 { s.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        var columns: [Column] = []
        while at < bytes.count {
            let nameLength = Int(try take(1).first!)
            let name = String(decoding: try take(nameLength), as: UTF8.self)
            let type = try take(1).first!
            let count = Int(u32(try take(4)))
            if type == 0 {
                let raw = try take(count * 4)
                let values = (0..<count).map { i in
                    Float(bitPattern: u32(raw[raw.startIndex + i * 4..<raw.startIndex + i * 4 + 4]))
                }
                columns.append(Column(name: name, column: .float32(values)))
            } else {
                let raw = try take(count * 8)
                let values = (0..<count).map { i in
                    Double(bitPattern: u64(raw[raw.startIndex + i * 8..<raw.startIndex + i * 8 + 8]))
                }
                columns.append(Column(name: name, column: .float64(values)))
            }
        }
        return columns
    }

    /// The float codecs the encoder tried before codec 9.
    static let previousCandidates: [StoreCodec] = [.decimal, .orderedDelta, .orderedDeltaHuffman, .frontBits, .gorilla]

    static func run(_ path: String) throws {
        let columns = try read(path)
        struct Total {
            var values = 0, now = 0, before = 0, raw = 0
            var codecs: [String: Int] = [:]
        }
        var groups: [String: Total] = [:]
        var all = Total()
        // Decode speed: every chunk that codec 9 won, decoded as it is and as codec 8 (the previous float
        // entropy codec) would have written it.
        var won: [(now: [UInt8], previous: [UInt8], values: Int)] = []
        for c in columns {
            // Group: the log and what kind of field (attitude, gyro/accel, everything else).
            let log = c.name.split(separator: ":").first.map(String.init) ?? "?"
            let field = c.name.lowercased()
            let kind =
                field.contains("attitude") || field.contains(":att.") ? "attitude"
                : field.contains("sensor_combined") || field.contains("imu") || field.contains("gyr")
                    || field.contains("acc") ? "imu" : "other"
            let count = c.column.count
            var offset = 0
            var total = Total()
            while offset < count {
                let end = Swift.min(offset + 4096, count)
                let piece: StoreColumn
                switch c.column {
                case .float32(let v): piece = .float32(Array(v[offset..<end]))
                case .float64(let v): piece = .float64(Array(v[offset..<end]))
                default: piece = c.column
                }
                let now = StoreChunk.encode(piece)
                let chunk = try StoreChunk.decode(now)
                guard chunk.values.isIdentical(to: piece) else { throw BenchFailure("\(c.name): round trip differs") }
                // What the encoder wrote before codec 9: the decimal codec when it takes a chunk without
                // trying the others (few exceptions; unchanged), else the smallest of codecs 0-8.
                let before =
                    chunk.header.codec == .decimal
                    ? now.count : previousCandidates.compactMap { StoreChunk.encode(piece, codec: $0)?.count }.min()!
                total.values += end - offset
                total.now += now.count
                total.before += before
                total.raw += StoreChunk.encode(piece, codec: .raw)!.count
                total.codecs["\(chunk.header.codec)", default: 0] += end - offset
                if chunk.header.codec == .residualHuffman,
                    let previous = StoreChunk.encode(piece, codec: .orderedDeltaHuffman)
                {
                    won.append((now, previous, end - offset))
                }
                offset = end
            }
            for key in ["\(log) \(kind)", "all \(kind)"] {
                groups[key, default: Total()].values += total.values
                groups[key, default: Total()].now += total.now
                groups[key, default: Total()].before += total.before
                groups[key, default: Total()].raw += total.raw
                groups[key, default: Total()].codecs.merge(total.codecs, uniquingKeysWith: +)
            }
            all.values += total.values
            all.now += total.now
            all.before += total.before
            all.raw += total.raw
        }
        print("float columns of \(path): \(columns.count) columns, \(all.values) values, chunks of 4,096")
        print("| group | values | B/value before (codecs 0-8) | B/value now | change | raw | codec of most values |")
        print("|---|---:|---:|---:|---:|---:|---|")
        func line(_ name: String, _ t: Total) {
            let top = t.codecs.max { $0.value < $1.value }?.key ?? "-"
            print(
                "| \(name) | \(t.values) | \(String(format: "%.3f", Double(t.before) / Double(t.values))) | "
                    + "\(String(format: "%.3f", Double(t.now) / Double(t.values))) | "
                    + "\(String(format: "%+.1f %%", (Double(t.now) / Double(t.before) - 1) * 100)) | "
                    + "\(String(format: "%.3f", Double(t.raw) / Double(t.values))) | \(top) |")
        }
        for key in groups.keys.sorted() { line(key, groups[key]!) }
        line("all", all)

        let wonValues = won.reduce(0) { $0 + $1.values }
        guard wonValues > 0 else { return }
        func decodeSeconds(_ chunks: [[UInt8]]) throws -> Double {
            var best = Double.infinity
            for _ in 0..<5 {
                let clock = ContinuousClock()
                let start = clock.now
                for bytes in chunks { _ = try StoreChunk.decode(bytes) }
                let d = clock.now - start
                best = Swift.min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
            }
            return best
        }
        let now = try decodeSeconds(won.map(\.now))
        let previous = try decodeSeconds(won.map(\.previous))
        print(
            "decode of the \(won.count) chunks (\(wonValues) values) residual-huffman won, best of 5: "
                + "\(String(format: "%.1f", Double(wonValues) / now / 1e6)) M values/s; the same values as "
                + "ordered-delta-huffman: \(String(format: "%.1f", Double(wonValues) / previous / 1e6)) M values/s")
    }
}
