/// One point of InfluxDB line protocol: `measurement,tag=v field=1.5,n=3i,s="x",ok=t 1700000000000000000`.
///
/// Users arrive with years of data in InfluxDB; line protocol is what `influx` exports and what Telegraf
/// writes, so Furrow reads it (and writes it, for the way back).
public struct LineProtocolPoint: Sendable, Equatable {
    public var measurement: String
    /// Tags in the order written.
    public var tags: [(key: String, value: String)]
    /// Fields in the order written (at least one).
    public var fields: [(key: String, value: LineProtocolValue)]
    /// The timestamp as written (in the command's precision), or nil if the line has none.
    public var timestamp: Int64?

    public init(
        measurement: String, tags: [(key: String, value: String)], fields: [(key: String, value: LineProtocolValue)],
        timestamp: Int64?
    ) {
        self.measurement = measurement
        self.tags = tags
        self.fields = fields
        self.timestamp = timestamp
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.measurement == b.measurement && a.timestamp == b.timestamp
            && a.tags.map(\.key) == b.tags.map(\.key) && a.tags.map(\.value) == b.tags.map(\.value)
            && a.fields.map(\.key) == b.fields.map(\.key) && a.fields.map(\.value) == b.fields.map(\.value)
    }
}

/// A field value; the suffix decides the type (`i` integer, `u` unsigned, quotes string, `t`/`f` boolean).
public enum LineProtocolValue: Sendable, Equatable {
    case float(Double)
    case integer(Int64)
    case unsigned(UInt64)
    case string(String)
    case boolean(Bool)

    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.float(let x), .float(let y)): x.bitPattern == y.bitPattern
        case (.integer(let x), .integer(let y)): x == y
        case (.unsigned(let x), .unsigned(let y)): x == y
        case (.string(let x), .string(let y)): x.utf8.elementsEqual(y.utf8)
        case (.boolean(let x), .boolean(let y)): x == y
        default: false
        }
    }
}

/// Why a line was refused; `column` is the 1-based byte position in the line.
public struct LineProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    public let column: Int
    public let message: String
    public var description: String { "column \(column): \(message)" }
}

