import FurrowWire

/// What a sensor profile (`protocol = "sdi12" | "modbus" | "lorawan"`) tells a poller: how to ask, and
/// which channels (with units and calibration) a reading becomes.
public struct SensorProfile: Sendable, Hashable {
    /// SDI-12: which measurement command to start.
    public struct SDI12: Sendable, Hashable {
        /// `M`, `MC`, `C` or `CC` with its index (0 for `aM!`).
        public var kind: SDI12MeasurementSession.Kind = .measure(index: 0, crc: true)
    }

    /// Modbus: the blocks to read per poll (one request each), derived from the channels' registers.
    public struct Modbus: Sendable, Hashable {
        public struct Block: Sendable, Hashable {
            public let table: ModbusRegisterAddress.Table
            public let start: UInt16
            public let count: Int

            public init(table: ModbusRegisterAddress.Table, start: UInt16, count: Int) {
                self.table = table
                self.start = start
                self.count = count
            }
        }
        public var blocks: [Block]
    }

    /// LoRaWAN: the payload decoder.
    public enum LoRaWANDecoder: String, Sendable, Hashable, CaseIterable {
        case draginoLSE01 = "dragino-lse01"
        case cayenneLPP = "cayenne-lpp"

        /// The fields the decoder produces (Cayenne's are `<type>_<channel>`, open-ended).
        public var knownFields: [String]? {
            switch self {
            case .draginoLSE01:
                ["battery", "probe_temperature", "soil_moisture", "soil_temperature", "soil_conductivity"]
            case .cayenneLPP: nil
            }
        }
    }

    public var channels: [SensorChannel]
    public var sdi12: SDI12?
    public var modbus: Modbus?
    public var lorawanDecoder: LoRaWANDecoder?

    public init(channels: [SensorChannel], sdi12: SDI12? = nil, modbus: Modbus? = nil, lorawanDecoder: LoRaWANDecoder? = nil) {
        self.channels = channels
        self.sdi12 = sdi12
        self.modbus = modbus
        self.lorawanDecoder = lorawanDecoder
    }

    /// The store channels of one reading: every calibrated channel, then the raw value of each channel
    /// whose calibration is not the identity (`<name>_raw`), then `extra` (link quality, counters).
    public func storeLayout(extra: [(String, String?)] = []) -> SensorReadingLayout {
        SensorReadingLayout(channels: channels, extra: extra)
    }
}
