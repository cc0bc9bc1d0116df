import Foundation

/// Wall and CPU time of one piece of work (CPU = user + system of the whole process: the store's SQLite
/// writes run on GRDB's writer thread, and they count).
struct Timing: Sendable, Codable {
    var wallSeconds: Double
    var cpuSeconds: Double

    static func measure<T>(_ body: () async throws -> T) async rethrows -> (T, Timing) {
        let cpu = processCPUSeconds()
        let start = ContinuousClock.now
        let result = try await body()
        let wall = ContinuousClock.now - start
        return (result, Timing(wallSeconds: wall.seconds, cpuSeconds: processCPUSeconds() - cpu))
    }
}

func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
        getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}

/// Timings of repeated runs of a query, in milliseconds.
struct QueryTimings: Sendable, Codable {
    var runsMs: [Double]
    var medianMs: Double { runsMs.sorted()[runsMs.count / 2] }
    var minimumMs: Double { runsMs.min() ?? .nan }

    enum CodingKeys: String, CodingKey { case runsMs, medianMs, minimumMs }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runsMs, forKey: .runsMs)
        try c.encode(medianMs, forKey: .medianMs)
        try c.encode(minimumMs, forKey: .minimumMs)
    }
    init(runsMs: [Double]) { self.runsMs = runsMs }
    init(from decoder: any Decoder) throws {
        runsMs = try decoder.container(keyedBy: CodingKeys.self).decode([Double].self, forKey: .runsMs)
    }
}

/// The machine and its load, so a figure can be read next to how busy the box was.
struct MachineNote: Sendable, Codable {
    var date: String
    var cpu: String
    var cores: Int
    var loadBefore: String
    var loadAfter: String
    var sqliteVersion: String

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }

    static func cpuModel() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "?" }
        for line in info.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?"
        }
        return "?"
    }
}

/// Progress on standard error (the table and JSON are the output).
func log(_ message: String) {
    FileHandle.standardError.write(Data("[storebench] \(message)\n".utf8))
}
