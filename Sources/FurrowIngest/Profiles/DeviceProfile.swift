import FurrowLogs
import FurrowWire

/// What Furrow knows about one kind of device: how to talk to it and how its telemetry becomes channels.
///
/// Profiles are TOML files in `Hardware/profiles/` (see the annotated ones shipped there). Parsing
/// validates the mapping against the dialect, so a profile that loads maps without surprises:
///
/// ```swift
/// let profile = try DeviceProfile(contentsOf: "Hardware/profiles/ardupilot-sprayer.toml")
/// let mapper = try MAVLinkMapper(profile: profile)
/// ```
public struct DeviceProfile: Sendable {
    /// The protocol a device speaks. Only MAVLink is implemented; the others are reserved names so that
    /// profiles for them are recognised (and rejected with a clear message) until they are.
    public enum DeviceProtocol: String, Sendable, Hashable, CaseIterable {
        case mavlink
        case sdi12
        case modbus
        case lorawan
    }

    /// Unique name in the catalog (`ardupilot-sprayer`); links and source rules refer to it.
    public var name: String
    public var description: String?
    public var vendor: String?
    public var model: String?
    public var deviceProtocol: DeviceProtocol
    /// Defaults for links that use this profile.
    public var transport: DeviceTransportDefaults
    /// The MAVLink mapping (present when `deviceProtocol == .mavlink`).
    public var mavlink: MAVLinkProfileMapping?
    /// `[flight]`: how the flights of such a vehicle are summarised (swath width, spray flows).
    public var flight = FlightProfile()
    /// The sensor mapping (present for `sdi12`, `modbus` and `lorawan` profiles).
    public var sensor: SensorProfile?
    /// The file the profile was read from (`<string>` when parsed from text).
    public var file: String
    /// Positions of the keys in `file`, for error messages about the mapping.
    var locator: TOMLKeyLocator?

    public init(
        name: String, description: String? = nil, vendor: String? = nil, model: String? = nil,
        deviceProtocol: DeviceProtocol = .mavlink, transport: DeviceTransportDefaults = .init(),
        mavlink: MAVLinkProfileMapping? = nil, file: String = "<string>"
    ) {
        self.name = name
        self.description = description
        self.vendor = vendor
        self.model = model
        self.deviceProtocol = deviceProtocol
        self.transport = transport
        self.mavlink = mavlink
        self.file = file
    }
}

/// Transport settings a device usually needs; a link's own settings take precedence.
public struct DeviceTransportDefaults: Sendable, Hashable {
    /// Serial speed (SiK/RFD900 radios default to 57600; USB CDC ignores it).
    public var serialBaud: Int
    public var serialFraming: SerialFraming
    public var serialFlowControl: SerialFlowControl
    /// The UDP port ground stations and mavlink-router forward to.
    public var udpPort: Int
    /// The TCP port of SITL or a companion computer's MAVLink server, when the device offers one.
    public var tcpPort: Int?

    public init(
        serialBaud: Int = 57600, serialFraming: SerialFraming = .eightNoneOne,
        serialFlowControl: SerialFlowControl = .none, udpPort: Int = 14550, tcpPort: Int? = nil
    ) {
        self.serialBaud = serialBaud
        self.serialFraming = serialFraming
        self.serialFlowControl = serialFlowControl
        self.udpPort = udpPort
        self.tcpPort = tcpPort
    }
}

/// How MAVLink messages become row groups and channels.
public struct MAVLinkProfileMapping: Sendable {
    /// The dialect the mapping is validated against (`ardupilotmega`, the only one compiled in).
    public var dialect: String
    /// Every message of the dialect, every field, native types; `messages` then override per field.
    public var mapAll: Bool
    /// With `mapAll`: messages not to store.
    public var exclude: [String]
    /// Explicit message mappings, in file order.
    public var messages: [MAVLinkMessageMapping]

    public init(dialect: String = "ardupilotmega", mapAll: Bool = false, exclude: [String] = [], messages: [MAVLinkMessageMapping] = []) {
        self.dialect = dialect
        self.mapAll = mapAll
        self.exclude = exclude
        self.messages = messages
    }
}

/// The mapping of one MAVLink message.
public struct MAVLinkMessageMapping: Sendable {
    /// Message name as in the dialect (`GLOBAL_POSITION_INT`).
    public var message: String
    /// Store row-group name; the message name when nil.
    public var group: String?
    /// Channels written for every row (empty when the message is split by `selectBy`).
    public var channels: [MAVLinkChannelMapping]
    /// With `mapAll`: true to store only `channels`, false to store them instead of the native channels of
    /// the same fields and keep every other field native.
    public var replace: Bool
    /// A text field whose value picks the row group of each row (`name` of NAMED_VALUE_FLOAT).
    public var selectBy: String?
    /// With `selectBy`: one row group per matched value; rows matching none are not stored.
    public var selections: [MAVLinkSelection]
    /// Where the message's table is in its file (for error messages), nil when built in code.
    var sourcePath: TOMLPath?

