/// A refused or flagged row of an uploaded file (detections, multispectral samples) and why, so a user can fix
/// the file line by line.
public struct UploadedRowIssue: Error, Sendable, Hashable, Encodable, CustomStringConvertible {
    /// CSV: the line (header = 1); GeoJSON: the 1-based feature.
    public var row: Int
    public var reason: String

    public init(row: Int, reason: String) {
        self.row = row
        self.reason = reason
    }

    public var description: String { "row \(row): \(reason)" }
}

/// Every refused row of a file (the first 50 shown): nothing of the file is stored.
public struct UploadedRowsRefused: Error, Sendable, CustomStringConvertible {
    public var errors: [UploadedRowIssue]

    public init(errors: [UploadedRowIssue]) {
        self.errors = errors
    }

    public var description: String {
        let shown = errors.prefix(50).map(\.description).joined(separator: "; ")
        return errors.count > 50 ? shown + "; … \(errors.count - 50) more" : shown
    }
}
