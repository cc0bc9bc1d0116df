/// Writes DataFlash and ULog records as JSON lines that compare directly with the Python references.
///
/// DataFlash lines are spelled as pymavlink's `mavlogdump.py --format json` spells them:
/// `{"meta": {"type": "GPS", "timestamp": 12.5}, "data": {"TimeUS": 12500000, …}}` (Python `repr` floats,
/// `ensure_ascii` strings, `a` arrays as lists). ULog lines carry a `kind`; data lines are
/// `{"kind": "data", "topic": "sensor_combined", "multi_id": 0, "timestamp": 123, "data": {…}}` with the
/// fields flattened as pyulog flattens them (padding left out).
public struct FlightLogJSONWriter: Sendable {
    public init() {}

    // MARK: - DataFlash

    /// Appends one DataFlash message (`timestamp` in seconds, see ``DataFlashClock``; nil before the first
    /// timed message, printed as DFReader prints its initial time base: the integer `0`).
    public func write(_ message: DataFlashMessage, timestamp: Double?, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"meta\": {\"type\": ".utf8)
        JSONLineWriter.appendString(message.format.name, to: &out)
        out.append(contentsOf: ", \"timestamp\": ".utf8)
        if let timestamp { JSONLineWriter.appendDouble(timestamp, to: &out) } else { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: "}, \"data\": {".utf8)
        let body = message.body.baseAddress!
        for (i, field) in message.format.fields.enumerated() {
            if i > 0 { out.append(contentsOf: ", ".utf8) }
            JSONLineWriter.appendString(field.name, to: &out)
            out.append(contentsOf: ": ".utf8)
            Self.append(field.value(in: body), to: &out)
        }
        out.append(contentsOf: "}}\n".utf8)
    }

    // MARK: - ULog

    /// Appends one ULog event.
    public func write(_ event: ULogEvent, to out: inout [UInt8]) {
        switch event {
        case .data(let data):
            out.append(contentsOf: "{\"kind\": \"data\", \"topic\": ".utf8)
            JSONLineWriter.appendString(data.subscription.name, to: &out)
            out.append(contentsOf: ", \"multi_id\": ".utf8)
            JSONLineWriter.appendInteger(UInt64(data.subscription.multiID), to: &out)
            out.append(contentsOf: ", \"timestamp\": ".utf8)
            JSONLineWriter.appendInteger(data.timestamp, to: &out)
            out.append(contentsOf: ", \"data\": {".utf8)
            let body = data.body.baseAddress!
            for (i, field) in data.subscription.fields.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                JSONLineWriter.appendString(field.name, to: &out)
                out.append(contentsOf: ": ".utf8)
                Self.append(field.value(in: body), to: &out)
            }
            out.append(contentsOf: "}}\n".utf8)
        case .flagBits(let flags):
            line(&out, "flag_bits") {
                $0.append(contentsOf: ", \"compat\": ".utf8)
                Self.append(.bytes(flags.compatFlags), to: &$0)
                $0.append(contentsOf: ", \"incompat\": ".utf8)
                Self.append(.bytes(flags.incompatFlags), to: &$0)
                $0.append(contentsOf: ", \"appended_offsets\": [".utf8)
                $0.append(contentsOf: flags.appendedOffsets.map(String.init).joined(separator: ", ").utf8)
                $0.append(UInt8(ascii: "]"))
            }
        case .format(let format):
            line(&out, "format") {
                $0.append(contentsOf: ", \"name\": ".utf8)
                JSONLineWriter.appendString(format.name, to: &$0)
                $0.append(contentsOf: ", \"fields\": [".utf8)
                for (i, f) in format.fields.enumerated() {
                    if i > 0 { $0.append(contentsOf: ", ".utf8) }
                    JSONLineWriter.appendString(f.arraySize > 0 ? "\(f.typeName)[\(f.arraySize)] \(f.name)" : "\(f.typeName) \(f.name)", to: &$0)
                }
                $0.append(UInt8(ascii: "]"))
            }
        case .info(let kv):
            keyValue(&out, "info", kv, extra: nil)
        case .multiInfo(let kv, let continued):
            keyValue(&out, "info_multiple", kv, extra: ("is_continued", continued ? "true" : "false"))
        case .parameter(let kv, let initial, let timestamp):
            keyValue(&out, initial ? "parameter" : "parameter_change", kv, extra: ("timestamp", String(timestamp)))
        case .parameterDefault(let kv, let types):
            keyValue(&out, "parameter_default", kv, extra: ("default_types", String(types)))
        case .subscription(let sub):
            line(&out, "subscription") {
                $0.append(contentsOf: ", \"topic\": ".utf8)
                JSONLineWriter.appendString(sub.name, to: &$0)
                $0.append(contentsOf: ", \"multi_id\": \(sub.multiID), \"msg_id\": \(sub.msgID)".utf8)
            }
        case .unsubscription(let msgID):
            line(&out, "unsubscription") { $0.append(contentsOf: ", \"msg_id\": \(msgID)".utf8) }
        case .logString(let log):
            line(&out, log.tag == nil ? "log" : "log_tagged") {
                $0.append(contentsOf: ", \"level\": \(log.level)".utf8)
                if let tag = log.tag { $0.append(contentsOf: ", \"tag\": \(tag)".utf8) }
                $0.append(contentsOf: ", \"timestamp\": \(log.timestamp), \"message\": ".utf8)
                JSONLineWriter.appendString(log.message, to: &$0)
            }
        case .sync(let offset):
            line(&out, "sync") { $0.append(contentsOf: ", \"offset\": \(offset)".utf8) }
        case .dropout(let duration, let timestamp):
            line(&out, "dropout") { $0.append(contentsOf: ", \"duration\": \(duration), \"timestamp\": \(timestamp)".utf8) }
        }
    }

    private func line(_ out: inout [UInt8], _ kind: String, _ body: (inout [UInt8]) -> Void) {
        out.append(contentsOf: "{\"kind\": \"\(kind)\"".utf8)
        body(&out)
        out.append(contentsOf: "}\n".utf8)
    }

    private func keyValue(_ out: inout [UInt8], _ kind: String, _ kv: ULogKeyValue, extra: (String, String)?) {
        line(&out, kind) {
            $0.append(contentsOf: ", \"key\": ".utf8)
            JSONLineWriter.appendString(kv.key, to: &$0)
            $0.append(contentsOf: ", \"type\": ".utf8)
            JSONLineWriter.appendString(kv.typeName, to: &$0)
            $0.append(contentsOf: ", \"value\": ".utf8)
            Self.append(kv.value, to: &$0)
            if let (k, v) = extra { $0.append(contentsOf: ", \"\(k)\": \(v)".utf8) }
        }
    }

    // MARK: - Values

    /// Appends one value as Python's `json.dumps` would print the reference's value.
    public static func append(_ value: LogValue, to out: inout [UInt8]) {
        switch value {
        case .signed(let v): JSONLineWriter.appendSigned(v, to: &out)
        case .unsigned(let v): JSONLineWriter.appendInteger(v, to: &out)
        case .float(let v): JSONLineWriter.appendDouble(Double(v), to: &out)
        case .double(let v): JSONLineWriter.appendDouble(v, to: &out)
        case .text(let s): JSONLineWriter.appendString(s, to: &out)
        case .signedArray(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                JSONLineWriter.appendSigned(v, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .bytes(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                JSONLineWriter.appendInteger(UInt64(v), to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}

/// The timestamps pymavlink's DFReader gives DataFlash messages with `zero_time_base=True` (its
/// microsecond clock): `TimeUS × 1e-6` for messages that start with `TimeUS`, `TimeMS × 0.001` for messages
/// that start with `TimeMS` (not ACC*/GYR*, never going back), else the previous message's time.
public struct DataFlashClock: Sendable {
    /// The last timestamp given, seconds; nil until a message carried a time.
    public private(set) var timestamp: Double?

    public init() {}

    /// The timestamp for `message`, in seconds since boot (nil while no message has carried a time).
    public mutating func timestamp(for message: DataFlashMessage) -> Double? {
        let fields = message.format.fields
        guard let first = fields.first else { return timestamp }
        if let t = message.timeMicros {
            timestamp = Double(t) * 0.000001
        } else if first.name == "TimeMS", !message.format.name.hasPrefix("ACC"), !message.format.name.hasPrefix("GYR"),
            let ms = message.value(0).doubleValue, ms * 0.001 >= (timestamp ?? 0)
        {
            timestamp = ms * 0.001
        } else if first.name == "TimeUS", let us = message.value(0).doubleValue {
            timestamp = us * 0.000001
        }
        return timestamp
    }
}
