import Testing

@testable import FurrowIngest

@Suite("Burst queue")
struct BurstQueueTests {
    func burst(_ size: Int, link: String = "l") -> ReceiveBurst {
        var b = ReceiveBurst(link: link)
        b.append([UInt8](repeating: 7, count: size), peer: nil, receivedAt: 1)
        return b
    }

    @Test("refuses bursts beyond its byte capacity and takes them again once drained")
    func bounded() async {
        let (a, b, c) = (burst(600), burst(600), burst(400))
        let queue = BurstQueue(capacityBytes: a.footprintBytes + c.footprintBytes)
        #expect(queue.offer(a))
        #expect(!queue.offer(b))
        #expect(queue.offer(c))
        #expect(queue.queuedBytes == a.footprintBytes + c.footprintBytes)
        let drained = await queue.next()
        #expect(drained?.map(\.bytes.count) == [600, 400])
        #expect(queue.queuedBytes == 0)
        #expect(queue.offer(burst(600)))
        #expect(queue.highWaterBytes == a.footprintBytes + c.footprintBytes)
    }

    @Test("a burst is charged the heap bytes it holds (capacity and pieces), not only the bytes it carries")
    func chargesFootprint() {
        var roomy = ReceiveBurst(link: "l")
        roomy.bytes.reserveCapacity(4096)
        roomy.append([1, 2, 3], peer: nil, receivedAt: 1)
        #expect(roomy.footprintBytes >= 4096 + MemoryLayout<ReceiveBurst.Piece>.stride)
        let small = burst(10)
        #expect(small.footprintBytes >= 10 + MemoryLayout<ReceiveBurst.Piece>.stride)
        let queue = BurstQueue(capacityBytes: 4096)
        #expect(queue.offer(small))
        #expect(!queue.offer(roomy), "4 KiB reserved for 3 bytes does not fit beside another burst")
        #expect(queue.queuedBytes == small.footprintBytes)
    }

    @Test("a flooded link fills only its share; other links still get in")
    func linkShare() async {
        let (flood300, flood200, radio300, flood100) =
            (burst(300, link: "flood"), burst(200, link: "flood"), burst(300, link: "radio"), burst(100, link: "flood"))
        let share = flood300.footprintBytes + flood100.footprintBytes
        let queue = BurstQueue(capacityBytes: share + radio300.footprintBytes, linkCapacityBytes: share)
        #expect(queue.offer(flood300))
        #expect(!queue.offer(flood200))
        #expect(queue.offer(radio300))
        #expect(queue.offer(flood100))
        _ = await queue.next()
        #expect(queue.offer(burst(400, link: "flood")), "the share is free again once drained")
    }

    @Test("a burst bigger than the capacity is taken when the queue is empty")
    func oversize() {
        let queue = BurstQueue(capacityBytes: 10)
        #expect(queue.offer(burst(100)))
        #expect(!queue.offer(burst(1)))
    }

    @Test("the consumer wakes for bursts offered from other threads, in order, and ends after finish")
    func producerConsumer() async {
        let queue = BurstQueue(capacityBytes: 1 << 30)
        let producers = 4
        let perProducer = 2000
        let consumer = Task { () -> [String: [Int]] in
            var seen: [String: [Int]] = [:]
            while let bursts = await queue.next() {
                for b in bursts { seen[b.link, default: []].append(Int(b.pieces[0].receivedAt)) }
            }
            return seen
        }
        await withTaskGroup(of: Void.self) { group in
            for p in 0..<producers {
                group.addTask {
                    for i in 0..<perProducer {
                        var b = ReceiveBurst(link: "p\(p)")
                        b.append([1, 2, 3], peer: nil, receivedAt: Int64(i))
                        #expect(queue.offer(b))
                        if i % 100 == 0 { await Task.yield() }
                    }
                }
            }
        }
        queue.finish()
        let seen = await consumer.value
        #expect(seen.count == producers)
        for (_, times) in seen { #expect(times == Array(0..<perProducer)) }
        #expect(!queue.offer(burst(1)), "a finished queue takes nothing")
    }

    @Test("a waiting consumer returns nil when its task is cancelled")
    func cancellation() async {
        let queue = BurstQueue(capacityBytes: 100)
        let consumer = Task { await queue.next() }
        try? await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        let result = await consumer.value
        #expect(result == nil)
    }
}

@Suite("Flight tracker")
struct FlightTrackerTests {
    @Test("arm starts a flight, disarm ends it, repeated heartbeats change nothing")
    func transitions() {
        var tracker = FlightTracker(project: "p", source: "s")
        var events: [FlightTracker.Event] = []
        for (armed, t) in [(false, 1), (false, 2), (true, 3), (true, 4), (false, 5), (false, 6), (true, 7)] {
            if let e = tracker.observe(armed: armed, at: Int64(t), vehicleType: 2, autopilot: 3) { events.append(e) }
        }
        #expect(
            events == [
                .disarmed(project: "p", source: "s", at: 1, archive: nil),
                .armed(project: "p", source: "s", at: 3, vehicleType: 2, autopilot: 3),
                .disarmed(project: "p", source: "s", at: 5, archive: nil),
                .armed(project: "p", source: "s", at: 7, vehicleType: 2, autopilot: 3),
            ])
    }
}
