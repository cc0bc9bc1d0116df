import FurrowStore
import Hummingbird
import NIOCore

extension APIServer {
    /// `sources/{source}/live`: Server-Sent Events, one `values` event per append to the source (its newest
    /// row), a comment every 15 s so proxies keep the connection, until the client goes away.
    static func registerLiveRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/sources/{source}/live") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let source = try pathParameter(context, "source")
            guard try await !server.store.series(project: slug, source: source, limit: 1).isEmpty else {
                throw APIProblem(.notFound, "no source \(source)", parameter: "source")
            }
            let updates = await server.store.subscribeLive(project: slug, source: source)
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: ": live values of \(source)\n\n"))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let (events, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(256))
                    group.addTask {
                        for await update in updates { continuation.yield(ByteBuffer(bytes: Self.event(update))) }
                        continuation.finish()
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: .seconds(15))
                            continuation.yield(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                    for await event in events { try await writer.write(event) }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: body)
        }
    }

    /// `event: values` with `{"group", "tags", "time", "values": {channel: value}}`.
    static func event(_ update: StoreLiveUpdate) -> [UInt8] {
        var out = JSONText(capacity: 256)
        out.raw("{")
        out.key("group", first: true)
        out.string(update.group.name)
        out.key("tags")
        out.raw("{")
        for (n, tag) in update.group.tags.sorted(by: { $0.key < $1.key }).enumerated() {
            out.key(tag.key, first: n == 0)
            out.string(tag.value)
        }
        out.raw("}")
        out.key("time")
        out.string(StoreTime.format(update.timestamp))
        out.key("values")
        out.raw("{")
        for (n, (channel, column)) in zip(update.channels, update.values).enumerated() {
            out.key(channel.name, first: n == 0)
            var one = JSONText(capacity: 32)
            one.values(column, 0..<1)
            out.bytes.append(contentsOf: one.bytes.dropFirst().dropLast())
        }
        out.raw("}}")
        return Array("event: values\ndata: ".utf8) + out.bytes + [0x0A, 0x0A]
    }
}
