import Foundation
import FurrowIngest
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// UDPTransport on real loopback sockets: simulated drones send from sockets of their own, and every
/// datagram must reach the sink whole, in order per sender, named after the socket it came from.
@Suite("UDPTransport")
struct UDPTransportTests {
    static func transport(host: String = "127.0.0.1", port: Int = 0) -> UDPTransport {
        UDPTransport(
            link: "udp-test", host: host, port: port, group: MultiThreadedEventLoopGroup.singleton,
            logger: LogRecords().logger())
    }

    /// `count` half-second steps of a fleet's frames, sent from one socket per drone; the frames per drone.
    static func send(
        drones: Int, steps: Int, host: String, port: Int, sink: CollectingSink? = nil
    ) throws -> (sender: UDPFrameSender, frames: [[[UInt8]]]) {
        var fleet = FleetSimulator(drones: drones, mission: .spray, seed: 3, startTime: epoch2025)
        let sender = try UDPFrameSender(host: host, port: port, sockets: drones)
        var frames = [[[UInt8]]](repeating: [], count: drones)
        var until = fleet.nextTimestamp
        for _ in 0..<steps {
            var batch = SimulatedBatch()
            until += 500_000
            fleet.fill(&batch, until: until)
            try sender.write(batch)
            for i in 0..<batch.count { frames[Int(batch.drones[i])].append(Array(batch.bytes[batch.range(of: i)])) }
        }
        return (sender, frames)
    }

    /// What the sink holds per sender name: the datagrams in arrival order.
    static func datagramsByPeer(_ sink: CollectingSink) -> [String: [[UInt8]]] {
        var out: [String: [[UInt8]]] = [:]
        for burst in sink.bursts {
            for piece in burst.pieces { out[piece.peer ?? "", default: []].append(Array(burst.bytes[piece.range])) }
        }
        return out
    }

    @Test("every datagram arrives whole and in order per sender, named after its source port, in bursts of ≤ 256")
    func perDroneSockets() async throws {
        let sink = CollectingSink()
        let lastSender = UDPLastSender()
        let receiver = try await Self.transport().bind(into: sink, lastSender: lastSender)
        let port = try #require(receiver.localAddress?.port)
        let drones = 16
        let (sender, frames) = try Self.send(drones: drones, steps: 10, host: "127.0.0.1", port: port)
        let total = frames.reduce(0) { $0 + $1.count }
        #expect(total > 3_000)
        let arrived = try await eventually(timeout: .seconds(20)) {
            sink.bursts.reduce(0) { $0 + $1.pieces.count } >= total
        }
        await receiver.close()
        #expect(arrived)
        let byPeer = Self.datagramsByPeer(sink)
        #expect(byPeer.count == drones)
        for drone in 0..<drones {
            let name = "127.0.0.1:\(try #require(sender.localPort(drone)))"
            #expect(byPeer[name] == frames[drone], "drone \(drone) from \(name)")
        }
        #expect(sink.bursts.allSatisfy { $0.link == "udp-test" && $0.pieces.count <= 256 && !$0.pieces.isEmpty })
        #expect(sink.bursts.allSatisfy { burst in burst.pieces.allSatisfy { $0.receivedAt > epoch2025 } })
        let last = try #require(lastSender.address.withLockedValue { $0 })
        #expect((0..<drones).compactMap { sender.localPort($0) }.contains(last.port ?? -1))
    }

    @Test("IPv6 senders are named [address]:port")
    func ipv6() async throws {
        let sink = CollectingSink()
        let receiver: UDPReceiver
        do {
            receiver = try await Self.transport(host: "::1").bind(into: sink)
        } catch {
            return  // no IPv6 loopback on this machine
        }
        let port = try #require(receiver.localAddress?.port)
        let (sender, frames) = try Self.send(drones: 2, steps: 2, host: "::1", port: port)
        let total = frames.reduce(0) { $0 + $1.count }
        let arrived = try await eventually(timeout: .seconds(20)) {
            sink.bursts.reduce(0) { $0 + $1.pieces.count } >= total
        }
        await receiver.close()
        #expect(arrived)
        let byPeer = Self.datagramsByPeer(sink)
        for drone in 0..<2 {
            #expect(byPeer["[::1]:\(try #require(sender.localPort(drone)))"] == frames[drone])
        }
    }

    @Test("a sink that refuses bursts (a full queue) loses those datagrams only; reading goes on")
    func refusedBursts() async throws {
        let sink = CollectingSink()
        sink.setAccepting(false)
        let receiver = try await Self.transport().bind(into: sink)
        let port = try #require(receiver.localAddress?.port)
        _ = try Self.send(drones: 2, steps: 2, host: "127.0.0.1", port: port)
        try await Task.sleep(for: .milliseconds(300))
        #expect(sink.bursts.isEmpty)
        sink.setAccepting(true)
        let (_, frames) = try Self.send(drones: 2, steps: 2, host: "127.0.0.1", port: port)
        let total = frames.reduce(0) { $0 + $1.count }
        let arrived = try await eventually(timeout: .seconds(20)) {
            sink.bursts.reduce(0) { $0 + $1.pieces.count } >= total
        }
        await receiver.close()
        #expect(arrived)
        #expect(sink.bursts.reduce(0) { $0 + $1.pieces.count } == total)
    }

    @Test("close stops reading and frees the port; run(into:) returns when its task is cancelled")
    func closeFreesThePort() async throws {
        let first = try await Self.transport().bind(into: CollectingSink())
        let port = try #require(first.localAddress?.port)
        await first.close()
        #expect(!first.channel.isActive)
        let sink = CollectingSink()
        let task = Task { try await Self.transport(port: port).run(into: sink) }
        // The same port again, now through run(into:): frames sent to it arrive.
        let arrived = try await eventually(timeout: .seconds(20)) {
            _ = try? Self.send(drones: 1, steps: 1, host: "127.0.0.1", port: port)
            return !sink.bursts.isEmpty
        }
        #expect(arrived)
        task.cancel()
        try await task.value
        let again = try await Self.transport(port: port).bind(into: CollectingSink())
        await again.close()
    }

    @Test("an address that is not this machine's fails the bind with a typed error that says where")
    func bindFailure() async throws {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address, so bind(2) answers EADDRNOTAVAIL.
        let error = await #expect(throws: UDPTransportError.self) {
            let receiver = try await Self.transport(host: "192.0.2.1", port: 14550).bind(into: CollectingSink())
            await receiver.close()
        }
        #expect(error?.code == .bind)
        #expect(error?.link == "udp-test")
        #expect(error?.description.hasPrefix("link udp-test: cannot listen on udp 192.0.2.1:14550: ") == true)
    }
}
