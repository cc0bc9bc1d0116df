/// Writing to a stream link that is not connected now.
public struct StreamLinkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The link's name in the configuration.
    public var link: String
    /// What the link opens (device path or `host:port`).
    public var endpoint: String

    public init(link: String, endpoint: String) {
        self.link = link
        self.endpoint = endpoint
    }

    public var description: String {
        "link \(link) (\(endpoint)) is not connected; the bytes were not sent"
    }
}
