#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads an ArduPilot DataFlash `.bin` log fed in chunks of any size, with memory flat in the file size.
///
/// Each message is `A3 95`, a type byte and a body whose length the type's FMT record (type 128) gives.
/// FMT records define types as they arrive; FMTU, UNIT and MULT add units, multipliers and the instance
/// field (`#`); PARM records are collected in ``parameters``; MSG, EV and ERR in ``events``. Bytes that do
/// not start a message of a known type are skipped (counted in ``statistics``) up to the next `A3 95`
/// header, as pymavlink's DFReader does. A message cut by the end of the file is reported in
/// ``truncation``; everything before it has been delivered.
///
/// ```swift
/// var reader = DataFlashReader()
/// try ChunkedFileReader(path: "flight.bin").forEachChunk { chunk in
///     reader.feed(chunk) { message in print(message.name, message.values) }
/// }
/// reader.finish { _ in }
/// ```
public struct DataFlashReader: Sendable {
    /// Counters.
    public private(set) var statistics = DataFlashStatistics()
    /// Parameters from PARM records, in file order.
    public private(set) var parameters: [DataFlashParameter] = []
    /// MSG, EV and ERR records, in file order.
    public private(set) var events: [DataFlashLogEvent] = []
    /// UNIT records: unit id character → unit label.
    public private(set) var units: [UInt8: String] = [:]
    /// MULT records: multiplier id character → multiplier.
    public private(set) var multipliers: [UInt8: Double] = [:]
    /// Set by ``finish(_:)`` when the file ends inside a message.
    public private(set) var truncation: LogTruncation?
    /// Problems the reader stepped over (bad FMT records, …).
    public private(set) var diagnostics = LogDiagnostics()

    /// Formats by type byte (nil: not defined).
    var table: [DataFlashFormat?]
    /// Message length by type byte; 0 when the type is not defined.
    var lengths: [Int]
    /// What the reader does with a type besides delivering it (``Role``).
    var roles: [Role]
    /// Lengths of types whose FMT could not be used: such messages are skipped whole.
    var badLengths: [Int]

    var carry: [UInt8] = []
    /// File offset of the first byte of `carry` (or of the next chunk when `carry` is empty).
    var position = 0
    var inGarbage = false

    /// Metadata types the reader interprets by name.
    enum Role: UInt8, Sendable {
        case none, fmt, fmtu, unit, mult, parm, msg, ev, err
    }

    /// The largest message a DataFlash log can hold (a one-byte length).
    static let maxMessage = 255

    /// A reader that knows only FMT.
    public init() {
        table = [DataFlashFormat?](repeating: nil, count: 256)
        lengths = [Int](repeating: 0, count: 256)
        roles = [Role](repeating: .none, count: 256)
        badLengths = [Int](repeating: 0, count: 256)
        table[0x80] = DataFlashFormat.fmt
        lengths[0x80] = DataFlashFormat.fmt.length
        roles[0x80] = .fmt
    }

    /// The formats defined so far, by type byte.
    public var formats: [UInt8: DataFlashFormat] {
        var out: [UInt8: DataFlashFormat] = [:]
        for (i, f) in table.enumerated() where f != nil { out[UInt8(i)] = f }
        return out
    }

    /// Whether `prefix` starts like a DataFlash log (an FMT record).
    public static func looksLikeDataFlash(_ prefix: UnsafeRawBufferPointer) -> Bool {
        prefix.count >= 3 && prefix[0] == 0xA3 && prefix[1] == 0x95 && prefix[2] == 0x80
    }

    // MARK: - Feeding

