#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a PX4 ULog `.ulg` file fed in chunks of any size, with memory flat in the file size.
///
/// The 16-byte header (magic `ULog\x01\x12\x35`, version, start time) comes first; then messages
/// `{u16 size, u8 type, body}`: flag bits 'B', formats 'F' (nested, arrays, `_padding` fields), info 'I',
/// multi-info 'M', parameters 'P' and defaults 'Q', subscriptions 'A' (with `multi_id`) and 'R', data 'D',
/// logged strings 'L' and tagged 'C', sync 'S' and dropouts 'O'. Data appended after a crash (flag bit,
/// offsets in 'B') is followed as pyulog follows it: a message that runs over an appended-data offset is
/// dropped and reading goes on at the offset. After a corrupt header (type 0, size 0 or above 10 000, as
/// pyulog judges) the reader looks for the next sync message. A message cut by the end of the file is
/// reported in ``truncation``; everything before it has been delivered.
public struct ULogReader: Sendable {
    /// The file header, once read.
    public private(set) var header: ULogHeader?
    /// The flag bits, if the log has them.
    public private(set) var flagBits: ULogFlagBits?
    /// Formats by name.
    public private(set) var formats: [String: ULogFormat] = [:]
    /// Subscriptions in the order they were added.
    public private(set) var subscriptions: [ULogSubscription] = []
    /// Counters.
    public private(set) var statistics = ULogStatistics()
    /// Set by ``finish(_:)`` when the file ends inside a message.
    public private(set) var truncation: LogTruncation?
    /// Problems the reader stepped over.
    public private(set) var diagnostics = LogDiagnostics()
    /// The largest data timestamp so far (starts at the header's), used to date dropouts and parameter changes.
    public private(set) var lastTimestamp: UInt64 = 0
    /// Whether the reader is still in the definitions section (before the first 'A', 'L' or 'C').
    public private(set) var inDefinitions = true

    /// Subscription index + 1 by msg_id (0: none).
    var subscriptionIndex = [Int32](repeating: 0, count: 65536)
    var carry: [UInt8] = []
    /// File offset of the first byte of `carry`, or of the next chunk when `carry` is empty.
    var position = 0
    /// Appended-data offsets not reached yet.
    var appendedOffsets: [Int] = []
    /// Skip bytes until this file offset (appended data).
    var skipUntil = 0
    /// Searching for a sync message after corruption.
    var seekingSync = false

    /// `ULog` + `01 12 35`.
    public static let magic: [UInt8] = [0x55, 0x4C, 0x6F, 0x67, 0x01, 0x12, 0x35]
    /// The sync message's payload.
    public static let syncBytes: [UInt8] = [0x2F, 0x73, 0x13, 0x20, 0x25, 0x0C, 0xBB, 0x12]
    static let maxMessage = 3 + 65535

    public init() {}

    /// Whether `prefix` starts with the ULog magic.
    public static func looksLikeULog(_ prefix: UnsafeRawBufferPointer) -> Bool {
        prefix.count >= 7 && zip(prefix.prefix(7), magic).allSatisfy { $0 == $1 }
    }

    /// The subscription for a data message id.
    public func subscription(msgID: UInt16) -> ULogSubscription? {
        let i = Int(subscriptionIndex[Int(msgID)])
        return i == 0 ? nil : subscriptions[i - 1]
    }

    // MARK: - Feeding

