import Foundation
import FurrowWire

/// One simulated SDI-12 sensor: answers `a!`, `?!`, `aI!`, `aM!`/`aMC!`/`aMn!`, `aC!`/`aCC!`, `aV!` and
/// `aD0!`…`aD9!` like a real probe, with values from a `SimulatedSoil`.
///
/// Pure: commands in, timed responses out (the bus simulator does the I/O). Values are formatted as the
/// probe would send them (sign, fixed decimals) and split over D0, D1… at 35 characters (75 after C).
public struct SDI12SensorSimulator: Sendable {
    /// Which probe it imitates.
    public enum Model: String, Sendable, CaseIterable {
        /// TEROS 12-class: raw VWC counts, temperature, bulk EC.
        case teros12
        /// Six-depth profile probe: moisture % at 10…60 cm, then temperature at the same depths.
        case profile
    }

    /// A response and how long after the command it goes out.
    public struct Response: Sendable, Hashable {
        public let delay: Duration
        public let bytes: [UInt8]
    }

    public let address: UInt8
    public let model: Model
    /// `ttt` of the measurement reply.
    public let seconds: Int
    /// Every n-th data response with a CRC goes out with a wrong CRC character (line noise); 0 never.
    public let corruptEvery: Int
    var pending: [String] = []
    var crc = false
    var crcResponses = 0

    public init(address: UInt8, model: Model, seconds: Int = 1, corruptEvery: Int = 0) {
        self.address = address
        self.model = model
        self.seconds = seconds
        self.corruptEvery = corruptEvery
    }

    /// The values of a measurement at simulated `time`, formatted as the probe sends them.
    public func values(at time: Double, soil: SimulatedSoil) -> [String] {
        func format(_ v: Double, _ decimals: Int) -> String {
            let text = String(format: "%.\(decimals)f", abs(v))
            return (v < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "+") + text
        }
        switch model {
        case .teros12:
            let theta = soil.moisture(at: time, depth: 15)
            let raw = (theta + 0.6956) / 3.879e-4
            return [format(raw, 2), format(soil.temperature(at: time, depth: 15), 1), format(soil.conductivity(at: time, depth: 15), 0)]
        case .profile:
            let depths: [Double] = [10, 20, 30, 40, 50, 60]
            return depths.map { format(100 * soil.moisture(at: time, depth: $0), 1) }
                + depths.map { format(soil.temperature(at: time, depth: $0), 1) }
        }
    }

    /// Answers one command (its characters up to and including `!`); `measure` gives the values of a new
    /// measurement. Commands for other addresses get no answer.
    public mutating func respond(to command: [UInt8], measure: () -> [String]) -> [Response] {
        guard let first = command.first, command.last == UInt8(ascii: "!") else { return [] }
        let body = Array(command.dropFirst().dropLast())
        if first == UInt8(ascii: "?") && body.isEmpty { return [line([address])] }
        guard first == address else { return [] }
        let text = String(decoding: body, as: UTF8.self)
        switch text {
        case "":
            return [line([address])]
        case "I":
            let identity = model == .teros12 ? "14METER   TER12 322" : "14SIMPROBEPRB6  100"
            return [line([address] + Array("\(identity)SIM\(Character(Unicode.Scalar(address)))".utf8))]
        case "M", "MC", "V", "C", "CC":
            pending = text == "V" ? ["+0"] : measure()
            crc = text.hasSuffix("C") && text.count == 2
            let concurrent = text.hasPrefix("C")
            let count = String(pending.count)
            let ttt = String(format: "%03d", seconds)
            let n = concurrent ? String(repeating: "0", count: 2 - count.count) + count : count
            var responses = [line([address] + Array((ttt + n).utf8))]
            if !concurrent && seconds > 0 {
                responses.append(Response(delay: .seconds(seconds), bytes: [address, 0x0D, 0x0A]))
            }
            return responses
        default:
            guard text.count == 2, text.hasPrefix("D"), let index = Int(text.dropFirst()) else { return [] }
            let chunks = Self.split(pending, limit: 35)
            let values = index < chunks.count ? chunks[index] : ""
            var out = [address] + Array(values.utf8)
            if crc {
                out = SDI12CRC.appending(to: out)
                crcResponses += 1
                if corruptEvery > 0 && crcResponses % corruptEvery == 0, let last = out.indices.last {
                    out[last] = 0x40 | ((out[last] &+ 1) & 0x3F)
                }
            }
            return [line(out)]
        }
    }

    func line(_ bytes: [UInt8]) -> Response {
        Response(delay: .milliseconds(10), bytes: bytes + [0x0D, 0x0A])
    }

    /// Values grouped into D-responses of at most `limit` characters.
    static func split(_ values: [String], limit: Int) -> [String] {
        var chunks: [String] = []
        var current = ""
        for value in values {
            if !current.isEmpty && current.count + value.count > limit {
                chunks.append(current)
                current = ""
            }
            current += value
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}
