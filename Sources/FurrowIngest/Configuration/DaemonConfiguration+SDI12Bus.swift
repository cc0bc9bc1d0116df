extension DaemonConfiguration {
    /// `[[sdi12]]`: an SDI-12 bus behind a serial adapter, with the sensors the recorder polls on it.
    public struct SDI12Bus: Sendable, Hashable {
        /// One `[[sdi12.sensors]]` entry.
        public struct Sensor: Sendable, Hashable {
            /// SDI-12 address character `0`-`9`, `A`-`Z`, `a`-`z`.
            public var address: Character
            public var profile: String
            /// Seconds between measurements (`interval_s`, default 60).
            public var interval: Duration
            /// Source name (`name`, default `sdi12-<bus>-<address>`).
            public var source: String
            var sourcePath: TOMLPath?
        }

        public var name: String
        /// `device`, e.g. `/dev/ttyUSB1`.
        public var device: String
        /// `baud` and `framing`, default 1200 7E1 (the SDI-12 line).
        public var baud: Int = 1200
        public var framing: SerialFraming = SerialFraming(dataBits: 7, parity: .even, stopBits: 1)
        /// `response_timeout_ms`: how long a sensor may take to answer a command (default 800).
        public var responseTimeout: Duration = .milliseconds(800)
        /// `retries`: how often an unanswered command is repeated (default 3).
        public var retries = 3
        public var project: String?
        public var sensors: [Sensor] = []
        var sourcePath: TOMLPath?
    }
}
