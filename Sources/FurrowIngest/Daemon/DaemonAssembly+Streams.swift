import Logging
import NIOCore

extension DaemonAssembly {
    /// Serial and TCP links (their transports arrive with the serial branch).
    func streamLinks(group: any EventLoopGroup, logger: Logger, status: DaemonStatus) throws -> [IngestLink] {
        if let link = configuration.serial.first ?? nil {
            throw ConfigurationError(code: .invalidValue, file: configuration.file ?? "<defaults>", line: nil, column: nil,
                                     reason: "serial link \(link.name): serial transport not built yet")
        }
        return []
    }
}
