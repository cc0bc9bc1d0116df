import FurrowStore
import FurrowWire
import Logging
import NIOCore

extension DaemonAssembly {
    /// The sensor sources of the configuration, writing into `store`.
    ///
    /// - Throws: `ConfigurationError` for serial settings the port layer refuses (validated earlier, so rare).
    public func sensorService(
        store: TimeSeriesStore, group: any EventLoopGroup, status: DaemonStatus? = nil, logger: Logger
    ) throws(ConfigurationError) -> SensorService {
        let configuration = self.configuration
        var profiles: [String: SensorProfile] = [:]
        for name in catalog.names {
            if let sensor = catalog[name]?.sensor { profiles[name] = sensor }
        }
        func settings(_ name: String, _ device: String, _ baud: Int, _ framing: SerialFraming) throws(ConfigurationError) -> SerialPortSettings {
            do {
                return try SerialPortSettings(device: device, baudRate: baud, framing: framing.description)
            } catch {
                throw ConfigurationError(code: .invalidValue, file: configuration.file ?? "<defaults>", reason: "\(name): \(error)")
            }
        }
        let flushList = SensorFlushList()
        var recorders: [SDI12Recorder] = []
        for bus in configuration.sdi12 {
            let writer = SensorReadingWriter(store: store, project: bus.project ?? configuration.project, flushList: flushList)
            var sensors: [SDI12Recorder.Sensor] = []
            for sensor in bus.sensors {
                guard let profile = profiles[sensor.profile], let ascii = sensor.address.asciiValue,
                    let address = try? SDI12Address(ascii: ascii)
                else { continue }
                sensors.append(SDI12Recorder.Sensor(address: address, source: sensor.source, interval: sensor.interval, profile: profile))
            }
            var recorder = SDI12Recorder(
                bus: bus.name, settings: try settings(bus.name, bus.device, bus.baud, bus.framing),
                session: .init(responseTimeout: bus.responseTimeout, retries: bus.retries), sensors: sensors,
                writer: writer, logger: logger)
            recorder.status = status
            recorders.append(recorder)
        }
        var pollers: [ModbusPoller] = []
        for bus in configuration.modbus {
            let writer = SensorReadingWriter(store: store, project: bus.project ?? configuration.project, flushList: flushList)
            let slaves = bus.slaves.compactMap { slave in
                profiles[slave.profile].map { ModbusPoller.Slave(unit: slave.unit, source: slave.source, interval: slave.interval, profile: $0) }
            }
            var poller = ModbusPoller(
                bus: bus.name, settings: try settings(bus.name, bus.device, bus.baud, bus.framing),
                responseTimeout: bus.responseTimeout, retries: bus.retries, slaves: slaves, writer: writer, logger: logger)
            poller.status = status
            pollers.append(poller)
        }
        let listeners = configuration.lorawan.map { link in
            var listener = LoRaWANListener(
                link: link, profiles: profiles,
                writer: SensorReadingWriter(store: store, project: link.project ?? configuration.project, flushList: flushList), group: group,
                logger: logger)
            listener.status = status
            return listener
        }
        return SensorService(
            recorders: recorders, pollers: pollers, listeners: listeners, store: store, flushList: flushList,
            flushInterval: .milliseconds(Swift.max(configuration.store.flushIntervalMilliseconds, 10)), logger: logger)
    }
}