    /// Feeds the next chunk; `onEvent` is called for every message, in order.
    /// - Throws: ``LogReadError`` when the file is not a ULog (`bad-magic`) or sets incompatible flags this
    ///   reader does not know (`incompatible-flags`); errors `onEvent` throws.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ onEvent: (ULogEvent) throws -> Void) throws {
        statistics.bytes += chunk.count
        // The carry is moved out while the scanner (a mutating method of this reader) runs, then put back.
        var pending = ChunkCarry(bytes: carry, position: position)
        carry = []
        defer {
            carry = pending.bytes
            position = pending.position
        }
        try pending.feed(chunk, maxMessage: Self.maxMessage) { base, count, limit, start in
            try scan(base, count: count, limit: limit, start: start, onEvent)
        }
    }

    /// Feeds an array of bytes.
    public mutating func feed(_ chunk: [UInt8], _ onEvent: (ULogEvent) throws -> Void) throws {
        try chunk.withUnsafeBytes { try feed($0, onEvent) }
    }

    /// Ends the stream: a message cut by the end of the file is reported in ``truncation``.
    /// - Throws: ``LogReadError`` (`short-header`) when the file ended within the 16-byte header.
    public mutating func finish(_ onEvent: (ULogEvent) throws -> Void) throws {
        let bytes = carry
        carry.removeAll()
        let start = position
        position += bytes.count
        guard header != nil else {
            throw LogReadError(.shortHeader, offset: 0, "the file has \(bytes.count) bytes, a ULog header takes 16")
        }
        guard !bytes.isEmpty else { return }
        statistics.skippedBytes += bytes.count
        if seekingSync || start < skipUntil {
            return  // Bytes being skipped anyway: not a cut message.
        }
        var name: String?
        var reason = "the file ends inside a message header (\(bytes.count) of 3 bytes)"
        if bytes.count >= 3 {
            let size = Int(bytes[0]) | Int(bytes[1]) << 8
            let type = bytes[2]
            name = String(UnicodeScalar(type))
            if type == UInt8(ascii: "D") && bytes.count >= 5 {
                let msgID = UInt16(bytes[3]) | UInt16(bytes[4]) << 8
                if let sub = subscription(msgID: msgID) { name = "D:\(sub.name)" }
            }
            reason = "message '\(String(UnicodeScalar(type)))' needs \(3 + size) bytes, the file has \(bytes.count)"
        }
        truncation = LogTruncation(offset: start, droppedBytes: bytes.count, messageName: name, reason: reason)
    }

    // MARK: - Scanning

    /// Delivers messages that start before `limit`; returns the offset of the first unresolved byte.
    mutating func scan(
        _ base: UnsafeRawPointer, count: Int, limit: Int, start: Int, _ onEvent: (ULogEvent) throws -> Void
    ) throws -> Int {
        var i = 0
        if header == nil {
            guard count >= 16 else { return 0 }
            guard Self.looksLikeULog(UnsafeRawBufferPointer(start: base, count: 7)) else {
                throw LogReadError(.badMagic, offset: 0, "the file does not start with the ULog magic bytes 55 4C 6F 67 01 12 35")
            }
            let timestamp = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            header = ULogHeader(version: base.load(fromByteOffset: 7, as: UInt8.self), timestamp: timestamp)
            lastTimestamp = timestamp
            i = 16
        }
        while i < limit {
            let at = start + i
            if at < skipUntil {
                let n = Swift.min(skipUntil - at, count - i)
                statistics.skippedBytes += n
                i += n
                continue
            }
            if seekingSync {
                // Look for the sync payload; resume right after it.
                if let hit = Self.find(Self.syncBytes, in: base + i, count: count - i) {
                    statistics.skippedBytes += hit + 8
                    i += hit + 8
                    seekingSync = false
                    continue
                }
                // Keep the last 7 bytes: the pattern may straddle the chunk boundary.
                let keep = Swift.min(7, count - i)
                let drop = count - i - keep
                if drop <= 0 { return i }
                statistics.skippedBytes += drop
                i += drop
                if i >= limit { return i }
                return i
            }
            guard count - i >= 3 else { return i }
            let size = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
            let type = base.load(fromByteOffset: i + 2, as: UInt8.self)
            if let next = appendedOffsets.first {
                if at >= next {
                    appendedOffsets.removeFirst()
                    continue
                }
                if at + 3 + size > next {
                    // pyulog reads up to the appended-data offset and no further.
                    appendedOffsets.removeFirst()
                    skipUntil = next
                    continue
                }
            }
            let known = Self.knownTypes[Int(type)]
            if !known && (type == 0 || size == 0 || size > 10000) {
                // A corrupt header (pyulog's test): step one byte, then look for a sync message.
                diagnostics.append(LogReadError(.badMessage, offset: at, "corrupt message header (type \(type), size \(size))"))
                statistics.resyncs += 1
                statistics.skippedBytes += 1
                i += 1
                seekingSync = true
                continue
            }
            guard count - i >= 3 + size else { return i }
            let body = UnsafeRawBufferPointer(start: base + i + 3, count: size)
            statistics.messages &+= 1
            i += 3 + size
            if !known {
                statistics.unknownMessages += 1
                // As pyulog: a sync message inside an unknown message's payload is where to go on.
                if let hit = Self.find(Self.syncBytes, in: body.baseAddress!, count: size) {
                    i = i - size + hit + 8
                }
                continue
            }
            if type == UInt8(ascii: "D") {
                guard size >= 2 else {
                    statistics.badDataMessages += 1
                    continue
                }
                let msgID = Int(UInt16(littleEndian: body.loadUnaligned(as: UInt16.self)))
                let index = Int(subscriptionIndex[msgID])
                guard index > 0 else {
                    statistics.badDataMessages += 1
                    diagnostics.append(LogReadError(.unknownSubscription, offset: at, messageName: "D", "no subscription for msg_id \(msgID)"))
                    continue
                }
                let sub = subscriptions[index - 1]
                let dataSize = size - 2
                guard dataSize >= sub.size && dataSize <= sub.paddedSize else {
                    statistics.badDataMessages += 1
                    diagnostics.append(
                        LogReadError(
                            .badSize, offset: at, messageName: "D:\(sub.name)",
                            "\(dataSize) data bytes, the format takes \(sub.size)…\(sub.paddedSize)"))
                    continue
                }
                let data = ULogData(
                    subscription: sub, offset: at, body: UnsafeRawBufferPointer(start: body.baseAddress! + 2, count: dataSize))
                let t = data.timestamp
                if t > lastTimestamp { lastTimestamp = t }
                statistics.dataMessages &+= 1
                try onEvent(.data(data))
            } else {
                try handle(type: type, body: body, at: at, onEvent)
            }
        }
        return i
    }

    static let knownTypes: [Bool] = (0..<256).map { "BFIMPQARDLCSO".utf8.contains(UInt8($0)) }

    static func find(_ pattern: [UInt8], in p: UnsafeRawPointer, count: Int) -> Int? {
        guard count >= pattern.count else { return nil }
        var from = 0
        while from <= count - pattern.count {
            guard let hit = memchr(p + from, Int32(pattern[0]), count - pattern.count + 1 - from) else { return nil }
            let j = p.distance(to: UnsafeRawPointer(hit))
            if memcmp(p + j, pattern, pattern.count) == 0 { return j }
            from = j + 1
        }
        return nil
    }

    // MARK: - Messages other than data

    mutating func handle(type: UInt8, body: UnsafeRawBufferPointer, at: Int, _ onEvent: (ULogEvent) throws -> Void) throws {
        let name = String(UnicodeScalar(type))
        do {
            switch type {
            case UInt8(ascii: "B"):
                guard body.count >= 16 else { throw LogReadError(.badSize, offset: at, messageName: name, "\(body.count) bytes, flag bits take 40") }
                var offsets: [UInt64] = []
                for k in 0..<3 where 16 + 8 * (k + 1) <= body.count {
                    offsets.append(UInt64(littleEndian: body.loadUnaligned(fromByteOffset: 16 + 8 * k, as: UInt64.self)))
                }
                while offsets.last == 0 { offsets.removeLast() }
                let flags = ULogFlagBits(
                    compatFlags: Array(body[0..<8]), incompatFlags: Array(body[8..<16]), appendedOffsets: offsets)
                if flags.incompatFlags[0] & ~1 != 0 || flags.incompatFlags[1...].contains(where: { $0 != 0 }) {
                    throw LogReadError(
                        .incompatibleFlags, offset: at, messageName: name,
                        "unknown incompatible flag bits \(flags.incompatFlags): the log cannot be read")
                }
                flagBits = flags
                if flags.hasAppendedData {
                    appendedOffsets = offsets.map { Int(clamping: $0) }.filter { $0 > at }
                }
                try onEvent(.flagBits(flags))
            case UInt8(ascii: "F"):
                let format = try ULogFormat(text: Self.text(body), offset: at)
                formats[format.name] = format
                try onEvent(.format(format))
            case UInt8(ascii: "I"):
                try onEvent(.info(try Self.keyValue(body, at: at, name: name)))
            case UInt8(ascii: "M"):
                guard body.count >= 1 else { throw LogReadError(.badSize, offset: at, messageName: name, "empty") }
                let value = try Self.keyValue(UnsafeRawBufferPointer(rebasing: body[1...]), at: at, name: name)
                try onEvent(.multiInfo(value, isContinued: body[0] != 0))
            case UInt8(ascii: "P"):
                let value = try Self.keyValue(body, at: at, name: name)
                try onEvent(.parameter(value, initial: inDefinitions, timestamp: lastTimestamp))
            case UInt8(ascii: "Q"):
                guard body.count >= 1 else { throw LogReadError(.badSize, offset: at, messageName: name, "empty") }
                let value = try Self.keyValue(UnsafeRawBufferPointer(rebasing: body[1...]), at: at, name: name)
                try onEvent(.parameterDefault(value, defaultTypes: body[0]))
            case UInt8(ascii: "A"):
                inDefinitions = false
                guard body.count >= 3 else { throw LogReadError(.badSize, offset: at, messageName: name, "\(body.count) bytes") }
                let msgID = UInt16(littleEndian: body.loadUnaligned(fromByteOffset: 1, as: UInt16.self))
                let topic = Self.text(UnsafeRawBufferPointer(rebasing: body[3...]))
                let sub = try ULogSubscription(name: topic, multiID: body[0], msgID: msgID, formats: formats, offset: at)
                subscriptions.append(sub)
                subscriptionIndex[Int(msgID)] = Int32(subscriptions.count)
                try onEvent(.subscription(sub))
            case UInt8(ascii: "R"):
                guard body.count >= 2 else { throw LogReadError(.badSize, offset: at, messageName: name, "\(body.count) bytes") }
                try onEvent(.unsubscription(msgID: UInt16(littleEndian: body.loadUnaligned(as: UInt16.self))))
            case UInt8(ascii: "L"):
                inDefinitions = false
                guard body.count >= 9 else { throw LogReadError(.badSize, offset: at, messageName: name, "\(body.count) bytes") }
                try onEvent(
                    .logString(
                        ULogLogString(
                            level: body[0], tag: nil,
                            timestamp: UInt64(littleEndian: body.loadUnaligned(fromByteOffset: 1, as: UInt64.self)),
                            message: Self.text(UnsafeRawBufferPointer(rebasing: body[9...])))))
            case UInt8(ascii: "C"):
                inDefinitions = false
                guard body.count >= 11 else { throw LogReadError(.badSize, offset: at, messageName: name, "\(body.count) bytes") }
                try onEvent(
                    .logString(
                        ULogLogString(
                            level: body[0], tag: UInt16(littleEndian: body.loadUnaligned(fromByteOffset: 1, as: UInt16.self)),
                            timestamp: UInt64(littleEndian: body.loadUnaligned(fromByteOffset: 3, as: UInt64.self)),
                            message: Self.text(UnsafeRawBufferPointer(rebasing: body[11...])))))
            case UInt8(ascii: "S"):
                statistics.syncs += 1
                try onEvent(.sync(offset: at))
            case UInt8(ascii: "O"):
                guard body.count >= 2 else { throw LogReadError(.badSize, offset: at, messageName: name, "\(body.count) bytes") }
                let duration = UInt16(littleEndian: body.loadUnaligned(as: UInt16.self))
                statistics.dropouts += 1
                statistics.dropoutMillis += Int(duration)
                try onEvent(.dropout(durationMillis: duration, timestamp: lastTimestamp))
            default:
                break
            }
        } catch let error as LogReadError {
            if error.code == .incompatibleFlags { throw error }
            diagnostics.append(error)
        }
    }

    /// pyulog's `parse_string` (UTF-8, invalid bytes dropped; NULs kept).
    static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        return String(String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0 != "\u{FFFD}" }.map(Character.init))
    }

    /// `u8 key_len, "type key", value`, as 'I', 'M', 'P' and 'Q' carry it.
    static func keyValue(_ body: UnsafeRawBufferPointer, at: Int, name: String) throws(LogReadError) -> ULogKeyValue {
        guard body.count >= 1, 1 + Int(body[0]) <= body.count else {
            throw LogReadError(.badSize, offset: at, messageName: name, "key length beyond the message")
        }
        let keyLength = Int(body[0])
        let typeKey = text(UnsafeRawBufferPointer(rebasing: body[1..<(1 + keyLength)]))
        guard let space = typeKey.firstIndex(of: " ") else {
            throw LogReadError(.badMessage, offset: at, messageName: name, "\"\(typeKey)\" is not \"type key\"")
        }
        let typeName = String(typeKey[..<space])
        let key = String(typeKey[typeKey.index(after: space)...].prefix { $0 != " " })
        let raw = UnsafeRawBufferPointer(rebasing: body[(1 + keyLength)...])
        let value: LogValue
        if typeName.hasPrefix("char[") {
            value = .text(text(raw))
        } else if let type = LogFieldType(ulogName: Substring(typeName)) {
            guard raw.count == type.size else {
                throw LogReadError(.badSize, offset: at, messageName: "\(name):\(key)", "\(raw.count) value bytes for \(typeName)")
            }
            value = type.load(raw.baseAddress!)
        } else {
            value = .bytes(Array(raw))
        }
        return ULogKeyValue(key: key, typeName: typeName, value: value)
    }
}
