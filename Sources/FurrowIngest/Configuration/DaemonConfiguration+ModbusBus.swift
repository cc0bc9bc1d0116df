extension DaemonConfiguration {
    /// `[[modbus]]`: an RS-485 Modbus RTU bus the daemon is master of, with its slaves.
    public struct ModbusBus: Sendable, Hashable {
        /// One `[[modbus.slaves]]` entry.
        public struct Slave: Sendable, Hashable {
            /// Unit id 1-247.
            public var unit: UInt8
            public var profile: String
            /// Seconds between polls (`interval_s`, default 60).
            public var interval: Duration
            /// Source name (`name`, default `modbus-<bus>-<unit>`).
            public var source: String
            var sourcePath: TOMLPath?
        }

        public var name: String
        public var device: String
        /// `baud` and `framing`, default 9600 8N1 (what field probes ship with; the specification says 8E1).
        public var baud: Int = 9600
        public var framing: SerialFraming = .eightNoneOne
        /// `response_timeout_ms` (default 500): how long a slave may take to start answering.
        public var responseTimeout: Duration = .milliseconds(500)
        /// `retries` of a request that timed out or came back damaged (default 1).
        public var retries = 1
        public var project: String?
        public var slaves: [Slave] = []
        var sourcePath: TOMLPath?
    }
}
