import FurrowWire

extension DaemonConfiguration {
    /// `[[lorawan]]`: a UDP socket where Semtech packet forwarders (LoRa gateways) push what they hear,
    /// with the ABP devices whose uplinks are decoded.
    public struct LoRaWANLink: Sendable {
        /// One `[[lorawan.devices]]` entry: an activated device and its session keys.
        public struct Device: Sendable {
            public var devEUI: LoRaWANEUI
            public var devAddr: UInt32
            public var nwkSKey: LoRaWANKey
            public var appSKey: LoRaWANKey
            public var profile: String
            /// Source name (`name`, default `lorawan-<deveui in lower-case hex>`).
            public var source: String
            /// `fcnt_check` (default true): refuse replayed and old frame counters.
            public var checksFrameCounter = true
            var sourcePath: TOMLPath?
        }

        public var name: String
        /// `listen`, default `0.0.0.0:1700` (the packet forwarder's server port).
        public var listen: SocketAddressSpec
        /// `dedup_window_ms`: how long copies of an uplink from other gateways are awaited (default 200).
        public var deduplicationWindow: Duration = .milliseconds(200)
        public var project: String?
        public var devices: [Device] = []
        var sourcePath: TOMLPath?
    }
}
