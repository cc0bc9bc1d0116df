import FurrowStore
import FurrowWire
import Logging
import NIOCore
import ServiceLifecycle

/// The daemon's sensor sources as one lifecycle service: an SDI-12 recorder per `[[sdi12]]` bus, a Modbus
/// master per `[[modbus]]` bus, a LoRaWAN listener per `[[lorawan]]` socket, each its own child task.
///
/// A bus whose device cannot be opened keeps retrying on its own; a failing sensor never holds up another
/// bus. LoRaWAN sockets are bound before `run` returns control to the tasks, so a port in use fails the
/// start. Readings go to the store's heads; the ingest service's checkpoints make them durable (run this
/// service after the ingest service, so shutdown stops polling before the last checkpoint).
public struct SensorService: Service {
    public let recorders: [SDI12Recorder]
    public let pollers: [ModbusPoller]
    public let listeners: [LoRaWANListener]
    /// The store, its list of groups to flush, and how often (the daemon's flush interval).
    let store: TimeSeriesStore
    let flushList: SensorFlushList
    let flushInterval: Duration
    let logger: Logger

    public init(
        recorders: [SDI12Recorder], pollers: [ModbusPoller], listeners: [LoRaWANListener], store: TimeSeriesStore,
        flushList: SensorFlushList, flushInterval: Duration, logger: Logger
    ) {
        self.recorders = recorders
        self.pollers = pollers
        self.listeners = listeners
        self.store = store
        self.flushList = flushList
        self.flushInterval = flushInterval
        self.logger = logger
    }

    /// Whether there is anything to run.
    public var isEmpty: Bool { recorders.isEmpty && pollers.isEmpty && listeners.isEmpty }

    public func run() async throws {
        var bound: [(LoRaWANListener, NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>)] = []
        for listener in listeners {
            bound.append((listener, try await listener.bind()))
        }
        let channels = bound
        let logger = self.logger
        // Polling stops at the first shutdown signal: the tasks are cancelled and end within a poll step.
        try await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { tasks in
                let (store, flushList, interval) = (self.store, self.flushList, self.flushInterval)
                tasks.addTask {
                    let problems = ThrottledLog(logger: logger, interval: .seconds(60))
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        do {
                            try await store.flush(groups: flushList.take())
                        } catch {
                            // The rows stay in the heads; the ingest service's next checkpoint writes them.
                            problems.error("sensor-flush", "store: writing sensor readings failed, kept in memory: \(error)")
                        }
                    }
                }
                for recorder in recorders { tasks.addTask { await recorder.run() } }
                for poller in pollers { tasks.addTask { await poller.run() } }
                for (listener, channel) in channels {
                    tasks.addTask {
                        do {
                            try await listener.run(channel)
                        } catch is CancellationError {
                            // Shutdown.
                        } catch {
                            logger.error("LoRaWAN \(listener.link.name) stopped: \(error)")
                        }
                    }
                }
            }
        }
    }
}