    /// Feeds the next chunk; `onMessage` is called for every complete message, in order.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ onMessage: (DataFlashMessage) throws -> Void) rethrows {
        statistics.bytes += chunk.count
        // The carry is moved out while the scanner (a mutating method of this reader) runs, then put back.
        var pending = ChunkCarry(bytes: carry, position: position)
        carry = []
        defer {
            carry = pending.bytes
            position = pending.position
        }
        try pending.feed(chunk, maxMessage: Self.maxMessage) { base, count, limit, start in
            try scan(base, count: count, limit: limit, start: start, onMessage)
        }
    }

    /// Feeds an array of bytes.
    public mutating func feed(_ chunk: [UInt8], _ onMessage: (DataFlashMessage) throws -> Void) rethrows {
        try chunk.withUnsafeBytes { try feed($0, onMessage) }
    }

    /// Ends the stream: what is left is a message cut by the end of the file (reported in ``truncation``)
    /// or trailing garbage (counted as skipped).
    public mutating func finish(_ onMessage: (DataFlashMessage) throws -> Void) rethrows {
        guard !carry.isEmpty else { return }
        let bytes = carry
        carry.removeAll()
        let start = position
        try bytes.withUnsafeBytes { buffer in
            // Skip leading garbage; stop at the first (necessarily incomplete) message start.
            let resume = try scan(buffer.baseAddress!, count: buffer.count, limit: buffer.count, start: start, onMessage)
            let left = buffer.count - resume
            guard left > 0 else { return }
            statistics.skippedBytes += left
            // One or two trailing bytes that cannot start a header are garbage, not a cut message.
            if left < 3 && (buffer[resume] != 0xA3 || (left == 2 && buffer[resume + 1] != 0x95)) { return }
            var name: String?
            var reason = "\(left) bytes at the end do not hold a whole message"
            if left >= 3 && buffer[resume] == 0xA3 && buffer[resume + 1] == 0x95, let format = table[Int(buffer[resume + 2])] {
                name = format.name
                reason = "\(format.name) needs \(format.length) bytes, the file has \(left)"
            } else if left < 3 && buffer[resume] == 0xA3 {
                reason = "the file ends inside a message header (\(left) of 3 bytes)"
            }
            truncation = LogTruncation(offset: start + resume, droppedBytes: left, messageName: name, reason: reason)
        }
        position += bytes.count
    }

    // MARK: - Scanning

    /// Delivers messages that start before `limit`; returns the offset of the first unresolved byte.
    mutating func scan(
        _ base: UnsafeRawPointer, count: Int, limit: Int, start: Int, _ onMessage: (DataFlashMessage) throws -> Void
    ) rethrows -> Int {
        var i = 0
        while i < limit {
            guard count - i >= 3 else { return i }
            let type = Int(base.load(fromByteOffset: i + 2, as: UInt8.self))
            let isHeader = base.load(fromByteOffset: i, as: UInt8.self) == 0xA3
                && base.load(fromByteOffset: i + 1, as: UInt8.self) == 0x95
            let length = lengths[type]
            if !isHeader || length == 0 {
                if isHeader && badLengths[type] > 0 {
                    // A type whose FMT could not be used: skip the whole message by its stated length.
                    let bad = badLengths[type]
                    guard count - i >= bad else { return i }
                    statistics.undecodableMessages += 1
                    statistics.skippedBytes += bad
                    i += bad
                    continue
                }
                // Garbage: find the next 0xA3 before `limit`.
                if !inGarbage {
                    inGarbage = true
                    statistics.resyncs += 1
                }
                let from = i + 1
                var next = limit
                if from < limit, let hit = memchr(base + from, 0xA3, limit - from) {
                    next = base.distance(to: UnsafeRawPointer(hit))
                }
                statistics.skippedBytes += next - i
                i = next
                continue
            }
            guard count - i >= length else { return i }
            inGarbage = false
            let body = UnsafeRawBufferPointer(start: base + i + 3, count: length - 3)
            let message = DataFlashMessage(format: table[type].unsafelyUnwrapped, offset: start + i, body: body)
            statistics.messages &+= 1
            statistics.countsByType[type] &+= 1
            if roles[type] != .none { interpret(message, role: roles[type]) }
            try onMessage(message)
            i += length
        }
        return i
    }

    // MARK: - Metadata

    mutating func interpret(_ message: DataFlashMessage, role: Role) {
        switch role {
        case .none: return
        case .fmt: define(message)
        case .fmtu: applyUnits(message)
        case .unit:
            if let id = message["Id"].flatMap(Self.integer), case .text(let label)? = message["Label"] {
                units[UInt8(truncatingIfNeeded: id)] = label
            }
        case .mult:
            if let id = message["Id"].flatMap(Self.integer), let mult = message["Mult"]?.doubleValue {
                multipliers[UInt8(truncatingIfNeeded: id)] = mult
            }
        case .parm:
            guard case .text(let name)? = message["Name"], case .float(let value)? = message["Value"] else { return }
            var defaultValue: Float?
            if case .float(let d)? = message["Default"], !d.isNaN { defaultValue = d }
            parameters.append(
                DataFlashParameter(
                    timeMicros: message.timeMicros, name: name, value: value, defaultValue: defaultValue, offset: message.offset))
        case .msg:
            if case .text(let text)? = message["Message"] {
                events.append(DataFlashLogEvent(timeMicros: message.timeMicros, kind: .text(text), offset: message.offset))
            }
        case .ev:
            if let id = message["Id"].flatMap(Self.integer) {
                events.append(DataFlashLogEvent(timeMicros: message.timeMicros, kind: .event(id: id), offset: message.offset))
            }
        case .err:
            if let subsystem = message["Subsys"].flatMap(Self.integer), let code = message["ECode"].flatMap(Self.integer) {
                events.append(
                    DataFlashLogEvent(
                        timeMicros: message.timeMicros, kind: .error(subsystem: subsystem, code: code), offset: message.offset))
            }
        }
    }

    static func integer(_ value: LogValue) -> Int64? {
        switch value {
        case .signed(let v): v
        case .unsigned(let v): Int64(truncatingIfNeeded: v)
        default: nil
        }
    }

    /// An FMT record: define (or redefine) a type, keeping units and the instance field of an earlier definition.
    mutating func define(_ message: DataFlashMessage) {
        let body = message.body
        // The layout below is FMT's own (89 bytes); a log that redefines FMT differently is not followed.
        guard body.count >= 86 else { return }
        let type = Int(body[0])
        let length = Int(body[1])
        let name = LogValue.text(from: UnsafeRawBufferPointer(rebasing: body[2..<6]))
        let format = LogValue.text(from: UnsafeRawBufferPointer(rebasing: body[6..<22]))
        let columns = LogValue.text(from: UnsafeRawBufferPointer(rebasing: body[22..<86]))
        do throws(LogReadError) {
            if type == 0x80 && (length != 89 || format != "BBnNZ") {
                throw LogReadError(.badFormat, offset: message.offset, messageName: name, "FMT cannot be redefined as \(length) bytes \"\(format)\"")
            }
            guard length >= 3 else {
                throw LogReadError(.badFormat, offset: message.offset, messageName: name, "length \(length) is shorter than the header")
            }
            var defined = try DataFlashFormat(
                type: UInt8(type), name: name, length: length, format: format, columns: columns, offset: message.offset)
            if let old = table[type] {
                // As pymavlink: a redefinition keeps the units and instance field FMTU gave the old one.
                for (i, field) in old.fields.enumerated() {
                    if let j = defined.fieldIndex(field.name) {
                        defined.fields[j].unit = field.unit
                        defined.fields[j].multiplier = field.multiplier
                        if old.instanceFieldIndex == i { defined.instanceFieldIndex = j }
                    }
                }
            }
            table[type] = defined
            lengths[type] = length
            badLengths[type] = 0
            statistics.formats += 1
            roles[type] = Self.role(of: name)
        } catch {
            diagnostics.append(error)
            if type != 0x80 && length >= 3 {
                table[type] = nil
                lengths[type] = 0
                badLengths[type] = length
                roles[type] = .none
            }
        }
    }

    static func role(of name: String) -> Role {
        switch name {
        case "FMT": .fmt
        case "FMTU": .fmtu
        case "UNIT": .unit
        case "MULT": .mult
        case "PARM": .parm
        case "MSG": .msg
        case "EV": .ev
        case "ERR": .err
        default: .none
        }
    }

    /// An FMTU record: units, multipliers and the instance marker `#` for another type's fields.
    mutating func applyUnits(_ message: DataFlashMessage) {
        guard let typeValue = message["FmtType"].flatMap(Self.integer), (0..<256).contains(typeValue),
            var format = table[Int(typeValue)]
        else { return }
        if case .text(let ids)? = message["UnitIds"] {
            for (i, id) in ids.utf8.enumerated() where i < format.fields.count {
                if id == UInt8(ascii: "#") { format.instanceFieldIndex = i }
                format.fields[i].unit = units[id]
            }
        }
        if case .text(let ids)? = message["MultIds"] {
            for (i, id) in ids.utf8.enumerated() where i < format.fields.count {
                format.fields[i].multiplier = multipliers[id]
            }
        }
        table[Int(typeValue)] = format
    }
}
