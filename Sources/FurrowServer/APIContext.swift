import Hummingbird
import Logging

/// Who is calling: nobody yet, the server's operator, or a project's token.
public enum Principal: Sendable {
    case anonymous
    case `operator`
    case token(TokenRecord)
}

/// The request context of the API: Hummingbird's core storage plus the authenticated principal.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal = .anonymous
    /// Set by the authentication middleware from the server's limits.
    public var maxUploadSize: Int = 1 << 20

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }
}
