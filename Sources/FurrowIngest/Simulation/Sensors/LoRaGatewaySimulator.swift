import Foundation
import FurrowWire

/// A simulated LoRa gateway running the Semtech packet forwarder: sends PUSH_DATA datagrams with the
/// encrypted uplinks of simulated Dragino LSE01 soil sensors (one every `uplinkInterval` each, values from
/// a `SimulatedSoil`) and a `stat` object every tenth datagram.
public struct LoRaGatewaySimulator: Sendable {
    /// A simulated device: its ABP session.
    public struct Device: Sendable {
        public let devEUI: LoRaWANEUI
        public let builder: LoRaWANUplinkBuilder
        public let depth: Double

        public init(devEUI: LoRaWANEUI, builder: LoRaWANUplinkBuilder, depth: Double) {
            self.devEUI = devEUI
            self.builder = builder
            self.depth = depth
        }
    }

    public let gateway: LoRaWANEUI
    public let devices: [Device]
    public let soil: SimulatedSoil

    public init(gateway: LoRaWANEUI, devices: [Device], soil: SimulatedSoil) {
        self.gateway = gateway
        self.devices = devices
        self.soil = soil
    }

    /// The default sessions of `furrow simulate sensors --lorawan` (also in Hardware/furrow.example.toml):
    /// DevAddr 26011001…, DevEUI 70B3D57ED0001001…, fixed test keys.
    public static func defaultDevices(count: Int) throws(LoRaWANError) -> [Device] {
        let nwk = try LoRaWANKey(hex: "2B7E151628AED2A6ABF7158809CF4F3C")
        let app = try LoRaWANKey(hex: "000102030405060708090A0B0C0D0E0F")
        return (0..<count).map { i in
            Device(
                devEUI: LoRaWANEUI(0x70B3_D57E_D000_1001 + UInt64(i)),
                builder: LoRaWANUplinkBuilder(devAddr: 0x2601_1001 + UInt32(i), nwkSKey: nwk, appSKey: app),
                depth: 10 + 10 * Double(i % 5))
        }
    }

    /// The PUSH_DATA datagram carrying `device`'s uplink number `counter` at simulated `time`.
    public func pushData(device: Device, counter: UInt32, time: Double, token: UInt16, withStat: Bool) throws(LoRaWANError) -> [UInt8] {
        let payload = LoRaWANUplinkBuilder.lse01Payload(
            batteryVolts: 3.6 - Double(counter % 100) * 0.001, probeTemperature: soil.temperature(at: time, depth: 0),
            moisture: 100 * soil.moisture(at: time, depth: device.depth), soilTemperature: soil.temperature(at: time, depth: device.depth),
            conductivity: Int(soil.conductivity(at: time, depth: device.depth)))
        let phy = try device.builder.frame(counter: counter, fPort: 2, payload: payload)
        let iso = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: time))
        var json = """
            {"rxpk":[{"time":"\(iso)","tmst":\(UInt32(truncatingIfNeeded: Int(time * 1_000_000))),"chan":2,"rfch":0,\
            "freq":868.500000,"stat":1,"modu":"LORA","datr":"SF7BW125","codr":"4/5","lsnr":7.5,"rssi":-\(60 + counter % 40),\
            "size":\(phy.count),"data":"\(Data(phy).base64EncodedString())"}]
            """
        if withStat {
            json += """
                ,"stat":{"time":"\(iso)","lati":41.65,"long":-0.88,"alti":210,"rxnb":\(counter + 1),"rxok":\(counter + 1),\
                "rxfw":\(counter + 1),"ackr":100.0,"dwnb":0,"txnb":0}
                """
        }
        json += "}"
        return SemtechPacket(token: token, body: .pushData(gateway: gateway, json: Array(json.utf8))).encoded()
    }
}
