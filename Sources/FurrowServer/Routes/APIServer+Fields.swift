import Foundation
import Hummingbird

extension APIServer {
    struct FieldList: Encodable { var fields: [Field] }

    static func registerFieldRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/fields") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            return try json(FieldList(fields: try server.fields.fields(project: slug)))
        }
        r.add(.post, "/v1/projects/{project}/fields") { server, request, context in
            let slug = try await server.authorize(context, role: .admin)
            let input = try await server.decodeBody(FieldInput.self, request)
            guard let field = try server.saveField(input, project: slug, id: nil) else {
                throw APIProblem(.internal, "the field was not saved")
            }
            return try json(field, status: .created)
        }
        r.add(.get, "/v1/projects/{project}/fields/{field}") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let id = try pathID(context, "field")
            guard let field = try server.fields.field(id: id, project: slug) else { throw noField(id) }
            return try json(field)
        }
        r.add(.put, "/v1/projects/{project}/fields/{field}") { server, request, context in
            let slug = try await server.authorize(context, role: .admin)
            let id = try pathID(context, "field")
            let input = try await server.decodeBody(FieldInput.self, request)
            guard let field = try server.saveField(input, project: slug, id: id) else { throw noField(id) }
            return try json(field)
        }
        r.add(.delete, "/v1/projects/{project}/fields/{field}") { server, _, context in
            let slug = try await server.authorize(context, role: .admin)
            let id = try pathID(context, "field")
            guard try server.fields.delete(id: id, project: slug) else { throw noField(id) }
            return Response(status: .noContent)
        }
    }

    static func noField(_ id: Int64) -> APIProblem {
        APIProblem(.notFound, "no field \(id)", parameter: "field")
    }

    func saveField(_ input: FieldInput, project: String, id: Int64?) throws -> Field? {
        do {
            return try fields.save(input, project: project, id: id)
        } catch FieldCatalog.Problem.nameTaken(let name) {
            throw APIProblem(.conflict, "a field named \(name) exists already", parameter: "name")
        } catch FieldCatalog.Problem.invalid(let parameter, let reason) {
            throw APIProblem(.invalidBody, reason, parameter: parameter)
        }
    }
}
