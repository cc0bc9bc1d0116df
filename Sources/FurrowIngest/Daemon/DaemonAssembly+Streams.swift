import Logging
import NIOCore

extension DaemonAssembly {
    /// Serial and TCP links: their transports run as tasks of the ingest service and reopen on their own.
    func streamLinks(group: any EventLoopGroup, logger: Logger) throws -> [IngestLink] {
        var links: [IngestLink] = []
        for serial in configuration.serial {
            let defaults = catalog[configuration.profile(forLink: serial.name)]?.transport ?? DeviceTransportDefaults()
            let line = serial.lineSettings(defaults: defaults)
            let settings: SerialPortSettings
            do {
                settings = try SerialPortSettings(
                    device: serial.device, baudRate: line.baud, framing: line.framing.description,
                    flowControl: SerialPortSettings.FlowControl(line.flowControl))
            } catch {
                throw ConfigurationError(
                    code: .invalidValue, file: configuration.file ?? "<defaults>", reason: "serial link \(serial.name): \(error)")
            }
            let transport = SerialTransport(link: serial.name, settings: settings, group: group, logger: logger)
            links.append(
                IngestLink(
                    binding: LinkBinding(name: serial.name, project: configuration.project(forLink: serial.name), isDatagram: false),
                    endpoint: .stream(
                        description: "serial \(settings)", status: transport.status,
                        run: { sink in try await transport.run(into: sink) },
                        send: { bytes in try await transport.send(bytes) })))
        }
        for tcp in configuration.tcp {
            let transport = TCPClientTransport(
                link: tcp.name, host: tcp.connect.host, port: tcp.connect.port, group: group, logger: logger)
            links.append(
                IngestLink(
                    binding: LinkBinding(name: tcp.name, project: configuration.project(forLink: tcp.name), isDatagram: false),
                    endpoint: .stream(
                        description: "tcp \(tcp.connect)", status: transport.status,
                        run: { sink in try await transport.run(into: sink) },
                        send: { bytes in try await transport.send(bytes) })))
        }
        return links
    }
}

extension SerialPortSettings.FlowControl {
    init(_ flow: SerialFlowControl) {
        switch flow {
        case .none: self = .none
        case .rtsCts: self = .hardware
        case .xonXoff: self = .software
        }
    }
}
