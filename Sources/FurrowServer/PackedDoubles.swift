import Foundation

/// Rows of numbers kept as one BLOB of native doubles (a harvest's records, a survey's samples): one INSERT
/// stores a whole upload, one read brings it back.
enum PackedDoubles {
    static func pack(_ values: [Double]) -> Data {
        values.withUnsafeBytes { Data($0) }
    }

    static func unpack(_ blob: Data) -> [Double] {
        var values = [Double](repeating: 0, count: blob.count / MemoryLayout<Double>.size)
        _ = values.withUnsafeMutableBytes { blob.copyBytes(to: $0) }
        return values
    }
}
