/// Where a value sits in a TOML document: keys and array indices from the root (`serial[1].baud`).
struct TOMLPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component] = []

    static let root = TOMLPath()

    func appending(_ key: String) -> TOMLPath { TOMLPath(components: components + [.key(key)]) }
    func appending(index: Int) -> TOMLPath { TOMLPath(components: components + [.index(index)]) }

    /// `serial[1].baud`, `mavlink.messages.HEARTBEAT.channels[0]`.
    var description: String {
        var out = ""
        for component in components {
            switch component {
            case .key(let key):
                if !out.isEmpty { out += "." }
                out += key.allSatisfy(TOMLKeyLocator.isBareKeyCharacter) && !key.isEmpty ? key : "\"\(key)\""
            case .index(let index):
                out += "[\(index)]"
            }
        }
        return out
    }
}

/// Finds the line and column of every key, table header and array element in a TOML document.
///
/// TOMLKit (toml++) does not keep positions of values, so this scanner walks the source text once and
/// records, per resolved path, where it is written: `key = value` lines (dotted and quoted keys too),
/// `[table]` and `[[array]]` headers (with the running element index of each array of tables, nested
/// arrays counted per parent element), and the elements and keys of inline arrays and inline tables across
/// lines. It runs only on text toml++ has already accepted, so it skips what it does not need (string
/// contents, scalar values) without validating them.
struct TOMLKeyLocator: Sendable {
    struct Position: Hashable, Sendable {
        var line: Int
        var column: Int
    }

    private(set) var positions: [TOMLPath: Position] = [:]

    init(source: String) {
        var scanner = Scanner(bytes: Array(source.utf8))
        scanner.scanDocument()
        positions = scanner.positions
    }

    /// The position of `path`, or of its nearest written ancestor (a key inside an inline table written on
    /// one line has its own position; a default that was never written points at its table's header).
    func position(of path: TOMLPath) -> Position? {
        var components = path.components
        while true {
            if let position = positions[TOMLPath(components: components)] { return position }
            if components.isEmpty { return nil }
            components.removeLast()
        }
    }

