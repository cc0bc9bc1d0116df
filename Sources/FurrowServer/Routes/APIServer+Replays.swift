import FurrowStore
import Hummingbird
import HummingbirdCore

extension APIServer {
    struct ReplayList: Encodable { var replays: [ReplayManager.View] }
    struct ReplayAction: Decodable {
        var action: String
        var to: String?
    }

    /// Replays of archived telemetry (admin): start, list, watch, pause/resume/seek/stop.
    static func registerReplayRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/replays") { server, _, context in
            let slug = try await server.authorize(context, role: .admin)
            return try json(ReplayList(replays: await server.replays.list(project: slug)))
        }
        r.add(.post, "/v1/projects/{project}/replays") { server, request, context in
            let slug = try await server.authorize(context, role: .admin)
            let input = try await server.decodeBody(ReplayManager.Request.self, request)
            do {
                return try json(try await server.replays.start(input, project: slug), status: .created)
            } catch let refusal as ReplayManager.Refusal {
                throw APIProblem(refusal.conflict ? .conflict : .invalidBody, refusal.reason, parameter: refusal.parameter)
            }
        }
        r.add(.get, "/v1/projects/{project}/replays/{replay}") { server, _, context in
            let slug = try await server.authorize(context, role: .admin)
            let id = try pathID(context, "replay")
            guard let view = await server.replays.view(id: Int(id), project: slug) else { throw noReplay(id) }
            return try json(view)
        }
        r.add(.post, "/v1/projects/{project}/replays/{replay}/control") { server, request, context in
            let slug = try await server.authorize(context, role: .admin)
            let id = try pathID(context, "replay")
            let input = try await server.decodeBody(ReplayAction.self, request)
            var to: Int64?
            if let text = input.to {
                guard let t = StoreTime.parse(text) else {
                    throw APIProblem(.invalidBody, "to is not RFC 3339 or µs since the epoch", parameter: "to")
                }
                to = t
            }
            do {
                guard let view = try await server.replays.control(id: Int(id), project: slug, action: input.action, to: to)
                else { throw noReplay(id) }
                return try json(view)
            } catch let refusal as ReplayManager.Refusal {
                throw APIProblem(.invalidBody, refusal.reason, parameter: refusal.parameter)
            }
        }
        r.add(.delete, "/v1/projects/{project}/replays/{replay}") { server, _, context in
            let slug = try await server.authorize(context, role: .admin)
            let id = try pathID(context, "replay")
            guard let view = try await server.replays.control(id: Int(id), project: slug, action: "stop", to: nil) else {
                throw noReplay(id)
            }
            return try json(view)
        }
    }

    static func noReplay(_ id: Int64) -> APIProblem {
        APIProblem(.notFound, "no replay \(id)", parameter: "replay")
    }
}
