/// A log field holding a flow rate (sprayer, pump) that the summarizer integrates into a total.
///
/// Real ArduPilot and PX4 logs carry no standard flow field, so the caller names the message and field:
/// `FlightFlowChannel(name: "spray", message: "RCOU", field: "C9", scale: 1)` for a .bin; the MAVLink
/// message name for a .tlog; the ULog topic for a .ulg. The integral is trapezoidal over seconds, after
/// `value × scale` (for example litres per minute → `scale: 1/60` gives litres).
public struct FlightFlowChannel: Sendable, Codable, Hashable {
    /// Name in the summary (`spray`).
    public var name: String
    /// Message (DataFlash name, MAVLink name, ULog topic).
    public var message: String
    /// Field within the message.
    public var field: String
    /// Multiplier applied to the value before integrating.
    public var scale: Double
    /// Unit of the total, for display (`L`).
    public var unit: String
    /// Whether a value above `sprayingThreshold` means "spraying" (for the sprayed-area option).
    public var marksSpraying: Bool
    /// Scaled value above which the sprayer counts as on.
    public var sprayingThreshold: Double

    /// A channel: `value × scale` integrated over seconds into a total in `unit`.
    public init(
        name: String, message: String, field: String, scale: Double = 1, unit: String = "", marksSpraying: Bool = false,
        sprayingThreshold: Double = 0
    ) {
        self.name = name
        self.message = message
        self.field = field
        self.scale = scale
        self.unit = unit
        self.marksSpraying = marksSpraying
        self.sprayingThreshold = sprayingThreshold
    }
}

extension FlightFlowChannel {
    /// Why a flow specification was refused.
    public struct SpecificationError: Error, Sendable, CustomStringConvertible {
        public let specification: String
        public let reason: String
        public var description: String { "\(specification): \(reason)" }
    }

    /// A channel from `NAME=MESSAGE.FIELD[*SCALE]` (`spray=NAMED_VALUE_FLOAT.SPRAY_LPM*0.0166667`,
    /// `spray=RCOU.C9`): what `furrow flight summary --flow` and an upload's `flow=` take.
    public init(specification spec: String, marksSpraying: Bool = false) throws(SpecificationError) {
        guard let eq = spec.firstIndex(of: "="), let dot = spec[eq...].firstIndex(of: ".") else {
            throw SpecificationError(specification: spec, reason: "expected NAME=MESSAGE.FIELD[*SCALE]")
        }
        let name = String(spec[..<eq])
        let message = String(spec[spec.index(after: eq)..<dot])
        var field = String(spec[spec.index(after: dot)...])
        var scale = 1.0
        if let star = field.firstIndex(of: "*") {
            guard let s = Double(field[field.index(after: star)...]), s.isFinite else {
                throw SpecificationError(specification: spec, reason: "the scale is not a number")
            }
            scale = s
            field = String(field[..<star])
        }
        guard !name.isEmpty, !message.isEmpty, !field.isEmpty, name.count <= 64, message.count <= 64, field.count <= 64
        else { throw SpecificationError(specification: spec, reason: "name, message and field must be 1–64 characters") }
        self.init(name: name, message: message, field: field, scale: scale, marksSpraying: marksSpraying)
    }
}
