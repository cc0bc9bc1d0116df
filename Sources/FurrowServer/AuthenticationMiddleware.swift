import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// Turns `Authorization: Bearer …` into a principal for `/v1` routes, applies the per-token rate limit,
/// and records when a token was last used (at most once a minute per token, so reads stay reads).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIContext

    let directory: ProjectDirectory
    let operatorTokenHash: Data?
    let limits: APIServer.Limits
    let limiter: RateLimiter
    let lastRecorded = NIOLockedValueBox<[Int64: Double]>([:])

    /// Routes anyone may call: the API description.
    static let publicPaths: Set<String> = ["/v1/openapi.json"]

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        context.maxUploadSize = limits.maximumBodyBytes
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path == "/v1", !Self.publicPaths.contains(path) else {
            return try await next(request, context)
        }
        do {
            context = try await authenticated(request, context)
        } catch {
            // A refused upload's body is read and dropped (up to a bound), so the client reads the 401/429.
            if request.method == .post || request.method == .put { await UploadFiles.discard(request.body) }
            throw error
        }
        return try await next(request, context)
    }

    /// The context with its principal, or the 401/429 problem.
    func authenticated(_ request: Request, _ context: APIContext) async throws -> APIContext {
        var context = context
        guard let header = request.headers[.authorization], header.prefix(7).lowercased() == "bearer " else {
            throw Self.unauthorized("send a token as Authorization: Bearer <token>")
        }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let key: String
        if let operatorTokenHash, Self.constantTimeEqual(ProjectDirectory.hash(secret), operatorTokenHash) {
            context.principal = .operator
            key = "operator"
        } else if let token = try await authenticate(secret) {
            context.principal = .token(token)
            key = "token-\(token.id)"
            recordUse(token.id)
        } else {
            throw Self.unauthorized("the token is unknown or revoked")
        }
        if let wait = limiter.take(key) {
            var problem = APIProblem(
                .rateLimited, "more than \(limits.requestsPerSecond) requests per second for this token; retry later")
            problem.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            throw problem
        }
        return context
    }

    func authenticate(_ secret: String) async throws -> TokenRecord? {
        try await directory.authenticate(secret)
    }

    func recordUse(_ id: Int64) {
        let now = Date().timeIntervalSince1970
        let due = lastRecorded.withLockedValue { last -> Bool in
            if let previous = last[id], now - previous < 60 { return false }
            last[id] = now
            return true
        }
        guard due else { return }
        let directory = self.directory
        Task { try? await directory.recordUse([id: Int64(now * 1_000_000)]) }
    }

    static func unauthorized(_ detail: String) -> APIProblem {
        var problem = APIProblem(.unauthorized, detail)
        problem.headers[.wwwAuthenticate] = "Bearer realm=\"furrow\""
        return problem
    }

    static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
