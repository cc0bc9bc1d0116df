import FurrowWire

/// Simulated Modbus RTU slaves on one bus: a 7-in-1 soil probe (holding registers 0…6) or a flow meter
/// (input registers 0…5, float32 CDAB rate and total, uint32 litres), answering FC 03, 04, 06 and 16.
///
/// Pure: a request frame in, a response frame out (nil when the frame is not for it or is damaged, as on a
/// real bus). Registers outside the map answer exception 02 (illegal data address); writes land in a
/// holding-register overlay (so `furrow sensors modbus-write` can be tried against it).
public struct ModbusSlaveSimulator: Sendable {
    public enum Model: String, Sendable, CaseIterable {
        case soil
        case flow
    }

    public let unit: UInt8
    public let model: Model
    var written: [UInt16: UInt16] = [:]
    /// Litres delivered so far (the flow meter's totaliser).
    var totalLitres: Double = 0
    var lastTime: Double?

    public init(unit: UInt8, model: Model) {
        self.unit = unit
        self.model = model
    }

    /// The register table at simulated `time`.
    public mutating func registers(table: ModbusRegisterAddress.Table, at time: Double, soil: SimulatedSoil) -> [UInt16] {
        switch (model, table) {
        case (.soil, .holding):
            let base: [UInt16] = [
                UInt16(clamping: Int((1000 * soil.moisture(at: time, depth: 20)).rounded())),
                UInt16(bitPattern: Int16(clamping: Int((10 * soil.temperature(at: time, depth: 20)).rounded()))),
                UInt16(clamping: Int(soil.conductivity(at: time, depth: 20))),
                65, 42, 18, 120,
            ]
            return base.enumerated().map { written[UInt16($0.offset)] ?? $0.element }
        case (.flow, .input):
            let rate = soil.isIrrigating(at: time) ? 12.5 : 0  // m³/h
            if let lastTime, time > lastTime { totalLitres += rate * 1000 * (time - lastTime) / 3600 }
            lastTime = time
            let total = Float(totalLitres / 1000)
            let litres = UInt32(clamping: Int(totalLitres.rounded(.down)))
            func cdab(_ v: UInt32) -> [UInt16] { [UInt16(truncatingIfNeeded: v), UInt16(truncatingIfNeeded: v >> 16)] }
            return cdab(Float(rate).bitPattern) + cdab(total.bitPattern) + cdab(litres)
        case (.flow, .holding):
            return [written[0] ?? UInt16(unit), written[1] ?? 3]  // address and baud code, writable
        default:
            return []
        }
    }

    /// The answer to one complete request frame (CRC checked), or nil when it is not for this unit.
    public mutating func respond(to frame: [UInt8], at time: Double, soil: SimulatedSoil) -> [UInt8]? {
        guard frame.count >= 8, CRC16Modbus.isValid(frame: frame), frame[0] == unit else { return nil }
        let function = frame[1]
        func word(_ i: Int) -> UInt16 { UInt16(frame[i]) << 8 | UInt16(frame[i + 1]) }
        func exception(_ code: UInt8) -> [UInt8] { CRC16Modbus.appending(to: [unit, function | 0x80, code]) }
        switch function {
        case 0x03, 0x04:
            let table: ModbusRegisterAddress.Table = function == 0x03 ? .holding : .input
            let start = Int(word(2))
            let count = Int(word(4))
            guard (1...125).contains(count) else { return exception(0x03) }
            let bank = registers(table: table, at: time, soil: soil)
            guard start + count <= bank.count else { return exception(0x02) }
            var out: [UInt8] = [unit, function, UInt8(2 * count)]
            for r in bank[start..<(start + count)] { out += [UInt8(r >> 8), UInt8(truncatingIfNeeded: r)] }
            return CRC16Modbus.appending(to: out)
        case 0x06:
            written[word(2)] = word(4)
            return Array(frame.prefix(8))
        case 0x10:
            let start = word(2)
            let count = Int(word(4))
            guard frame.count == 9 + 2 * count, Int(frame[6]) == 2 * count else { return exception(0x03) }
            for k in 0..<count { written[start &+ UInt16(k)] = word(7 + 2 * k) }
            return CRC16Modbus.appending(to: Array(frame.prefix(6)))
        default:
            return exception(0x01)
        }
    }

    /// The length of the request frame starting `bytes`, once enough is in to tell (nil: need more).
    public static func requestLength(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= 2 else { return nil }
        let function = bytes[bytes.startIndex + 1]
        if function == 0x10 {
            guard bytes.count >= 7 else { return nil }
            return 9 + Int(bytes[bytes.startIndex + 6])
        }
        return 8
    }
}