public enum LineProtocol {
    /// Parses one line; nil for a blank line or a `#` comment.
    public static func parse(_ line: some StringProtocol) throws(LineProtocolError) -> LineProtocolPoint? {
        var bytes = Array(line.utf8)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        var i = 0
        while i < bytes.count && (bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t")) { i += 1 }
        if i == bytes.count || bytes[i] == UInt8(ascii: "#") { return nil }
        var p = Parser(bytes: bytes, i: i)
        return try p.point()
    }

    /// Writes a point as one line (no newline), escaped so `parse` reads it back identically.
    public static func format(_ point: LineProtocolPoint) -> String {
        var out = escape(point.measurement, specials: [",", " "])
        for tag in point.tags {
            out += "," + escape(tag.key, specials: [",", "=", " "]) + "=" + escape(tag.value, specials: [",", "=", " "])
        }
        out += " "
        out += point.fields.map { key, value in
            let v: String
            switch value {
            case .float(let x): v = "\(x)"  // NaN and infinities have no spelling here: callers skip them
            case .integer(let x): v = "\(x)i"
            case .unsigned(let x): v = "\(x)u"
            case .string(let s): v = "\"" + escape(s, specials: ["\"", "\\"], escapeBackslash: false) + "\""
            case .boolean(let b): v = b ? "true" : "false"
            }
            return escape(key, specials: [",", "=", " "]) + "=" + v
        }.joined(separator: ",")
        if let t = point.timestamp { out += " \(t)" }
        return out
    }

    static func escape(_ s: String, specials: Set<Character>, escapeBackslash: Bool = false) -> String {
        var out = ""
        for c in s {
            if specials.contains(c) || (escapeBackslash && c == "\\") { out.append("\\") }
            out.append(c)
        }
        return out
    }

    struct Parser {
        let bytes: [UInt8]
        var i: Int

        func fail(_ message: String) -> LineProtocolError { LineProtocolError(column: i + 1, message: message) }

        var atEnd: Bool { i >= bytes.count }

        /// Reads an identifier up to an unescaped stop byte; `\` escapes the next byte.
        mutating func identifier(stops: Set<UInt8>, what: String) throws(LineProtocolError) -> String {
            var out: [UInt8] = []
            while i < bytes.count && !stops.contains(bytes[i]) {
                if bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count && stops.union([UInt8(ascii: "\\")]).contains(bytes[i + 1]) {
                    out.append(bytes[i + 1])
                    i += 2
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            guard !out.isEmpty else { throw fail("empty \(what)") }
            guard let s = String(validating: out, as: UTF8.self) else { throw fail("\(what) is not UTF-8") }
            return s
        }

        mutating func expect(_ byte: UInt8, _ message: String) throws(LineProtocolError) {
            guard i < bytes.count, bytes[i] == byte else { throw fail(message) }
            i += 1
        }

        mutating func point() throws(LineProtocolError) -> LineProtocolPoint {
            let comma = UInt8(ascii: ","), space = UInt8(ascii: " "), equals = UInt8(ascii: "=")
            let measurement = try identifier(stops: [comma, space], what: "measurement")
            var tags: [(key: String, value: String)] = []
            while i < bytes.count && bytes[i] == comma {
                i += 1
                let key = try identifier(stops: [comma, space, equals], what: "tag key")
                try expect(equals, "tag \(key) has no '='")
                let value = try identifier(stops: [comma, space, equals], what: "tag value")
                tags.append((key, value))
            }
            try expect(space, "expected a space before the fields")
            var fields: [(key: String, value: LineProtocolValue)] = []
            repeat {
                if !fields.isEmpty { i += 1 }
                let key = try identifier(stops: [comma, space, equals], what: "field key")
                try expect(equals, "field \(key) has no '='")
                fields.append((key, try fieldValue(key)))
            } while i < bytes.count && bytes[i] == comma
            var timestamp: Int64? = nil
            if i < bytes.count {
                try expect(space, "expected a space before the timestamp")
                let start = i
                if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
                while i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }
                guard i > start, i == bytes.count, let t = Int64(String(decoding: bytes[start..<i], as: UTF8.self))
                else { throw fail("timestamp is not an integer") }
                timestamp = t
            }
            return LineProtocolPoint(measurement: measurement, tags: tags, fields: fields, timestamp: timestamp)
        }

        mutating func fieldValue(_ key: String) throws(LineProtocolError) -> LineProtocolValue {
            guard i < bytes.count else { throw fail("field \(key) has no value") }
            if bytes[i] == UInt8(ascii: "\"") {
                i += 1
                var out: [UInt8] = []
                while true {
                    guard i < bytes.count else { throw fail("string field \(key) is not closed") }
                    let b = bytes[i]
                    if b == UInt8(ascii: "\\") && i + 1 < bytes.count
                        && (bytes[i + 1] == UInt8(ascii: "\"") || bytes[i + 1] == UInt8(ascii: "\\"))
                    {
                        out.append(bytes[i + 1])
                        i += 2
                    } else if b == UInt8(ascii: "\"") {
                        i += 1
                        break
                    } else {
                        out.append(b)
                        i += 1
                    }
                }
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("field \(key) is not UTF-8") }
                return .string(s)
            }
            let start = i
            while i < bytes.count && bytes[i] != UInt8(ascii: ",") && bytes[i] != UInt8(ascii: " ") { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            switch text {
            case "t", "T", "true", "True", "TRUE": return .boolean(true)
            case "f", "F", "false", "False", "FALSE": return .boolean(false)
            default: break
            }
            if text.hasSuffix("i"), let v = Int64(text.dropLast()) { return .integer(v) }
            if text.hasSuffix("u"), let v = UInt64(text.dropLast()) { return .unsigned(v) }
            let numeric = text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 || $0 == 43 || $0 == 101 || $0 == 69 }
            if numeric, let v = Double(text), v.isFinite { return .float(v) }
            i = start
            throw fail("field \(key) has an invalid value \(text.debugDescription)")
        }
    }
}
