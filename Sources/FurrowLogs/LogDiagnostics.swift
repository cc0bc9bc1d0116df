/// The first diagnostics of a read, kept bounded, with a total count.
public struct LogDiagnostics: Sendable, Hashable {
    /// The first `limit` problems, in file order.
    public private(set) var first: [LogReadError] = []
    /// All problems seen.
    public private(set) var count = 0
    /// How many are kept.
    public let limit: Int

    public init(limit: Int = 100) { self.limit = limit }

    /// Records a problem.
    public mutating func append(_ error: LogReadError) {
        count += 1
        if first.count < limit { first.append(error) }
    }
}
