import TOMLKit

/// A parsed TOML value, copied out of toml++ into Swift values (`Sendable`, no C pointers kept).
enum TOMLNode: Sendable {
    case table([String: TOMLNode])
    case array([TOMLNode])
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// Dates and times: the configuration schema has none, so they are kept only to name their type.
    case other(String)

    var typeName: String {
        switch self {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .other(let name): "a \(name)"
        }
    }

    init(_ value: any TOMLValueConvertible) {
        switch value.type {
        case .table:
            var entries: [String: TOMLNode] = [:]
            if let table = value.table {
                for (key, element) in table { entries[key] = TOMLNode(element) }
            }
            self = .table(entries)
        case .array:
            self = .array(value.array.map { $0.map { TOMLNode($0) } } ?? [])
        case .string: self = .string(value.string ?? "")
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .float(value.double ?? 0)
        case .bool: self = .boolean(value.bool ?? false)
        case .date, .time, .dateTime: self = .other(value.type.description)
        }
    }
}

/// A TOML file: its name for messages, its values, and where each key is written.
struct TOMLDocument: Sendable {
    let file: String
    let root: [String: TOMLNode]
    let locator: TOMLKeyLocator

    /// Parses `text`; syntax errors carry toml++'s line and column.
    init(text: String, file: String) throws(ConfigurationError) {
        self.file = file
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                code: .syntax, file: file, line: error.source.begin.line, column: error.source.begin.column,
                reason: error.description)
        } catch {
            throw ConfigurationError(code: .syntax, file: file, reason: "\(error)")
        }
        guard case .table(let entries) = TOMLNode(table) else {
            throw ConfigurationError(code: .syntax, file: file, reason: "the document is not a table")
        }
        root = entries
        locator = TOMLKeyLocator(source: text)
    }

    /// An error located at `path` (or its nearest written ancestor).
    func error(_ code: ConfigurationError.Code, at path: TOMLPath, _ reason: String) -> ConfigurationError {
        let position = locator.position(of: path)
        return ConfigurationError(code: code, file: file, line: position?.line, column: position?.column, reason: reason)
    }

    /// A reader for the whole document.
    var rootReader: TOMLTableReader { TOMLTableReader(document: self, path: .root, entries: root, label: "the top level") }
}

/// Typed access to one table, remembering which keys were read so that `finish()` can reject the rest.
///
/// A class because nested readers hand their used-key sets back; it never leaves the parsing function.
final class TOMLTableReader {
    let document: TOMLDocument
    let path: TOMLPath
    let entries: [String: TOMLNode]
    /// How messages name the table: `[[serial]]`, `[mavlink]`, `the top level`.
    let label: String
    private var used: Set<String> = []

    init(document: TOMLDocument, path: TOMLPath, entries: [String: TOMLNode], label: String) {
        self.document = document
        self.path = path
        self.entries = entries
        self.label = label
    }

    func error(_ code: ConfigurationError.Code, _ key: String?, _ reason: String) -> ConfigurationError {
        document.error(code, at: key.map { path.appending($0) } ?? path, reason)
    }

    func contains(_ key: String) -> Bool { entries[key] != nil }

    private func node(_ key: String) -> TOMLNode? {
        used.insert(key)
        return entries[key]
    }

    private func wrongType(_ key: String, _ node: TOMLNode, expected: String) -> ConfigurationError {
        error(.wrongType, key, "'\(key)' in \(label) must be \(expected), not \(node.typeName)")
    }