    public init(
        message: String, group: String? = nil, channels: [MAVLinkChannelMapping] = [], replace: Bool = false,
        selectBy: String? = nil, selections: [MAVLinkSelection] = []
    ) {
        self.message = message
        self.group = group
        self.channels = channels
        self.replace = replace
        self.selectBy = selectBy
        self.selections = selections
    }
}

/// Rows of a message whose select field equals `match`, stored as their own row group.
public struct MAVLinkSelection: Sendable {
    /// The text value to match exactly (`SPRAY_LPM`).
    public var match: String
    /// Row-group name; `match` when nil.
    public var group: String?
    public var channels: [MAVLinkChannelMapping]
    /// Where the selection is in its file (for error messages), nil when built in code.
    var sourcePath: TOMLPath?

    public init(match: String, group: String? = nil, channels: [MAVLinkChannelMapping]) {
        self.match = match
        self.group = group
        self.channels = channels
    }
}

/// One field (or array element) of a message → one store channel, with its conversion.
///
/// The value stored is `calibration(raw × scale + offset)`, rounded to a multiple of `resolution`;
/// without any of these, the field is stored in its native type.
public struct MAVLinkChannelMapping: Sendable, Hashable {
    /// Channel name in the row group.
    public var name: String
    /// Field name in the message.
    public var field: String
    /// Element of an array field (`voltages[0]` → 0), nil for a scalar.
    public var element: Int?
    /// Unit after conversion (`V`, `deg`); the field's declared unit when nil and nothing converts.
    public var unit: String?
    /// Store type; chosen from the field and the conversion when nil.
    public var valueType: StoreValueTypeName?
    public var scale: Double?
    public var offset: Double?
    public var calibration: MAVLinkCalibration?
    /// Decimal digits of the declared resolution: `resolution = 1e-7` → 7 (the store's
    /// `StoreChannel.decimalExponent`, values are multiples of `10^-decimals`).
    public var decimals: Int?
    /// Bits of an integer field to keep, shifted down (`mask = 128` on `base_mode` → armed 0/1).
    public var mask: UInt64?
    /// Where the channel is in its file (for error messages), nil when built in code.
    var sourcePath: TOMLPath?

    public init(
        name: String, field: String, element: Int? = nil, unit: String? = nil, valueType: StoreValueTypeName? = nil,
        scale: Double? = nil, offset: Double? = nil, calibration: MAVLinkCalibration? = nil, decimals: Int? = nil,
        mask: UInt64? = nil
    ) {
        self.name = name
        self.field = field
        self.element = element
        self.unit = unit
        self.valueType = valueType
        self.scale = scale
        self.offset = offset
        self.calibration = calibration
        self.decimals = decimals
        self.mask = mask
    }

    /// Whether the value goes through the floating-point conversion (scale, offset, calibration, resolution).
    public var converts: Bool { scale != nil || offset != nil || calibration != nil || decimals != nil }
}

/// A calibration applied after scale and offset.
public enum MAVLinkCalibration: Sendable, Hashable {
    /// `c0 + c1·x + c2·x² + …`.
    case polynomial([Double])
    /// The straight line through two (measured, true) points.
    case twoPoint(x1: Double, y1: Double, x2: Double, y2: Double)

    /// The calibration as polynomial coefficients (a two-point line is `[intercept, slope]`).
    public var coefficients: [Double] {
        switch self {
        case .polynomial(let c): return c
        case .twoPoint(let x1, let y1, let x2, let y2):
            let slope = (y2 - y1) / (x2 - x1)
            return [y1 - slope * x1, slope]
        }
    }
}

/// The value types a profile may name (`type = "state"`), as the store spells them.
public enum StoreValueTypeName: String, Sendable, Hashable, CaseIterable {
    case float64, float32, int64, bool, state, string
}

/// `[flight]` of a vehicle profile: what the daemon needs to summarise a live flight as a researcher would.
public struct FlightProfile: Sendable, Hashable {
    /// `swath_width`: spray or work width (m) for the covered area; nil computes no area.
    public var swathWidth: Double?
    /// `flows`: flow-rate fields integrated into totals (`NAME=MESSAGE.FIELD*SCALE`).
    public var flows: [FlightFlowChannel] = []
    /// `area_while_spraying`: count the covered area only while a flow is above 0.
    public var areaWhileSpraying = false

    public init() {}

    /// The summarizer options these settings give.
    public var summaryOptions: FlightSummaryOptions {
        FlightSummaryOptions(
            swathWidthMeters: swathWidth, areaOnlyWhileSpraying: areaWhileSpraying && !flows.isEmpty, flowChannels: flows)
    }
}
