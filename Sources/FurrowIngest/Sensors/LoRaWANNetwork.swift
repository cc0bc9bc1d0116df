import FurrowStore
import FurrowWire

/// The network-server side of one `[[lorawan]]` link, without I/O: packet-forwarder datagrams in,
/// acknowledgements, rows to store and problems out.
///
/// Checks each uplink's radio CRC, finds its device by DevAddr, folds copies from several gateways,
/// verifies the MIC with the reconstructed 32-bit frame counter, refuses replayed and old counters (16-bit
/// rollover is handled: 65535 → 0 is the next frame), decrypts with the AppSKey and decodes with the
/// profile's decoder. Gateway `stat` objects become rows of the gateway's own source.
struct LoRaWANNetwork: Sendable {
    /// A row to append.
    struct Row: Sendable {
        let source: String
        let group: String
        let channels: [StoreChannel]
        let values: [Double]
        let timestamp: Int64
    }

    /// A problem to count (on `metrics`) and log (throttled by `key`).
    struct Problem: Sendable {
        let metrics: SensorMetrics
        let kind: SensorMetrics.Kind
        let message: String
    }

    struct Device: Sendable {
        let configuration: DaemonConfiguration.LoRaWANLink.Device
        let decoder: SensorProfile.LoRaWANDecoder
        let layout: SensorReadingLayout
        let metrics: SensorMetrics
        var lastCounter: UInt32?
        var lastTimestamp: Int64?
    }

    /// Gateways whose statistics a link stores (each is a source).
    static let maximumGateways = 256

    static let extraChannels: [(String, String?)] = [("rssi", "dBm"), ("snr", "dB"), ("gateways", nil), ("fcnt", nil)]
    static let statChannels: [StoreChannel] = ([
        ("rxnb", nil), ("rxok", nil), ("rxfw", nil), ("ackr", "%"), ("dwnb", nil), ("txnb", nil), ("lati", "deg"),
        ("long", "deg"), ("alti", "m"),
    ] as [(String, String?)]).map { StoreChannel(name: $0.0, valueType: .float64, unit: $0.1) }

    let link: String
    /// Counters of what cannot be pinned on a device (bad JSON, unknown DevAddr): source `lorawan-<link>`.
    let linkMetrics: SensorMetrics
    var devices: [UInt32: Device]
    var deduplicator: LoRaWANDeduplicator
    var gatewayTimestamps: [LoRaWANEUI: Int64] = [:]
    /// The wall clock (µs) at monotonic time zero: uplink times come from the de-duplicator's monotonic ones.
    let wallAtZero: Int64

    init(
        link: DaemonConfiguration.LoRaWANLink, profiles: [String: SensorProfile], wallAtZero: Int64
    ) {
        self.link = link.name
        linkMetrics = SensorMetrics(source: "lorawan-\(link.name)")
        var devices: [UInt32: Device] = [:]
        for device in link.devices {
            guard let profile = profiles[device.profile], let decoder = profile.lorawanDecoder else { continue }
            devices[device.devAddr] = Device(
                configuration: device, decoder: decoder, layout: profile.storeLayout(extra: Self.extraChannels),
                metrics: SensorMetrics(source: device.source))
        }
        self.devices = devices
        // Copies from slow backhauls arrive within a second or so; a copy later than that is a replay for the
        // frame-counter check to refuse (and count), not a late copy to drop silently.
        deduplicator = LoRaWANDeduplicator(
            window: link.deduplicationWindow, lateWindow: Swift.max(.seconds(1), link.deduplicationWindow * 5))
        self.wallAtZero = wallAtZero
    }

