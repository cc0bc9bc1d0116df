import Foundation
import FurrowLogs
import FurrowStore
import Hummingbird
import Logging
import NIOCore

extension APIServer {
    /// An upload as the API shows it: status, progress and the import report.
    struct UploadView: Encodable {
        var id: Int64
        var fileName: String
        var size: Int64
        var sha256: String
        var format: String?
        var status: String
        var phase: String?
        /// 0–1 while importing (two passes over the file: summary, then series), 1 when done.
        var progress: Double
        var swathWidth: Double?
        var flows: [String]
        var sprayingOnly: Bool
        var createdAt: String
        var finishedAt: String?
        var flight: Int64?
        var report: JSONFragment?
        /// True when this file was uploaded before: the earlier upload is returned, nothing is imported again.
        var duplicate: Bool?

        init(_ u: UploadRecord, duplicate: Bool? = nil) {
            id = u.id
            fileName = u.fileName
            size = u.size
            sha256 = u.sha256
            format = u.format
            status = u.status.rawValue
            phase = u.phase
            switch u.status {
            case .done: progress = 1
            case .queued, .failed: progress = 0
            case .importing:
                let fraction = u.size > 0 ? Double(u.progressBytes) / Double(u.size) : 0
                progress = switch u.phase {
                case "storing": 0.2 + 0.75 * Swift.min(fraction, 1)
                case "publishing": 0.95
                default: 0.0
                }
            }
            swathWidth = u.swathWidth
            flows = u.flows
            sprayingOnly = u.sprayingOnly
            createdAt = StoreTime.format(u.createdAt)
            finishedAt = u.finishedAt.map(StoreTime.format)
            flight = u.flight
            report = u.report.map(JSONFragment.init)
            self.duplicate = duplicate
        }
    }

    struct UploadList: Encodable { var uploads: [UploadView] }

    static func registerUploadRoutes(_ r: inout RouteRegistrar) {
        r.add(.post, "/v1/projects/{project}/flights") { server, request, context in
            // A refused upload (bad token, role, parameters) still reads and drops the body the client is
            // sending, so the client gets to read the answer instead of blocking on a full socket.
            let slug: String
            let fileName: String
            var swathWidth: Double?
            var flows: [String] = []
            var sprayingOnly = false
            let queue: UploadQueue
            do {
                slug = try await server.authorize(context, role: .uploader)
                guard let q = server.uploadQueue else {
                    throw APIProblem(.conflict, "this server keeps no uploads (it was started without a data directory)")
                }
                queue = q
                let query = request.uri.queryParameters
                fileName = try Self.uploadFileName(query.get("fileName"))
                if let text = query.get("swathWidth") {
                    guard let width = Double(text), width.isFinite, width > 0, width <= 200 else {
                        throw APIProblem(
                            .invalidParameter, "swathWidth must be a width in metres, more than 0 and at most 200",
                            parameter: "swathWidth")
                    }
                    swathWidth = width
                }
                flows = query.getAll("flow").map { String($0) }
                guard flows.count <= 8 else {
                    throw APIProblem(.invalidParameter, "at most 8 flow= channels", parameter: "flow")
                }
                for spec in flows {
                    do {
                        _ = try FlightFlowChannel(specification: spec)
                    } catch {
                        throw APIProblem(.invalidParameter, "flow \(error)", parameter: "flow")
                    }
                }
                switch query.get("sprayingOnly") {
                case nil, "false": sprayingOnly = false
                case "true": sprayingOnly = true
                default: throw APIProblem(.invalidParameter, "sprayingOnly must be true or false", parameter: "sprayingOnly")
                }
                let limit = q.files.maximumBytes
                if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > limit {
                    throw APIProblem(.bodyTooLarge, "the file is \(length) bytes; uploads may be at most \(limit) bytes")
                }
            } catch {
                await UploadFiles.discard(request.body)
                throw error
            }
            let received: UploadFiles.Received
            do throws(UploadFiles.ReceiveError) {
                received = try await queue.files.receive(request.body)
            } catch {
                switch error {
                case .tooLarge(let limit):
                    throw APIProblem(.bodyTooLarge, "uploads may be at most \(limit) bytes")
                case .empty:
                    throw APIProblem(.invalidBody, "the request body is empty: send the log file's bytes")
                case .io(let reason):
                    server.logger.error("upload to \(slug) could not be kept: \(reason)")
                    throw APIProblem(.internal, "the upload could not be stored on the server")
                }
            }
            let (record, created) = try queue.importer.uploads.enqueue(
                project: slug, sha256: received.sha256, fileName: fileName, size: received.size,
                swathWidth: swathWidth, flows: flows, sprayingOnly: sprayingOnly, now: FlightLogImporter.now())
            if created { queue.notify() }
            var response = try json(UploadView(record, duplicate: !created), status: created ? .accepted : .ok)
            response.headers[.location] = "/v1/projects/\(slug)/uploads/\(record.id)"
            return response
        }
        r.add(.get, "/v1/projects/{project}/uploads") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let uploads = try await server.uploadCatalog.uploads(project: slug)
            return try json(UploadList(uploads: uploads.map { UploadView($0) }))
        }
        r.add(.get, "/v1/projects/{project}/uploads/{upload}") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let id = try pathID(context, "upload")
            guard let upload = try await server.uploadCatalog.upload(id: id, project: slug) else {
                throw APIProblem(.notFound, "no upload \(id)", parameter: "upload")
            }
            return try json(UploadView(upload))
        }
    }

    /// The name a file is listed under: its base name, printable, at most 200 characters (never a path).
    static func uploadFileName(_ raw: String?) throws -> String {
        guard let raw, !raw.isEmpty else { return "upload" }
        let base = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        guard !base.isEmpty, base.count <= 200, base != ".", base != "..",
            base.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else {
            throw APIProblem(
                .invalidParameter, "fileName must be a file name of 1–200 printable characters", parameter: "fileName")
        }
        return base
    }
}

/// Stored JSON passed through as it is (a report or summary kept as text).
struct JSONFragment: Encodable {
    let text: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode((try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null)
    }
}
