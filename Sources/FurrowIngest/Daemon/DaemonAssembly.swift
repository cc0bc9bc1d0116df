import Foundation
import FurrowStore
import FurrowWire
import Logging
import NIOCore

/// Builds the daemon's parts from its configuration: links, device-profile mappers, how senders are named.
public struct DaemonAssembly: Sendable {
    public let configuration: DaemonConfiguration
    public let catalog: DeviceProfileCatalog
    /// One mapper per profile in use, built (and checked against the dialect) once at start.
    public let mappers: [String: MAVLinkMapper]

    /// Loads the profiles the configuration names and checks that everything it refers to exists; every
    /// problem is a `ConfigurationError` that names the file and line.
    public init(configuration: DaemonConfiguration) throws(ConfigurationError) {
        let catalog = try DeviceProfileCatalog(directories: configuration.profileDirectories)
        try configuration.validate(against: catalog)
        var mappers: [String: MAVLinkMapper] = [:]
        for name in catalog.names {
            guard let profile = catalog[name], profile.mavlink != nil else { continue }
            mappers[name] = try MAVLinkMapper(profile: profile)
        }
        self.configuration = configuration
        self.catalog = catalog
        self.mappers = mappers
    }

    /// The store and pipeline settings.
    public var settings: IngestService.Settings {
        var settings = IngestService.Settings(databasePath: configuration.store.path)
        settings.flushInterval = .milliseconds(Swift.max(configuration.store.flushIntervalMilliseconds, 10))
        settings.chunkRows = configuration.store.chunkRows
        settings.checkpointInterval = .milliseconds(configuration.store.checkpointIntervalMilliseconds)
        settings.checkpointRows = configuration.store.checkpointRows
        settings.queueBytes = configuration.queueBytes
        settings.archives = configuration.archive.enabled
        settings.retentionDays = configuration.store.retentionDays
        settings.archiveRetentionDays = configuration.archive.retentionDays
        settings.forward = configuration.forwards.map {
            ForwardTarget(name: $0.name, host: $0.to.host, port: $0.to.port, links: $0.links.map(Set.init))
        }
        return settings
    }

    /// Every configured link with its transport.
    public func links(group: any EventLoopGroup, logger: Logger) throws -> [IngestLink] {
        var links: [IngestLink] = []
        for udp in configuration.udp {
            links.append(
                IngestLink(
                    binding: LinkBinding(name: udp.name, project: configuration.project(forLink: udp.name), isDatagram: true),
                    endpoint: .udp(host: udp.listen.host, port: udp.listen.port)))
        }
        links += try streamLinks(group: group, logger: logger)
        return links
    }

    /// How a sender on a link is stored: the first `[[source]]` rule that matches, else `<link>-<sysid>-<compid>`
    /// with the link's profile.
    public var resolver: @Sendable (String, MAVLinkSourceID, String?) -> SourceBinding {
        let configuration = self.configuration
        let mappers = self.mappers
        let catalog = self.catalog
        return { link, sender, peer in
            let resolved = configuration.source(
                link: link, systemID: sender.systemID, componentID: sender.componentID, peer: peer)
            // validate(against:) checked every named profile exists; a profile without a MAVLink mapping maps nothing.
            let mapper = mappers[resolved.profile] ?? mappers[DaemonConfiguration.defaultProfile]!
            let flight = catalog[resolved.profile]?.flight ?? FlightProfile()
            return SourceBinding(name: resolved.name, project: resolved.project, mapper: mapper, flight: flight)
        }
    }
}
