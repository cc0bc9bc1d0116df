/// One imported yield-monitor file of a field: what it holds and where its columns came from.
public struct Harvest: Sendable, Codable, Hashable {
    public var id: Int64
    public var project: String
    public var field: Int64
    public var name: String
    /// Crop name used for the standard moisture (`corn`, `soybean`, `wheat`), nil = the field's crop.
    public var crop: String?
    public var records: Int
    /// Quantity → the header column it was read from (with its unit).
    public var columns: [String: String]
    /// Upload time, RFC 3339.
    public var createdAt: String
}
