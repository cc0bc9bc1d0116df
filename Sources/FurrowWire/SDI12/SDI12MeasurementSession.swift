/// Runs one SDI-12 measurement as a state machine a transport drives: bytes and timer expiries in, actions out.
///
/// It sends `aM!`/`aMC!`/`aMn!`, `aC!`/`aCC!`/`aCn!` or `aV!`, waits `ttt` seconds or (after M and V) for the
/// service request, then collects `aD0!`, `aD1!`… until the announced number of values has arrived. It owns
/// no I/O and no clock: the transport sends what `.send` says (preceded by a break, which is always legal),
/// keeps one timer armed as `.setTimer` says, and reports back through `receive(_:)` and `timerFired()`.
///
/// ```swift
/// var session = SDI12MeasurementSession(address: try SDI12Address("0"), kind: .measure(index: 0, crc: true))
/// var actions = session.start()      // [.send(0MC!), .setTimer(800 ms)]
/// actions = session.receive(bytes)   // "00102\r\n" → [.setTimer(10 s)]
/// ```
public struct SDI12MeasurementSession: Sendable {
    /// Which measurement command starts the session.
    public enum Kind: Sendable, Hashable {
        /// `aM!` (index 0) or `aM1!`…`aM9!`; with `crc`, `aMC!`…
        case measure(index: Int = 0, crc: Bool = false)
        /// `aC!` or `aC1!`…`aC9!`; with `crc`, `aCC!`… (no service request; wait the full ttt).
        case concurrent(index: Int = 0, crc: Bool = false)
        /// `aV!`: verification, answered like M.
        case verify
    }

    /// Timing and retry policy.
    public struct Configuration: Sendable, Hashable {
        /// How long to wait for a complete response line to a command. A sensor starts within 15 ms and a
        /// full 81-character line takes ~675 ms at 1200 baud 7E1.
        public var responseTimeout: Duration
        /// How many times one command is sent again after a timeout or an unusable response.
        public var retries: Int
        /// Added to `ttt` before D0 is sent when no service request came (slow sensor clocks).
        public var readyMargin: Duration
        /// Longest line kept while waiting for `<CR><LF>`; longer input is discarded as garbage.
        public var maximumLineLength: Int

        public init(responseTimeout: Duration = .milliseconds(800), retries: Int = 3,
                    readyMargin: Duration = .milliseconds(100), maximumLineLength: Int = 128) {
            self.responseTimeout = responseTimeout
            self.retries = retries
            self.readyMargin = readyMargin
            self.maximumLineLength = maximumLineLength
        }
    }

    /// What the transport must do next.
    public enum Action: Sendable, Hashable {
        /// Send a break and marking, then this command.
        case send(SDI12Command)
        /// Arm the session's one timer (replacing any armed one); call `timerFired()` when it expires.
        case setTimer(Duration)
        /// Disarm the timer.
        case cancelTimer
        /// The measurement is complete; the session is finished.
        case completed(SDI12Measurement)
        /// The measurement failed for good; the session is finished.
        case failed(SDI12Error)
    }

    enum State: Sendable {
        case idle
        case awaitingReply(attempt: Int)
        case awaitingReady(SDI12MeasurementReply)
        case awaitingData(SDI12MeasurementReply, index: Int, attempt: Int)
        case finished
    }

    public let address: SDI12Address
    public let kind: Kind
    public let configuration: Configuration
    var state: State = .idle
    var line: [UInt8] = []
    var values: [SDI12Value] = []
    var retryCount = 0
    var lastError: SDI12Error?
    /// Every unusable response seen on the way, retried or not (a recorder counts CRC errors with it).
    public private(set) var problems: [SDI12Error] = []

    public init(address: SDI12Address, kind: Kind = .measure(), configuration: Configuration = Configuration()) {
        self.address = address
        self.kind = kind
        self.configuration = configuration
    }

    /// Whether the session has completed or failed.
    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    var startCommand: SDI12Command {
        switch kind {
        case .measure(let index, let crc): .measure(address, index: index, crc: crc)
        case .concurrent(let index, let crc): .concurrent(address, index: index, crc: crc)
        case .verify: .verify(address)
        }
    }

    var wantsCRC: Bool { startCommand.requestsCRC }

    /// Sends the measurement command. Calling it again has no effect.
    public mutating func start() -> [Action] {
        guard case .idle = state else { return [] }
        do {
            _ = try startCommand.bytes()
        } catch {
            state = .finished
            return [.failed(error)]
        }
        state = .awaitingReply(attempt: 0)
        return [.send(startCommand), .setTimer(configuration.responseTimeout)]
    }

