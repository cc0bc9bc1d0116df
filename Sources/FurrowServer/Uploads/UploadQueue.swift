import Foundation
import FurrowStore
import Logging
import ServiceLifecycle

/// Imports queued uploads one at a time in the background, so an upload request returns as soon as the file
/// is kept and a 2-core gateway never parses two big logs at once.
///
/// The queue lives in the database: after a restart, uploads that were importing are re-queued (what they had
/// staged is deleted first) and everything queued is imported.
public struct UploadQueue: Service {
    public let importer: FlightLogImporter
    public let files: UploadFiles
    let logger: Logger
    let wakeups: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation

    public init(importer: FlightLogImporter, files: UploadFiles, logger: Logger) {
        self.importer = importer
        self.files = files
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Tells the worker there is something queued.
    public func notify() {
        wake.yield()
    }

    public func run() async throws {
        let uploads = importer.uploads
        do {
            let staged = try await importer.store.deleteStagedSources()
            let requeued = try uploads.requeueInterrupted()
            if requeued > 0 || staged.groups > 0 {
                logger.warning(
                    "uploads: \(requeued) import(s) were interrupted; their \(staged.groups) staged row group(s) were deleted and they are queued again")
            }
        } catch {
            logger.error("uploads: cannot clean up interrupted imports: \(error)")
        }
        wake.yield()
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await drain()
                if Task.isCancelled { break }
            }
        } onGracefulShutdown: {
            wake.finish()
        }
    }

    /// Imports every queued upload, oldest first.
    func drain() async {
        let uploads = importer.uploads
        while !Task.isCancelled, let id = (try? uploads.queued())?.first, let upload = try? uploads.upload(id: id) {
            await importOne(upload)
        }
    }

    /// Imports one upload; any failure marks it failed with the reason (nothing of it stays visible).
    public func importOne(_ upload: UploadRecord) async {
        let uploads = importer.uploads
        guard let path = files.path(sha256: upload.sha256), FileManager.default.fileExists(atPath: path) else {
            try? uploads.fail(
                id: upload.id, format: nil, report: Self.failureReport("the uploaded file is missing from the archive"),
                now: FlightLogImporter.now())
            return
        }
        let started = ContinuousClock.now
        do {
            let flight = try await importer.run(upload, path: path)
            logger.info(
                "upload \(upload.id) (\(upload.fileName), \(upload.size) bytes) imported as flight \(flight) in \(ContinuousClock.now - started)")
        } catch {
            let reason = (error as? FlightImportError)?.reason ?? "\(error)"
            let format = (error as? FlightImportError)?.format
            logger.warning("upload \(upload.id) (\(upload.fileName)) failed: \(reason)")
            try? uploads.fail(id: upload.id, format: format, report: Self.failureReport(reason), now: FlightLogImporter.now())
        }
    }

    static func failureReport(_ reason: String) -> String {
        let encoded = (try? JSONEncoder.sorted.encode(["error": reason])) ?? Data()
        return String(decoding: encoded, as: UTF8.self)
    }
}
