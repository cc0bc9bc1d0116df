import Foundation
import Hummingbird

extension APIServer {
    struct ProjectInput: Decodable {
        var slug: String
        var title: String?
    }

    struct TokenInput: Decodable {
        var role: TokenRole
        var label: String?
    }

    struct ProjectList: Encodable { var projects: [Project] }
    struct TokenList: Encodable { var tokens: [TokenRecord] }

    static func registerProjectRoutes(_ r: inout RouteRegistrar) {
        // The projects the caller can see: all for the operator, its own for a token.
        r.add(.get, "/v1/projects") { server, _, context in
            switch context.principal {
            case .operator:
                return try json(ProjectList(projects: try server.directory.projects()))
            case .token(let token):
                return try json(ProjectList(projects: try await server.directory.project(token.project).map { [$0] } ?? []))
            case .anonymous:
                throw AuthenticationMiddleware.unauthorized("send a token as Authorization: Bearer <token>")
            }
        }
        r.add(.post, "/v1/projects") { server, request, context in
            guard case .operator = context.principal else {
                throw APIProblem(.forbidden, "only the operator token creates projects")
            }
            let input = try await server.decodeBody(ProjectInput.self, request)
            do {
                return try json(try server.directory.createProject(slug: input.slug, title: input.title), status: .created)
            } catch DirectoryError.invalidSlug(let slug) {
                throw APIProblem(.invalidBody, DirectoryError.invalidSlug(slug).description, parameter: "slug")
            } catch DirectoryError.projectExists(let slug) {
                throw APIProblem(.conflict, "project \(slug) exists already", parameter: "slug")
            }
        }
        r.add(.get, "/v1/projects/{project}") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            guard let project = try await server.directory.project(slug) else { throw noProject(slug) }
            return try json(project)
        }
        r.add(.get, "/v1/projects/{project}/tokens") { server, _, context in
            let slug = try await server.authorize(context, role: .admin)
            return try json(TokenList(tokens: try server.directory.tokens(project: slug)))
        }
        // The secret is in this one response and nowhere else.
        r.add(.post, "/v1/projects/{project}/tokens") { server, request, context in
            let slug = try await server.authorize(context, role: .admin)
            let input = try await server.decodeBody(TokenInput.self, request)
            let label = input.label ?? ""
            guard label.count <= 200 else {
                throw APIProblem(.invalidBody, "a label has at most 200 characters", parameter: "label")
            }
            return try json(try server.directory.issueToken(project: slug, role: input.role, label: label), status: .created)
        }
        r.add(.delete, "/v1/projects/{project}/tokens/{token}") { server, _, context in
            let slug = try await server.authorize(context, role: .admin)
            let id = try pathID(context, "token")
            do {
                return try json(try server.directory.revokeToken(id: id, project: slug))
            } catch DirectoryError.unknownToken {
                throw APIProblem(.notFound, "no token \(id) in project \(slug)", parameter: "token")
            }
        }
    }
}
