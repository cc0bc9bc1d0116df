import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `furrow upload`: send flight logs from a laptop to a Furrow server, with a progress bar, and wait for the
/// import to finish.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Upload flight logs (.tlog, ArduPilot .bin, PX4 .ulg) to a Furrow server.",
        discussion: """
            Each file is streamed to POST /v1/projects/<project>/flights (an uploader token), then the command \
            follows the import until the flight is ready and prints it. A file the server already has (same \
            SHA-256 in the project) is not imported again. The token comes from --token-file or FURROW_TOKEN \
            (never from the command line, where other users could read it).
            """)

    @Argument(help: "Flight log files.")
    var files: [String]

    @Option(help: "Pilot project.")
    var project: String

    @Option(help: "Server base URL (default: FURROW_SERVER or http://127.0.0.1:8080).")
    var server: String?

    @Option(name: .customLong("token-file"), help: "File whose first line is the token (default: FURROW_TOKEN).")
    var tokenFile: String?

    @Option(name: .customLong("swath-width"), help: "Spray or work width in metres, for the covered area.")
    var swathWidth: Double?

    @Flag(name: .customLong("no-wait"), help: "Return once the file is received; do not follow the import.")
    var noWait = false

    @Flag(help: "No progress bar.")
    var quiet = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let base = (server ?? environment["FURROW_SERVER"] ?? "http://127.0.0.1:8080")
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let token: String
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8),
                let line = text.split(whereSeparator: \.isNewline).first
            else { throw ValidationError("cannot read a token from \(tokenFile)") }
            token = line.trimmingCharacters(in: .whitespaces)
        } else if let value = environment["FURROW_TOKEN"], !value.isEmpty {
            token = value
        } else {
            throw ValidationError("give an uploader token with --token-file FILE or FURROW_TOKEN")
        }
        var failures = 0
        for file in files {
            do {
                try await upload(file, base: base, token: token)
            } catch let error as UploadFailure {
                failures += 1
                FileHandle.standardError.write(Data("\(file): \(error.message)\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    struct UploadFailure: Error {
        let message: String
    }

    /// The fields of an upload answer the command reads.
    struct UploadAnswer: Decodable {
        var id: Int64
        var status: String
        var phase: String?
        var progress: Double
        var flight: Int64?
        var duplicate: Bool?
        var report: ReportAnswer?
    }

    struct ReportAnswer: Decodable {
        var error: String?
        var rows: Int?
        var values: Int?
        var seriesGroups: Int?
        var truncation: String?
    }

    func upload(_ file: String, base: String, token: String) async throws {
        let url = URL(fileURLWithPath: file)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let size = (attributes[.size] as? NSNumber)?.int64Value
        else { throw UploadFailure(message: "cannot read the file") }
        var components = URLComponents(string: "\(base)/v1/projects/\(project)/flights")
        components?.queryItems =
            [URLQueryItem(name: "fileName", value: url.lastPathComponent)]
            + (swathWidth.map { [URLQueryItem(name: "swathWidth", value: String($0))] } ?? [])
        guard let endpoint = components?.url else { throw UploadFailure(message: "bad server URL \(base)") }
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        request.setValue(String(size), forHTTPHeaderField: "Content-Length")
        request.timeoutInterval = 3600

        let bar = ProgressBar(label: url.lastPathComponent, total: size, enabled: !quiet)
        let delegate = UploadDelegate(bar: bar)
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let (status, body) = try await delegate.send(session.uploadTask(with: request, fromFile: url))
        bar.finish()
        guard status == 200 || status == 202 else {
            throw UploadFailure(message: "the server answered \(status): \(Self.problemDetail(body))")
        }
        guard var answer = try? JSONDecoder().decode(UploadAnswer.self, from: body) else {
            throw UploadFailure(message: "unexpected answer from the server")
        }
        if answer.duplicate == true {
            print("\(file): already uploaded as upload \(answer.id) (\(answer.status))")
        } else {
            print("\(file): received as upload \(answer.id)")
        }
        guard !noWait else { return }
        let importBar = ProgressBar(label: "importing", total: 1000, enabled: !quiet)
        while answer.status == "queued" || answer.status == "importing" {
            try await Task.sleep(for: .milliseconds(250))
            answer = try await fetch("\(base)/v1/projects/\(project)/uploads/\(answer.id)", token: token)
            importBar.update(Int64(answer.progress * 1000))
        }
        importBar.finish()
        if answer.status == "done", let flight = answer.flight {
            let report = answer.report
            print(
                "\(file): flight \(flight): \(report?.seriesGroups ?? 0) series, \(report?.rows ?? 0) rows, \(report?.values ?? 0) values"
                    + (report?.truncation.map { "; \($0)" } ?? ""))
        } else {
            throw UploadFailure(message: "import failed: \(answer.report?.error ?? answer.status)")
        }
    }

    func fetch(_ address: String, token: String) async throws -> UploadAnswer {
        guard let url = URL(string: address) else { throw UploadFailure(message: "bad URL \(address)") }
        var request = URLRequest(url: url)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200, let answer = try? JSONDecoder().decode(UploadAnswer.self, from: data) else {
            throw UploadFailure(message: "the server answered \(status): \(Self.problemDetail(data))")
        }
        return answer
    }

    static func problemDetail(_ body: Data) -> String {
        struct Problem: Decodable { var detail: String? }
        return (try? JSONDecoder().decode(Problem.self, from: body))?.detail ?? String(decoding: body.prefix(300), as: UTF8.self)
    }
}

/// Collects an upload task's answer and reports the bytes sent.
final class UploadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let bar: ProgressBar
    private let lock = NSLock()
    private var body = Data()
    private var continuation: CheckedContinuation<(Int, Data), any Error>?

    init(bar: ProgressBar) {
        self.bar = bar
    }

    func send(_ task: URLSessionUploadTask) async throws -> (Int, Data) {
        try await withCheckedThrowingContinuation { continuation in
            lock.withLock { self.continuation = continuation }
            task.resume()
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64, totalBytesSent: Int64,
        totalBytesExpectedToSend: Int64
    ) {
        bar.update(totalBytesSent)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock { body.append(data) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, body) = lock.withLock { () -> (CheckedContinuation<(Int, Data), any Error>?, Data) in
            defer { self.continuation = nil }
            return (self.continuation, self.body)
        }
        if let error {
            continuation?.resume(throwing: UploadCommand.UploadFailure(message: "the transfer failed: \(error.localizedDescription)"))
        } else {
            continuation?.resume(returning: ((task.response as? HTTPURLResponse)?.statusCode ?? 0, body))
        }
    }
}

/// A one-line progress bar on standard error (only when it is a terminal), at most ten redraws a second.
final class ProgressBar: @unchecked Sendable {
    let label: String
    let total: Int64
    let enabled: Bool
    private let lock = NSLock()
    private var last = ContinuousClock.now - .seconds(1)
    private let started = ContinuousClock.now
    private var drawn = false

    init(label: String, total: Int64, enabled: Bool) {
        self.label = label
        self.total = Swift.max(total, 1)
        self.enabled = enabled && isatty(2) != 0
    }

    func update(_ done: Int64) {
        guard enabled else { return }
        lock.withLock {
            let now = ContinuousClock.now
            guard now - last >= .milliseconds(100) || done >= total else { return }
            last = now
            drawn = true
            let fraction = Swift.min(Double(done) / Double(total), 1)
            let width = 30
            let filled = Int(fraction * Double(width))
            let elapsed = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18
            let rate = elapsed > 0 ? Double(done) / elapsed / 1e6 : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = total == 1000
                ? String(format: "\r%@ [%@] %3.0f%%", label, bar, fraction * 100)
                : String(format: "\r%@ [%@] %3.0f%% %.1f/%.1f MB %.1f MB/s", label, bar, fraction * 100,
                         Double(done) / 1e6, Double(total) / 1e6, rate)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        guard enabled else { return }
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
            drawn = false
        }
    }
}