    /// Handles one datagram received at monotonic `now` (wall clock `wall`): returns the acknowledgement to
    /// send back, gateway rows, and problems.
    mutating func receive(_ datagram: [UInt8], now: Duration, wall: Int64) -> (ack: [UInt8]?, rows: [Row], problems: [Problem]) {
        let packet: SemtechPacket
        do {
            packet = try SemtechPacket.parse(datagram)
        } catch {
            return (nil, [], [Problem(metrics: linkMetrics, kind: .frame, message: "LoRaWAN \(link): \(error)")])
        }
        let ack = packet.acknowledgement?.encoded()
        guard case .pushData(let gateway, let json) = packet.body else { return (ack, [], []) }
        let push: SemtechPushData
        do {
            push = try SemtechPushData.decode(json: json)
        } catch {
            return (ack, [], [Problem(metrics: linkMetrics, kind: .badJSON, message: "LoRaWAN \(link): gateway \(gateway): \(error)")])
        }
        var rows: [Row] = []
        var problems: [Problem] = []
        if let stat = push.stat, gatewayTimestamps[gateway] == nil && gatewayTimestamps.count >= Self.maximumGateways {
            // Every gateway is a source in the store: a flood of made-up EUIs must not create thousands.
            problems.append(
                Problem(
                    metrics: linkMetrics, kind: .frame,
                    message: "LoRaWAN \(link): stat from gateway \(gateway) dropped: already \(Self.maximumGateways) gateways on this link (rxnb \(stat.rxnb ?? 0))"))
        } else if let stat = push.stat {
            let last = gatewayTimestamps[gateway]
            let timestamp = Swift.max(wall, (last ?? .min) &+ 1)
            gatewayTimestamps[gateway] = timestamp
            let values = [
                stat.rxnb.map(Double.init), stat.rxok.map(Double.init), stat.rxfw.map(Double.init), stat.ackr,
                stat.dwnb.map(Double.init), stat.txnb.map(Double.init), stat.lati, stat.long, stat.alti,
            ].map { $0 ?? .nan }
            rows.append(
                Row(source: "lorawan-gw-\(gateway.description.lowercased())", group: "stat", channels: Self.statChannels,
                    values: values, timestamp: timestamp))
        }
        for rx in push.rxpk {
            guard rx.crcOK else { continue }  // radio noise: the gateway says so itself
            let frame: LoRaWANFrame
            do {
                frame = try LoRaWANFrame.parse(rx.data)
            } catch {
                problems.append(Problem(metrics: linkMetrics, kind: .frame, message: "LoRaWAN \(link): gateway \(gateway): \(error)"))
                continue
            }
            guard case .data(let data) = frame, data.isUplink else { continue }  // joins: ABP devices only
            guard devices[data.devAddr] != nil else {
                problems.append(
                    Problem(
                        metrics: linkMetrics, kind: .unknownDevAddr,
                        message: "LoRaWAN \(link): uplink from unknown DevAddr \(Self.hex(data.devAddr)) (not in [[lorawan.devices]])"))
                continue
            }
            _ = deduplicator.offer(LoRaWANReception(gateway: gateway, frame: data, rssi: rx.rssi, snr: rx.lsnr ?? 0), at: now)
        }
        return (ack, rows, problems)
    }

    /// Uplinks whose de-duplication window closed by `now`: verified, decrypted, decoded rows.
    mutating func drain(now: Duration) -> (rows: [Row], problems: [Problem]) {
        var rows: [Row] = []
        var problems: [Problem] = []
        for uplink in deduplicator.drain(now: now) {
            let frame = uplink.best.frame
            guard var device = devices[frame.devAddr] else { continue }
            let last = device.lastCounter
            let counter = LoRaWANFrameCounter.reconstruct(frame.fCnt, last: last)
            if device.configuration.checksFrameCounter, let last,
                counter == last || !LoRaWANFrameCounter.isPlausible(counter, after: last)
            {
                problems.append(
                    Problem(
                        metrics: device.metrics, kind: .replay,
                        message: "LoRaWAN \(device.configuration.source): FCnt \(frame.fCnt) refused after \(last) (a replay, or the device was reset: re-activate it)"))
                continue
            }
            let opened: LoRaWANUplink
            do {
                opened = try frame.open(nwkSKey: device.configuration.nwkSKey, appSKey: device.configuration.appSKey, lastCounter: last)
            } catch {
                problems.append(Problem(metrics: device.metrics, kind: .mic, message: "LoRaWAN \(device.configuration.source): \(error)"))
                continue
            }
            device.lastCounter = opened.counter
            let wall = wallAtZero + uplink.firstSeen.microseconds
            let timestamp = Swift.max(wall, (device.lastTimestamp ?? .min) &+ 1)
            defer { devices[frame.devAddr] = device }
            guard let port = opened.fPort, port != 0 else { continue }  // MAC commands only
            let fields: [String: Double]
            do {
                fields = try device.decoder.fields(opened.payload, fPort: port)
            } catch {
                problems.append(Problem(metrics: device.metrics, kind: .decode, message: "LoRaWAN \(device.configuration.source): \(error)"))
                continue
            }
            device.lastTimestamp = timestamp
            let raw = device.layout.channels.map { channel -> Double in
                guard case .decoderField(let name) = channel.origin else { return .nan }
                return fields[name] ?? .nan
            }
            let extra = [uplink.best.rssi, uplink.best.snr, Double(uplink.gatewayCount), Double(opened.counter)]
            device.metrics.reading()
            rows.append(
                Row(source: device.configuration.source, group: SensorReadingWriter.group, channels: device.layout.storeChannels,
                    values: device.layout.row(raw: raw, extra: extra), timestamp: timestamp))
        }
        return (rows, problems)
    }

    /// Sets a device's last accepted frame counter (from the store at start, so a restart opens no replay window).
    mutating func resume(devAddr: UInt32, counter: UInt32) {
        devices[devAddr]?.lastCounter = counter
    }

    /// When `drain` has work next.
    var nextDeadline: Duration? { deduplicator.nextDeadline }

    static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}
