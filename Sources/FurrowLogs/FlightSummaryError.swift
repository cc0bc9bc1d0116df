/// Why a flight log could not be summarised at all.
public struct FlightSummaryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes for programs.
    public enum Code: String, Sendable, Hashable {
        /// The first bytes match no supported format.
        case unknownFormat = "unknown-format"
        /// The file could not be opened or read.
        case unreadable
        /// The reader refused the file (not a ULog, unknown incompatible flags, header cut).
        case unreadableLog = "unreadable-log"
    }

    /// What went wrong.
    public let code: Code
    /// The file.
    public let path: String
    /// What was found.
    public let detail: String

    /// An error of `code` about `path`.
    public init(_ code: Code, path: String, _ detail: String) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    /// `path: code: detail`.
    public var description: String { "\(path): \(code.rawValue): \(detail)" }
}
