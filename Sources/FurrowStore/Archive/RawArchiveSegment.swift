import GRDB

/// One archived segment as its row describes it: whose bytes, which receive times, how big.
///
/// Listed by `RawArchiveReader.segments(project:source:from:to:)` so a replay can show and seek what is
/// there without inflating anything. The numbers are the row's claims; reading the records checks them.
public struct RawArchiveSegment: Sendable, Hashable {
    /// The pilot project that owns the bytes.
    public let project: String
    /// The transport or upload the bytes came from.
    public let source: String
    /// Receive time of the first (and earliest) record, µs since the Unix epoch.
    public let startTime: Int64
    /// 0, or which of several segments of this source that start at the same microsecond.
    public let ordinal: Int
    /// Receive time of the latest record.
    public let endTime: Int64
    /// Records (receives) in the segment.
    public let recordCount: Int
    /// Bytes received: the sum of the records' lengths.
    public let byteCount: Int
    /// Bytes of the encoded records before compression (records plus their 2-4 byte headers).
    public let rawSize: Int
    /// Bytes of the BLOB.
    public let storedSize: Int
    /// CRC-32 (zlib's) of the encoded records.
    public let checksum: UInt32
    /// How the BLOB is stored: 0 uncompressed, 1 raw deflate.
    public let codec: UInt8

    /// The columns, in this order, that `init(row:project:source:)` reads.
    static let columns = "startTime, ordinal, endTime, recordCount, byteCount, rawSize, storedSize, crc32, codec"

    /// What is wrong with the row's columns themselves (NULL, or out of range for the field), if
    /// anything; such a row is listed, and reading its records reports it.
    let columnProblem: String?

    /// Reads the columns named in `columns`. Never fails: a column that is NULL or out of range reads as
    /// 0 and is named in `columnProblem`, so listings show the row and readers report it.
    init(row: Row, project: String, source: String) {
        var problems: [String] = []
        func integer<T: FixedWidthInteger>(_ index: Int, _ name: String, as _: T.Type = T.self) -> T {
            if let value = Int64.fromDatabaseValue(row[index] as DatabaseValue), let exact = T(exactly: value) {
                return exact
            }
            problems.append("\(name) is \(row[index] as DatabaseValue)")
            return 0
        }
        self.project = project
        self.source = source
        startTime = integer(0, "startTime")
        ordinal = integer(1, "ordinal")
        endTime = integer(2, "endTime")
        recordCount = integer(3, "recordCount")
        byteCount = integer(4, "byteCount")
        rawSize = integer(5, "rawSize")
        storedSize = integer(6, "storedSize")
        checksum = integer(7, "crc32")
        codec = integer(8, "codec")
        columnProblem = problems.isEmpty ? nil : problems.joined(separator: ", ")
    }
}