    static func isBareKeyCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
    }

    // MARK: - Scanner

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        var lineStart = 0
        var positions: [TOMLPath: Position] = [:]
        /// Array-of-tables path (resolved, without index) → number of elements seen.
        var arrayTableCounts: [TOMLPath: Int] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { i >= bytes.count }
        var current: UInt8 { bytes[i] }
        func peek(_ offset: Int) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }
        var here: Position { Position(line: line, column: i - lineStart + 1) }

        mutating func advance() {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }

        mutating func record(_ path: TOMLPath, _ position: Position) {
            if positions[path] == nil { positions[path] = position }
        }

        mutating func skipSpaces() {
            while !atEnd, current == UInt8(ascii: " ") || current == UInt8(ascii: "\t") { advance() }
        }

        /// Spaces, newlines and comments.
        mutating func skipTrivia() {
            while !atEnd {
                switch current {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): advance()
                case UInt8(ascii: "#"): while !atEnd, current != UInt8(ascii: "\n") { advance() }
                default: return
                }
            }
        }

        mutating func scanDocument() {
            var table = TOMLPath.root
            while true {
                skipTrivia()
                if atEnd { return }
                if current == UInt8(ascii: "[") {
                    table = scanHeader()
                } else {
                    scanKeyValue(in: table)
                }
                // The rest of the line (a trailing comment) is trivia.
            }
        }

        /// `[a.b]` or `[[a.b]]`: returns the resolved path of the table it opens.
        mutating func scanHeader() -> TOMLPath {
            let start = here
            advance()
            let isArray = !atEnd && current == UInt8(ascii: "[")
            if isArray { advance() }
            let keys = scanKey()
            while !atEnd, current != UInt8(ascii: "\n") {
                if current == UInt8(ascii: "]") { advance() } else { break }
            }
            var resolved = TOMLPath.root
            for (k, key) in keys.enumerated() {
                resolved = resolved.appending(key)
                let isLast = k == keys.count - 1
                if isLast && isArray {
                    let count = arrayTableCounts[resolved, default: 0]
                    arrayTableCounts[resolved] = count + 1
                    record(resolved, start)
                    resolved = resolved.appending(index: count)
                } else if let count = arrayTableCounts[resolved] {
                    resolved = resolved.appending(index: count - 1)
                }
            }
            record(resolved, start)
            return resolved
        }

        /// A possibly dotted key (`a`, `"a b"`, `'x'`, `a . b`), leaving the scanner after it.
        mutating func scanKey() -> [String] {
            var keys: [String] = []
            while true {
                skipSpaces()
                if atEnd { return keys }
                if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") {
                    keys.append(scanQuotedKey())
                } else {
                    let start = i
                    while !atEnd, Self.isBare(current) { advance() }
                    keys.append(String(decoding: bytes[start..<i], as: UTF8.self))
                }
                skipSpaces()
                if !atEnd, current == UInt8(ascii: ".") {
                    advance()
                    continue
                }
                return keys
            }
        }

        static func isBare(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }

        mutating func scanQuotedKey() -> String {
            let quote = current
            advance()
            var out: [UInt8] = []
            while !atEnd, current != quote {
                if quote == UInt8(ascii: "\""), current == UInt8(ascii: "\\") {
                    advance()
                    if atEnd { break }
                    // Keys with escapes are rare; keep the common ones, the rest verbatim.
                    switch current {
                    case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                    default: out.append(current)
                    }
                } else {
                    out.append(current)
                }
                advance()
            }
            if !atEnd { advance() }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func scanKeyValue(in table: TOMLPath) {
            let start = here
            let keys = scanKey()
            var path = table
            for key in keys {
                path = path.appending(key)
                record(path, start)
            }
            skipSpaces()
            guard !atEnd, current == UInt8(ascii: "=") else {
                // Not valid TOML (cannot happen after toml++ accepted it): skip the line.
                while !atEnd, current != UInt8(ascii: "\n") { advance() }
                return
            }
            advance()
            skipSpaces()
            scanValue(at: path)
        }

        mutating func scanValue(at path: TOMLPath) {
            guard !atEnd else { return }
            switch current {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                scanString()
            case UInt8(ascii: "["):
                advance()
                var index = 0
                while true {
                    skipTrivia()
                    if atEnd { return }
                    if current == UInt8(ascii: "]") {
                        advance()
                        return
                    }
                    let element = path.appending(index: index)
                    record(element, here)
                    scanValue(at: element)
                    skipTrivia()
                    if !atEnd, current == UInt8(ascii: ",") {
                        advance()
                        index += 1
                    }
                }
            case UInt8(ascii: "{"):
                advance()
                while true {
                    skipTrivia()
                    if atEnd { return }
                    if current == UInt8(ascii: "}") {
                        advance()
                        return
                    }
                    if current == UInt8(ascii: ",") {
                        advance()
                        continue
                    }
                    scanKeyValue(in: path)
                }
            default:
                // A number, boolean or date: up to a delimiter.
                while !atEnd {
                    switch current {
                    case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\n"), UInt8(ascii: "#"):
                        return
                    default: advance()
                    }
                }
            }
        }

        /// Basic, literal and multi-line strings.
        mutating func scanString() {
            let quote = current
            if peek(1) == quote, peek(2) == quote {
                advance(); advance(); advance()
                while !atEnd {
                    if quote == UInt8(ascii: "\""), current == UInt8(ascii: "\\") {
                        advance()
                        if !atEnd { advance() }
                        continue
                    }
                    if current == quote, peek(1) == quote, peek(2) == quote {
                        advance(); advance(); advance()
                        // Up to two more quotes may belong to the content (`""""` ends with a quote).
                        while !atEnd, current == quote { advance() }
                        return
                    }
                    advance()
                }
                return
            }
            advance()
            while !atEnd, current != quote, current != UInt8(ascii: "\n") {
                if quote == UInt8(ascii: "\""), current == UInt8(ascii: "\\") { advance() }
                if !atEnd { advance() }
            }
            if !atEnd, current == quote { advance() }
        }
    }
}
