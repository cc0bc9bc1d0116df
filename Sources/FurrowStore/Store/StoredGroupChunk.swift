/// One stored row-group chunk (`groupChunk.data`: a serialized `StoreRowGroup`), read in place.
///
/// The directory is checked once (its CRC-32, the chunk sizes against the BLOB's length); then the time chunk
/// and any one value chunk decode straight from the buffer, which on the query path is SQLite's own memory —
/// no copy of the BLOB. Every value chunk keeps its own codec, statistics and CRC-32, so a damaged column is
/// reported for its series alone and the group's other columns still read.
///
/// Holds the buffer it was made from: use it only inside the `withUnsafeBytes` scope that gave the buffer.
struct StoredGroupChunk {
    /// Why a stored chunk could not be read, as a reason for `StoreError.corruptChunk`.
    struct Failure: Error, Sendable {
        let reason: String
    }

    private let bytes: UnsafeRawBufferPointer
    /// Byte ranges of the time chunk (first) and of each value chunk in column order.
    private let ranges: [Range<Int>]

    init(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        do throws(StoreCodecError) {
            ranges = try StoreRowGroup.directory(bytes, verifyingChecksum: true)
        } catch {
            throw Failure(reason: "row-group directory: \(error)")
        }
        self.bytes = bytes
    }

    /// Value columns in the chunk.
    var columnCount: Int { ranges.count - 1 }

    /// The value chunk of the column at `position`, as stored (for its header or a decode).
    func valueChunk(at position: Int) throws(Failure) -> UnsafeRawBufferPointer {
        guard position >= 0, position < columnCount else {
            throw Failure(reason: "column \(position) is missing (the chunk holds \(columnCount) columns)")
        }
        let range = ranges[position + 1]
        guard !range.isEmpty else { throw Failure(reason: "the value chunk of column \(position) is missing") }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// The decoded time column.
    func timestamps() throws(Failure) -> [Int64] {
        let values: StoreColumn
        do throws(StoreCodecError) {
            values = try StoreChunk.decode(UnsafeRawBufferPointer(rebasing: bytes[ranges[0]])).values
        } catch {
            throw Failure(reason: "time chunk: \(error)")
        }
        guard case .timestamp(let timestamps) = values else { throw Failure(reason: "time chunk holds another type") }
        return timestamps
    }

    /// The decoded column at `position`, checked to be `type` with one value per row.
    func values(at position: Int, type: StoreValueType, rows: Int) throws(Failure) -> StoreColumn {
        let chunk = try valueChunk(at: position)
        let values: StoreColumn
        do throws(StoreCodecError) {
            values = try StoreChunk.decode(chunk).values
        } catch {
            throw Failure(reason: "column \(position): \(error)")
        }
        guard values.valueType == type, values.count == rows else {
            throw Failure(reason: "column \(position): \(values.count) \(values.valueType) values for \(rows) rows")
        }
        return values
    }

    /// The time column and the value columns at `positions` (typed `types`) of a stored chunk.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, positions: [Int], types: [StoreValueType]
    ) -> Result<StoreRows, Failure> {
        Result { () throws(Failure) in
            let chunk = try StoredGroupChunk(bytes)
            let timestamps = try chunk.timestamps()
            var columns: [StoreColumn] = []
            columns.reserveCapacity(positions.count)
            for (position, type) in zip(positions, types) {
                columns.append(try chunk.values(at: position, type: type, rows: timestamps.count))
            }
            return StoreRows(timestamps: timestamps, columns: columns)
        }
    }
}
