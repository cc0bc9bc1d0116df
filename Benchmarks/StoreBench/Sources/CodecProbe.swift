import Foundation
import FurrowStore

/// The codecs alone, outside the store: how much of the ingest time is encoding, and which representation
/// of lat/lon the store keeps smallest.
struct CodecProbe: Sendable, Codable {
    struct Variant: Sendable, Codable {
        var name: String
        var values: Int
        var bytes: Int
        var bytesPerValue: Double { Double(bytes) / Double(values) }
    }

    /// CPU seconds of `StoreChunk.encode` over the whole dataset cut into store-sized chunks (time columns
    /// included), per group name, and their total.
    var encodeSeconds: Double
    var encodeSecondsByGroup: [String: Double]
    /// CPU seconds of `StoreChunk.decode` (checksums verified) of those chunks.
    var decodeSeconds: Double
    var values: Int
    /// GLOBAL_POSITION_INT lat+lon as int64 1e-7 degrees vs float64 degrees.
    var latLon: [Variant]

    static func run(_ dataset: Dataset, chunkRows: Int) -> CodecProbe {
        var byGroup: [String: Double] = [:]
        var encoded: [[UInt8]] = []
        var values = 0
        let encodeStart = processCPUSeconds()
        for group in dataset.groups {
            let start = processCPUSeconds()
            var offset = 0
            while offset < group.rows {
                let rows = offset..<Swift.min(group.rows, offset + chunkRows)
                encoded.append(StoreChunk.encode(.timestamp(Array(group.timestamps[rows]))))
                for (c, column) in group.columns.enumerated() {
                    encoded.append(
                        StoreChunk.encode(
                            column.slice(rows), options: .init(decimalExponent: group.channels[c].decimalExponent)))
                }
                offset = rows.upperBound
            }
            values += group.values
            byGroup[group.key.name, default: 0] += processCPUSeconds() - start
        }
        let encodeSeconds = processCPUSeconds() - encodeStart
        let decodeStart = processCPUSeconds()
        var decoded = 0
        for chunk in encoded {
            if let c = try? StoreChunk.decode(chunk) { decoded += c.values.count }
        }
        let decodeSeconds = processCPUSeconds() - decodeStart
        precondition(decoded > 0)

        var variants = [
            Variant(name: "int64 (degE7, as MAVLink sends it)", values: 0, bytes: 0),
            Variant(name: "float64 degrees = e7 * 1e-7, decimalExponent 7", values: 0, bytes: 0),
            Variant(name: "float64 degrees = e7 / 1e7, decimalExponent 7", values: 0, bytes: 0),
            Variant(name: "float64 degrees = e7 * 1e-7, no declared exponent", values: 0, bytes: 0),
        ]
        for group in dataset.groups where group.key.name == "GLOBAL_POSITION_INT" {
            for c in 0..<2 {
                guard case .int64(let e7) = group.columns[c] else { continue }
                var offset = 0
                while offset < e7.count {
                    let piece = Array(e7[offset..<Swift.min(e7.count, offset + chunkRows)])
                    offset += piece.count
                    let multiplied = piece.map { Double($0) * 1e-7 }
                    let divided = piece.map { Double($0) / 1e7 }
                    let sizes = [
                        StoreChunk.encode(.int64(piece)).count,
                        StoreChunk.encode(.float64(multiplied), options: .init(decimalExponent: 7)).count,
                        StoreChunk.encode(.float64(divided), options: .init(decimalExponent: 7)).count,
                        StoreChunk.encode(.float64(multiplied)).count,
                    ]
                    for i in variants.indices {
                        variants[i].values += piece.count
                        variants[i].bytes += sizes[i]
                    }
                }
            }
        }
        return CodecProbe(
            encodeSeconds: encodeSeconds, encodeSecondsByGroup: byGroup, decodeSeconds: decodeSeconds, values: values,
            latLon: variants)
    }
}
