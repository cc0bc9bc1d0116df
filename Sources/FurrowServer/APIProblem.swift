import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// An API error as RFC 9457 problem details (`application/problem+json`): a stable `type` per kind of
/// problem, a human `detail`, and the offending `parameter` when one is to blame.
public struct APIProblem: Error, HTTPResponseError, Sendable, Equatable {
    /// The stable kinds of problem; the `type` URI is `https://furrow.dev/problems/<kind>`.
    public enum Kind: String, Sendable, CaseIterable {
        case unauthorized
        case forbidden
        case notFound = "not-found"
        case invalidParameter = "invalid-parameter"
        case invalidTimeRange = "invalid-time-range"
        case unknownSeries = "unknown-series"
        case invalidBody = "invalid-body"
        case bodyTooLarge = "body-too-large"
        case resultTooLarge = "result-too-large"
        case conflict
        /// The field lacks what the answer needs (no weather source, no planting date, …).
        case fieldNotReady = "field-not-ready"
        case rateLimited = "rate-limited"
        case methodNotAllowed = "method-not-allowed"
        case `internal`

        var status: HTTPResponse.Status {
            switch self {
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound, .unknownSeries: .notFound
            case .invalidParameter, .invalidTimeRange, .invalidBody: .badRequest
            case .bodyTooLarge: .contentTooLarge
            case .resultTooLarge, .fieldNotReady: .unprocessableContent
            case .conflict: .conflict
            case .rateLimited: .tooManyRequests
            case .methodNotAllowed: .methodNotAllowed
            case .internal: .internalServerError
            }
        }

        var title: String {
            switch self {
            case .unauthorized: "Missing or invalid token"
            case .forbidden: "The token's role does not allow this"
            case .notFound: "Not found"
            case .invalidParameter: "Invalid parameter"
            case .invalidTimeRange: "Invalid time range"
            case .unknownSeries: "Unknown series"
            case .invalidBody: "Invalid request body"
            case .bodyTooLarge: "Request body too large"
            case .resultTooLarge: "Result too large"
            case .conflict: "Conflict"
            case .fieldNotReady: "The field lacks what this summary needs"
            case .rateLimited: "Too many requests"
            case .methodNotAllowed: "Method not allowed"
            case .internal: "Internal error"
            }
        }
    }

    public let kind: Kind
    public let detail: String
    public let parameter: String?
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields = [:]

    public init(_ kind: Kind, _ detail: String, parameter: String? = nil) {
        self.kind = kind
        self.detail = detail
        self.parameter = parameter
    }

    public var status: HTTPResponse.Status { kind.status }

    public static let typeBase = "https://furrow.dev/problems/"

    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String?
        let parameter: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(instance: request.uri.path)
    }

    func response(instance: String?) -> Response {
        let body = Body(
            type: Self.typeBase + kind.rawValue, title: kind.title, status: Int(status.code), detail: detail,
            instance: instance, parameter: parameter)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data()
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Renders every error as problem+json: ours as they are, Hummingbird's (no route, body too large, bad JSON)
/// mapped to a kind, anything else as an internal error that is logged, never shown.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as APIProblem {
            return problem.response(instance: request.uri.path)
        } catch let error as HTTPError {
            let kind: APIProblem.Kind =
                switch error.status {
                case .notFound: .notFound
                case .contentTooLarge: .bodyTooLarge
                case .methodNotAllowed: .methodNotAllowed
                case .unauthorized: .unauthorized
                case .badRequest: .invalidBody
                default: error.status.code >= 500 ? .internal : .invalidParameter
                }
            let detail =
                kind == .notFound ? "no such route: \(request.method) \(request.uri.path)"
                : (error.body ?? kind.title)
            return APIProblem(kind, detail).response(instance: request.uri.path)
        } catch let error as DecodingError {
            return APIProblem(.invalidBody, Self.describe(error)).response(instance: request.uri.path)
        } catch {
            context.logger.error("request \(request.method) \(request.uri.path) failed: \(error)")
            return APIProblem(.internal, "the server failed to answer; the error was logged").response(
                instance: request.uri.path)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at \(p)"
        }
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "wrong or missing value\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "missing key \(key.stringValue)\(path(c))"
        case .dataCorrupted(let c): return "malformed JSON\(path(c)): \(c.debugDescription)"
        @unknown default: return "malformed JSON"
        }
    }
}
