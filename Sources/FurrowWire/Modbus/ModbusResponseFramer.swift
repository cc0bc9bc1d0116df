/// Collects the response to one request from bytes that arrive in pieces, and parses it once complete.
///
/// RTU has no start marker or length prefix: the length follows from the request and, for reads, the
/// byte count in the third byte; an exception is 5 bytes. Bytes before the slave id (a turnaround glitch,
/// often one 0x00) are skipped and counted. The transport calls `append(_:)` with what it reads and
/// `silenceElapsed()` when 3.5 character times pass with a frame still incomplete.
///
/// ```swift
/// var framer = ModbusResponseFramer(request: request)
/// if let response = try framer.append(chunk) { … }   // nil: need more bytes
/// ```
public struct ModbusResponseFramer: Sendable {
    public let request: ModbusRequest
    /// How many stray bytes may precede the slave id before the response is given up on.
    public let maximumSkippedBytes: Int
    /// Stray bytes skipped before the slave id so far.
    public private(set) var skippedBytes = 0
    var buffer: [UInt8] = []
    var done = false

    public init(request: ModbusRequest, maximumSkippedBytes: Int = 8) {
        self.request = request
        self.maximumSkippedBytes = maximumSkippedBytes
        buffer.reserveCapacity(request.expectedResponseLength ?? 8)
    }

    /// Bytes held for an incomplete frame.
    public var bufferedCount: Int { buffer.count }

    /// Adds received bytes; returns the parsed response once its frame is complete, nil while more is needed.
    ///
    /// Bytes after a complete frame are ignored. - Throws: what `ModbusResponse.parse` throws, `.wrongFunction`
    /// as soon as the second byte shows a foreign function code, `.wrongSlave` after too many stray bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) throws(ModbusError) -> ModbusResponse? {
        guard !done else { return nil }
        for byte in bytes {
            if buffer.isEmpty && byte != request.slave {
                skippedBytes += 1
                if skippedBytes > maximumSkippedBytes {
                    done = true
                    throw ModbusError(code: .wrongSlave, slave: request.slave, function: request.function.code,
                                      reason: "\(skippedBytes) bytes arrived without slave id \(request.slave) (wrong id, baud rate or a second master?)")
                }
                continue
            }
            buffer.append(byte)
            guard let length = try frameLength() else { continue }
            if buffer.count == length {
                done = true
                let frame = buffer
                buffer.removeAll()
                return try ModbusResponse.parse(frame, for: request)
            }
        }
        return nil
    }

    /// The transport saw ≥ 3.5 character times of silence: an incomplete frame is truncated.
    ///
    /// - Throws: `.truncated` when bytes of an unfinished frame are held; nothing otherwise.
    public mutating func silenceElapsed() throws(ModbusError) {
        guard !done, !buffer.isEmpty else { return }
        let count = buffer.count
        buffer.removeAll()
        done = true
        throw ModbusError(code: .truncated, slave: request.slave, function: request.function.code,
                          reason: "the line went silent after \(count) bytes of a response (\(frameLengthText()))")
    }

    func frameLengthText() -> String {
        request.expectedResponseLength.map { "\($0) expected" } ?? "no response expected"
    }

    /// The full frame length once enough of the header is in, nil before that.
    mutating func frameLength() throws(ModbusError) -> Int? {
        guard buffer.count >= 2 else { return nil }
        let fc = request.function.code
        if buffer[1] == fc | 0x80 { return 5 }
        guard buffer[1] == fc else {
            done = true
            throw ModbusError(code: .wrongFunction, slave: request.slave, function: fc,
                              reason: "answer carries function \(buffer[1]), request was function \(fc)")
        }
        switch request.function {
        case .readHoldingRegisters, .readInputRegisters:
            guard buffer.count >= 3 else { return nil }
            return 5 + Int(buffer[2])
        case .writeSingleRegister, .writeMultipleRegisters:
            return 8
        }
    }
}