    func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let node = node(key) else { return nil }
        guard case .string(let value) = node else { throw wrongType(key, node, expected: "a string") }
        return value
    }

    func integer(_ key: String) throws(ConfigurationError) -> Int? {
        guard let node = node(key) else { return nil }
        guard case .integer(let value) = node else { throw wrongType(key, node, expected: "an integer") }
        return value
    }

    /// A number: integers are accepted where floats are (`scale = 1`).
    func double(_ key: String) throws(ConfigurationError) -> Double? {
        guard let node = node(key) else { return nil }
        switch node {
        case .float(let value): return value
        case .integer(let value): return Double(value)
        default: throw wrongType(key, node, expected: "a number")
        }
    }

    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let node = node(key) else { return nil }
        guard case .boolean(let value) = node else { throw wrongType(key, node, expected: "true or false") }
        return value
    }

    func array(_ key: String) throws(ConfigurationError) -> [TOMLNode]? {
        guard let node = node(key) else { return nil }
        guard case .array(let values) = node else { throw wrongType(key, node, expected: "an array") }
        return values
    }

    func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let values = try array(key) else { return nil }
        var out: [String] = []
        for (index, value) in values.enumerated() {
            guard case .string(let s) = value else {
                throw document.error(
                    .wrongType, at: path.appending(key).appending(index: index),
                    "'\(key)' in \(label) must be an array of strings; element \(index) is \(value.typeName)")
            }
            out.append(s)
        }
        return out
    }

    func doubles(_ key: String) throws(ConfigurationError) -> [Double]? {
        guard let values = try array(key) else { return nil }
        var out: [Double] = []
        for (index, value) in values.enumerated() {
            switch value {
            case .float(let x): out.append(x)
            case .integer(let x): out.append(Double(x))
            default:
                throw document.error(
                    .wrongType, at: path.appending(key).appending(index: index),
                    "'\(key)' in \(label) must be an array of numbers; element \(index) is \(value.typeName)")
            }
        }
        return out
    }

    func table(_ key: String, label: String) throws(ConfigurationError) -> TOMLTableReader? {
        guard let node = node(key) else { return nil }
        guard case .table(let values) = node else { throw wrongType(key, node, expected: "a table") }
        return TOMLTableReader(document: document, path: path.appending(key), entries: values, label: label)
    }

    /// An array of tables (`[[udp]]` or `key = [{...}, {...}]`).
    func tables(_ key: String, label: String) throws(ConfigurationError) -> [TOMLTableReader] {
        guard let node = node(key) else { return [] }
        guard case .array(let values) = node else { throw wrongType(key, node, expected: "an array of tables") }
        var out: [TOMLTableReader] = []
        for (index, value) in values.enumerated() {
            let elementPath = path.appending(key).appending(index: index)
            guard case .table(let entries) = value else {
                throw document.error(
                    .wrongType, at: elementPath,
                    "element \(index) of '\(key)' in \(label) must be a table, not \(value.typeName)")
            }
            out.append(TOMLTableReader(document: document, path: elementPath, entries: entries, label: label))
        }
        return out
    }

    /// Keys in the order they are written in the file (then by name, for keys without a position).
    var keysInFileOrder: [String] {
        entries.keys.sorted { a, b in
            let pa = document.locator.position(of: path.appending(a))
            let pb = document.locator.position(of: path.appending(b))
            switch (pa, pb) {
            case let (x?, y?) where x != y: return (x.line, x.column) < (y.line, y.column)
            default: return a < b
            }
        }
    }

    /// Rejects every key that was not read: typos must not be silently ignored.
    func finish() throws(ConfigurationError) {
        let unknown = keysInFileOrder.filter { !used.contains($0) }
        guard let key = unknown.first else { return }
        let known = used.sorted()
        var reason = "unknown key '\(key)' in \(label)"
        if let suggestion = Self.nearest(key, in: known) {
            reason += " (did you mean '\(suggestion)'?)"
        } else if !known.isEmpty {
            reason += " (known keys: \(known.joined(separator: ", ")))"
        }
        throw error(.unknownKey, key, reason)
    }

    /// The known key closest to a typo, if it is close (edit distance at most 2, or a third of its length).
    static func nearest(_ key: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            if a.isEmpty { return b.count }
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var row = [i + 1]
                for (j, cb) in b.enumerated() {
                    row.append(Swift.min(previous[j + 1] + 1, row[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = row
            }
            return previous[b.count]
        }
        let a = Array(key.lowercased())
        let scored = candidates.map { ($0, distance(a, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
        guard let (best, d) = scored, d <= Swift.max(2, a.count / 3) else { return nil }
        return best
    }
}
