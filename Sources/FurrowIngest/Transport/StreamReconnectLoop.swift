import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The open–read–reopen loop both stream transports run: connect, wait until the connection closes,
/// back off, connect again, until the task is cancelled.
///
/// Logs once per state change — the link comes up, goes down, or cannot be opened — and each further
/// failed attempt at debug level only, so an unplugged radio does not flood the log.
struct StreamReconnectLoop: Sendable {
    /// What the log lines call things, per transport.
    struct Wording: Sendable {
        /// "serial link opened" / "TCP link connected"
        var connected: String
        /// "serial link reopened" / "TCP link reconnected"
        var reconnected: String
        /// "serial device gone, retrying" / "TCP connection lost, reconnecting"
        var lost: String
        /// "cannot open serial device, retrying" / "cannot connect, retrying"
        var unavailable: String
        /// "serial link failed permanently" / ...
        var failed: String
    }

    let link: String
    let endpoint: String
    let wording: Wording
    let backoff: ReconnectBackoff
    let logger: Logger
    let metrics: StreamTransportMetrics
    let status: StreamLinkStatus

    /// Runs until cancelled (then returns normally) or until `connect` throws an error `isPermanent`
    /// says retrying cannot fix (then rethrows it).
    ///
    /// `diagnoseClose` may say why a connection that ended without an error ended (NIO reports a tty's
    /// hangup as end of file; the port itself can tell `Input/output error`); it runs after the channel
    /// closed and before the serial port is.
    func run(
        connect: (CloseReason) async throws -> StreamConnection,
        isPermanent: (any Error) -> Bool,
        diagnoseClose: (StreamConnection) -> String? = { _ in nil }
    ) async throws {
        metrics.connected.record(0)
        var everConnected = false
        var attempts = 0  // connect attempts in this disconnected period
        var backoffStep = 0  // failures (a disconnect counts) since last connected
        var warned = false  // this disconnected period has its warning

        while !Task.isCancelled {
            attempts += 1
            let reason = CloseReason()
            let connection: StreamConnection
            do {
                connection = try await connect(reason)
            } catch {
                if Task.isCancelled || error is CancellationError {
                    return
                }
                let text = describeTransportError(error)
                status.attemptFailed(text)
                if isPermanent(error) {
                    logger.error("\(wording.failed)", metadata: metadata(["error": "\(text)"]))
                    throw error
                }
                if warned {
                    logger.debug(
                        "\(wording.unavailable)",
                        metadata: metadata(["error": "\(text)", "attempts": "\(attempts)"])
                    )
                } else {
                    logger.warning("\(wording.unavailable)", metadata: metadata(["error": "\(text)"]))
                    warned = true
                }
                backoffStep += 1
                guard await sleep(backoff.delay(afterFailures: backoffStep)) else { return }
                continue
            }

            if everConnected {
                metrics.reopens.increment()
                logger.info("\(wording.reconnected)", metadata: metadata(["attempts": "\(attempts)"]))
            } else {
                logger.info("\(wording.connected)", metadata: metadata(["attempts": "\(attempts)"]))
            }
            status.connected(connection, isReopen: everConnected)
            metrics.connected.record(1)
            everConnected = true
            attempts = 0
            backoffStep = 0

            await waitUntilClosed(connection.channel)
            if Task.isCancelled {
                connection.serialPort?.close()
                status.disconnected(reason: reason.firstError.map(describeTransportError) ?? "stopped")
                metrics.connected.record(0)
                return
            }
            let text = reason.firstError.map(describeTransportError) ?? diagnoseClose(connection) ?? "end of file"
            connection.serialPort?.close()
            status.disconnected(reason: text)
            metrics.connected.record(0)
            logger.warning("\(wording.lost)", metadata: metadata(["error": "\(text)"]))
            warned = true
            backoffStep = 1
            guard await sleep(backoff.delay(afterFailures: backoffStep)) else { return }
        }
    }

    private func metadata(_ extra: Logger.Metadata) -> Logger.Metadata {
        extra.merging(["link": "\(link)", "endpoint": "\(endpoint)"]) { own, _ in own }
    }

    /// Waits until the channel closed (the device or peer went away); closes it if the task is cancelled.
    private func waitUntilClosed(_ channel: any Channel) async {
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// Sleeps; false when the task was cancelled meanwhile.
    private func sleep(_ duration: Duration) async -> Bool {
        try? await Task.sleep(for: duration)
        return !Task.isCancelled
    }
}

/// Waits for a channel future without outliving the task: when the task is cancelled first this throws
/// `CancellationError` at once, and a channel the future delivers later is closed.
func channelOrCancellation(_ future: EventLoopFuture<any Channel>) async throws -> any Channel {
    enum Waiter {
        case idle
        case waiting(CheckedContinuation<any Channel, any Error>)
        case cancelled
        case finished
    }
    let waiter = NIOLockedValueBox(Waiter.idle)
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Channel, any Error>) in
            let cancelledAlready = waiter.withLockedValue { state -> Bool in
                if case .cancelled = state { return true }
                state = .waiting(continuation)
                return false
            }
            if cancelledAlready {
                continuation.resume(throwing: CancellationError())
                future.whenSuccess { $0.close(promise: nil) }
                return
            }
            future.whenComplete { result in
                let continuation = waiter.withLockedValue { state -> CheckedContinuation<any Channel, any Error>? in
                    guard case .waiting(let continuation) = state else { return nil }
                    state = .finished
                    return continuation
                }
                if let continuation {
                    continuation.resume(with: result)
                } else if case .success(let channel) = result {
                    channel.close(promise: nil)
                }
            }
        }
    } onCancel: {
        let continuation = waiter.withLockedValue { state -> CheckedContinuation<any Channel, any Error>? in
            switch state {
            case .waiting(let continuation):
                state = .cancelled
                return continuation
            case .idle:
                state = .cancelled
                return nil
            case .cancelled, .finished:
                return nil
            }
        }
        continuation?.resume(throwing: CancellationError())
    }
}

/// A transport failure as a short phrase for logs and `/healthz`: the errno text for system errors
/// (`Input/output error`, `Connection refused`), the error's own description otherwise.
func describeTransportError(_ error: any Error) -> String {
    switch error {
    case let error as SerialPortError:
        return error.description
    case let error as IOError:
        return String(cString: strerror(error.errnoCode))
    case let error as NIOConnectionError:
        if let failure = error.connectionErrors.first {
            return describeTransportError(failure.error)
        }
        if let dnsError = error.dnsAError ?? error.dnsAAAAError {
            return "cannot resolve \(error.host): \(dnsError)"
        }
        return "cannot connect to \(error.host):\(error.port)"
    case ChannelError.connectTimeout:
        return "connect timed out"
    case ChannelError.eof:
        return "end of file"
    default:
        return String(describing: error)
    }
}