    /// Feeds bytes from the bus; complete lines advance the session.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [Action] {
        var actions: [Action] = []
        for byte in bytes {
            if isFinished { break }
            if byte == 0x0A {
                let complete = line
                line.removeAll(keepingCapacity: true)
                actions += handle(line: complete)
            } else {
                line.append(byte)
                if line.count > configuration.maximumLineLength {
                    line.removeAll(keepingCapacity: true)
                }
            }
        }
        return actions
    }

    /// The armed timer expired: retry, move on to D0, or give up.
    public mutating func timerFired() -> [Action] {
        switch state {
        case .idle, .finished:
            return []
        case .awaitingReply(let attempt):
            return retryOrFail(attempt: attempt, timeout: "no reply to \(startCommand)", command: startCommand) {
                .awaitingReply(attempt: $0)
            }
        case .awaitingReady(let reply):
            return requestData(reply, index: 0)
        case .awaitingData(let reply, let index, let attempt):
            let command = SDI12Command.sendData(address, index: index)
            return retryOrFail(attempt: attempt, timeout: "no answer to \(command)", command: command) {
                .awaitingData(reply, index: index, attempt: $0)
            }
        }
    }

    // MARK: - Lines

    mutating func handle(line raw: [UInt8]) -> [Action] {
        // Break and turnaround glitches show up as control or 8-bit bytes in front of the address.
        let line = raw.drop { $0 < 0x20 || $0 > 0x7E }
        if line.isEmpty || line.allSatisfy({ $0 == 0x0D }) { return [] }
        switch state {
        case .idle, .finished:
            return []
        case .awaitingReply(let attempt):
            var form = SDI12MeasurementReply.Form.single
            if case .concurrent = kind { form = .concurrent }
            do throws(SDI12Error) {
                let reply = try SDI12MeasurementReply.parse(line, form: form, expecting: address)
                if reply.count == 0 {
                    return finish(reply)
                }
                if reply.seconds == 0 {
                    return requestData(reply, index: 0)
                }
                state = .awaitingReady(reply)
                return [.setTimer(.seconds(reply.seconds) + configuration.readyMargin)]
            } catch {
                lastError = error
                if problems.count < 32 { problems.append(error) }
                return retryOrFail(attempt: attempt, timeout: nil, command: startCommand) {
                    .awaitingReply(attempt: $0)
                }
            }
        case .awaitingReady(let reply):
            // Only M and V announce completion; anything else on the bus is ignored until ttt runs out.
            if case .concurrent = kind { return [] }
            if (try? SDI12ServiceRequest.parse(line, expecting: address)) != nil {
                return requestData(reply, index: 0)
            }
            return []
        case .awaitingData(let reply, let index, let attempt):
            do throws(SDI12Error) {
                let response = try SDI12DataResponse.parse(line, crc: wantsCRC, expecting: address)
                if response.values.isEmpty || index == 9 && values.count + response.values.count < reply.count {
                    values += response.values
                    return fail(SDI12Error(
                        code: .missingValues, bytes: line,
                        reason: "the sensor announced \(reply.count) values and delivered \(values.count) by D\(index)"))
                }
                values += response.values
                if values.count >= reply.count {
                    return finish(reply)
                }
                return requestData(reply, index: index + 1)
            } catch {
                lastError = error
                if problems.count < 32 { problems.append(error) }
                let command = SDI12Command.sendData(address, index: index)
                return retryOrFail(attempt: attempt, timeout: nil, command: command) {
                    .awaitingData(reply, index: index, attempt: $0)
                }
            }
        }
    }

    // MARK: - Transitions

    mutating func requestData(_ reply: SDI12MeasurementReply, index: Int) -> [Action] {
        state = .awaitingData(reply, index: index, attempt: 0)
        return [.send(.sendData(address, index: index)), .setTimer(configuration.responseTimeout)]
    }

    mutating func finish(_ reply: SDI12MeasurementReply) -> [Action] {
        state = .finished
        return [.cancelTimer, .completed(SDI12Measurement(address: address, reply: reply, values: values, retries: retryCount))]
    }

    mutating func fail(_ error: SDI12Error) -> [Action] {
        state = .finished
        return [.cancelTimer, .failed(error)]
    }

    /// Sends `command` again (`next` is the state for the new attempt) or fails after the last retry.
    mutating func retryOrFail(
        attempt: Int, timeout: String?, command: SDI12Command, _ next: (Int) -> State
    ) -> [Action] {
        guard attempt < configuration.retries else {
            let error: SDI12Error
            if let timeout {
                let detail = lastError.map { "; last problem: \($0.reason)" } ?? ""
                error = SDI12Error(code: .timeout, text: "",
                                   reason: "\(timeout) after \(attempt + 1) attempts\(detail)")
            } else {
                error = lastError ?? SDI12Error(code: .timeout, text: "", reason: "no usable response")
            }
            return fail(error)
        }
        retryCount += 1
        line.removeAll(keepingCapacity: true)
        state = next(attempt + 1)
        return [.send(command), .setTimer(configuration.responseTimeout)]
    }
}
