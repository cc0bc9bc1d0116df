import ArgumentParser
import Foundation
import FurrowWire

/// `furrow sensors-check`: runs the sensor-side wire codecs on JSON-lines requests, for the Python cross-checks.
///
/// One JSON object per input line with an `op` (crc16-modbus, sdi12-crc, modbus-request, modbus-response,
/// cmac, lorawan-open, register); one JSON object per output line with the result or `error` (the error's
/// stable code). Hex strings carry bytes. Batch form so thousands of random cases cost one process.
struct SensorsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensors-check",
        abstract: "Run SDI-12, Modbus RTU and LoRaWAN codecs on JSON-lines requests (cross-check harness).",
        shouldDisplay: false
    )

    func run() throws {
        while let text = readLine(strippingNewline: true) {
            if text.isEmpty { continue }
            var reply: [String: Any]
            do {
                guard let request = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                    throw ValidationError("each line must be a JSON object")
                }
                reply = try Self.handle(request)
            } catch let error as ModbusError {
                reply = ["error": error.code.rawValue, "exception": error.exception.map { Int($0.rawValue) } ?? NSNull()]
            } catch let error as LoRaWANError {
                reply = ["error": error.code.rawValue]
            } catch let error as SDI12Error {
                reply = ["error": error.code.rawValue]
            } catch {
                reply = ["error": "request: \(error)"]
            }
            let data = try JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    static func handle(_ r: [String: Any]) throws -> [String: Any] {
        func string(_ key: String) throws -> String {
            guard let s = r[key] as? String else { throw ValidationError("missing string \(key)") }
            return s
        }
        func int(_ key: String) throws -> Int {
            guard let n = r[key] as? Int else { throw ValidationError("missing integer \(key)") }
            return n
        }
        func bytes(_ key: String) throws -> [UInt8] { try hex(string(key)) }
        switch try string("op") {
        case "crc16-modbus":
            return ["value": Int(CRC16Modbus.checksum(try bytes("hex")))]
        case "sdi12-crc":
            let body = Array(try string("text").utf8)
            let crc = SDI12CRC.checksum(body)
            return ["value": Int(crc), "chars": String(decoding: SDI12CRC.encode(crc), as: UTF8.self)]
        case "modbus-request":
            return ["hex": hexString(try modbusRequest(r).frame())]
        case "modbus-response":
            switch try ModbusResponse.parse(try bytes("hex"), for: try modbusRequest(r)) {
            case .registers(let registers): return ["registers": registers.map { Int($0) }]
            case .wroteSingleRegister(let address, let value): return ["address": Int(address), "value": Int(value)]
            case .wroteMultipleRegisters(let address, let count): return ["address": Int(address), "count": count]
            }
        case "cmac":
            let mac = try AESCMAC(key: LoRaWANKey(bytes: try bytes("key"))).mac(try bytes("hex"))
            return ["hex": hexString(mac)]
        case "lorawan-open":
            guard case .data(let frame) = try LoRaWANFrame.parse(try bytes("hex")) else {
                return ["error": "not-data"]
            }
            let last = (r["last"] as? Int).map { UInt32(truncatingIfNeeded: $0) }
            let uplink = try frame.open(nwkSKey: LoRaWANKey(bytes: try bytes("nwk")), appSKey: LoRaWANKey(bytes: try bytes("app")), lastCounter: last)
            return ["counter": Int(uplink.counter), "fport": uplink.fPort.map { Int($0) } ?? NSNull(), "payload": hexString(uplink.payload),
                    "devaddr": Int(uplink.devAddr)]
        case "register":
            guard let type = ModbusValueType(rawValue: try string("type")), let order = ModbusWordOrder(rawValue: try string("order")) else {
                throw ValidationError("unknown type or order")
            }
            let raw = try bytes("hex")
            let registers = stride(from: 0, to: raw.count - 1, by: 2).map { UInt16(raw[$0]) << 8 | UInt16(raw[$0 + 1]) }
            return ["value": try ModbusRegisterField(index: 0, type: type, order: order).raw(from: registers)]
        default:
            throw ValidationError("unknown op")
        }
    }

    static func modbusRequest(_ r: [String: Any]) throws -> ModbusRequest {
        guard let slave = r["slave"] as? Int, let fc = r["fc"] as? Int, let address = r["address"] as? Int,
              let slaveByte = UInt8(exactly: slave), let address16 = UInt16(exactly: address)
        else { throw ValidationError("modbus request needs slave, fc, address") }
        let count = r["count"] as? Int ?? 0
        let values = (r["values"] as? [Int] ?? []).map { UInt16(truncatingIfNeeded: $0) }
        let function: ModbusRequest.Function
        switch fc {
        case 3: function = .readHoldingRegisters(address: address16, count: count)
        case 4: function = .readInputRegisters(address: address16, count: count)
        case 6: function = .writeSingleRegister(address: address16, value: values.first ?? 0)
        case 16: function = .writeMultipleRegisters(address: address16, values: values)
        default: throw ValidationError("function \(fc) not supported")
        }
        return ModbusRequest(slave: slaveByte, function: function)
    }

    static func hex(_ text: String) throws -> [UInt8] {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { throw ValidationError("odd hex length") }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let byte = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else {
                throw ValidationError("bad hex")
            }
            out.append(byte)
            i += 2
        }
        return out
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
