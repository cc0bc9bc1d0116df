/// Why a simulated feed could not be sent: a name that does not resolve, a socket, file or pty the system
/// refused. Carries the system's `errno` where there is one.
public struct SimulationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; stable across releases.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The host name or address did not resolve.
        public static let resolve = Code(rawValue: "resolve")
        /// A socket could not be created, bound or written to.
        public static let socket = Code(rawValue: "socket")
        /// A file could not be created or written.
        public static let file = Code(rawValue: "file")
        /// A pseudo-terminal could not be created or written.
        public static let pty = Code(rawValue: "pty")
        /// An argument was out of range (a port, a speed).
        public static let argument = Code(rawValue: "argument")

        public var description: String { rawValue }
    }

    public let code: Code
    /// What was being done, naming the host, file or device.
    public let reason: String
    /// The system error number, if the failure came from a system call.
    public let errno: Int32?

    public init(code: Code, reason: String, errno: Int32? = nil) {
        self.code = code
        self.reason = reason
        self.errno = errno
    }

    public var description: String {
        guard let errno else { return "\(reason) [\(code)]" }
        return "\(reason): \(systemErrorText(errno)) (errno \(errno)) [\(code)]"
    }
}
