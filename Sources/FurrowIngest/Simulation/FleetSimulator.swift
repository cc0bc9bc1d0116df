import FurrowWire

/// Frames of many drones, back to back in one buffer: what outputs send in one go.
public struct SimulatedBatch: Sendable {
    /// The frames' bytes, back to back.
    public var bytes: [UInt8] = []
    /// Where each frame ends in `bytes` (frame `i` starts where frame `i - 1` ends).
    public var ends: [Int] = []
    /// Send time of each frame, µs since the Unix epoch.
    public var timestamps: [Int64] = []
    /// Index of each frame's drone in its fleet (to send it from that drone's socket).
    public var drones: [Int32] = []

    public init() {}

    /// Number of frames.
    public var count: Int { ends.count }
    public var isEmpty: Bool { ends.isEmpty }

    /// Byte range of frame `i` in `bytes`.
    public func range(of i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// A copy of frame `i`.
    public func frame(_ i: Int) -> SimulatedFrame {
        SimulatedFrame(timestamp: timestamps[i], bytes: Array(bytes[range(of: i)]))
    }

    /// Empties the batch, keeping its memory for the next one.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        timestamps.removeAll(keepingCapacity: true)
        drones.removeAll(keepingCapacity: true)
    }

    /// Appends a frame.
    public mutating func append(_ frame: some Collection<UInt8>, timestamp: Int64, drone: Int32) {
        bytes.append(contentsOf: frame)
        ends.append(bytes.count)
        timestamps.append(timestamp)
        drones.append(drone)
    }
}

/// A fleet of simulated drones, their frames merged in time order.
///
/// Drone `k` (0-based) of a fleet created with `drones:` has the `k`-th field of the grid and the ids of
/// sender `firstSystemID + k`: system ids 1…255, then the same system ids again with component id 2, 3, …,
/// so (system, component) stays unique in fleets of more than 255 drones. Drones start at different points
/// of their sorties (unless `staggered` is false), so a large fleet has drones on the ground, taking off,
/// spraying and landing at every moment.
///
/// ```swift
/// var fleet = FleetSimulator(drones: 100, mission: .spray, seed: 7, startTime: now)
/// var batch = SimulatedBatch()
/// fleet.fill(&batch, until: now + 1_000_000)   // one second of telemetry from 100 drones
/// ```
public struct FleetSimulator: Sendable {
    /// The drones, in fleet order.
    public private(set) var drones: [DroneSimulator]
    /// When the simulation starts, µs since the Unix epoch: no frame is earlier.
    public let startTime: Int64
    /// A min-heap of (next frame time, drone index): the drone to ask next is at the top.
    var heap: [HeapEntry]

    struct HeapEntry: Sendable {
        var time: Int64
        var drone: Int32

        @inline(__always)
        static func < (a: HeapEntry, b: HeapEntry) -> Bool {
            a.time < b.time || (a.time == b.time && a.drone < b.drone)
        }
    }

    /// A fleet of `count` drones flying `mission`.
    ///
    /// - Parameters:
    ///   - firstSystemID: The sender number of the first drone (1 → system id 1, component 1).
    ///   - staggered: Start each drone at a random point of its sortie cycle (default); false starts all
    ///     parked, a few seconds before arming.
    public init(
        drones count: Int, mission: SimulatedMission, seed: UInt64, startTime: Int64, firstSystemID: Int = 1,
        staggered: Bool = true, version: MAVLinkVersion = .v2
    ) {
        var random = SimulationRandom(seed: seed, stream: 0xF1EE7)
        var drones: [DroneSimulator] = []
        drones.reserveCapacity(count)
        for k in 0..<Swift.max(count, 0) {
            let sender = Swift.max(firstSystemID, 1) - 1 + k
            let phase = staggered ? random.uniform(0...DroneSimulator.typicalCycle) : 0
            drones.append(
                DroneSimulator(
                    seed: seed, systemID: UInt8(1 + sender % 255), componentID: UInt8(truncatingIfNeeded: 1 + sender / 255),
                    mission: mission, startTime: startTime, field: SimulatedField(index: sender), phase: phase,
                    version: version))
        }
        self.init(drones: drones, startTime: startTime)
    }

    /// A fleet of the given drones, starting at `startTime` (by default, the first drone's first frame).
    public init(drones: [DroneSimulator], startTime: Int64? = nil) {
        self.drones = drones
        self.startTime = startTime ?? drones.map(\.nextTimestamp).min() ?? 0
        heap = drones.indices.map { HeapEntry(time: drones[$0].nextTimestamp, drone: Int32($0)) }
        heap.sort { $0 < $1 }  // a sorted array is a valid heap
    }

    /// The time of the fleet's next frame, µs since the Unix epoch (`Int64.max` for an empty fleet).
    public var nextTimestamp: Int64 { heap.first?.time ?? .max }

    /// Appends the fleet's next frame to `buffer`; returns its time and the index of its drone.
    @discardableResult
    public mutating func next(appendingTo buffer: inout [UInt8]) -> (timestamp: Int64, drone: Int) {
        precondition(!heap.isEmpty, "an empty fleet has no frames")
        let drone = Int(heap[0].drone)
        let t = drones[drone].next(appendingTo: &buffer)
        heap[0].time = drones[drone].nextTimestamp
        siftDown()
        return (t, drone)
    }

    /// The fleet's next frame.
    public mutating func next() -> SimulatedFrame {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        let (t, _) = next(appendingTo: &bytes)
        return SimulatedFrame(timestamp: t, bytes: bytes)
    }

    /// Appends frames sent before `end` to `batch`, at most `limit` of them; returns how many.
    @discardableResult
    public mutating func fill(_ batch: inout SimulatedBatch, until end: Int64, limit: Int = .max) -> Int {
        var n = 0
        while n < limit, let top = heap.first, top.time < end {
            let (t, drone) = next(appendingTo: &batch.bytes)
            batch.ends.append(batch.bytes.count)
            batch.timestamps.append(t)
            batch.drones.append(Int32(drone))
            n += 1
        }
        return n
    }

    /// Calls `body` with every frame sent before `end`, in time order: its time, its drone's index, its bytes
    /// (valid only during the call).
    public mutating func advance(until end: Int64, _ body: (Int64, Int, UnsafeRawBufferPointer) throws -> Void) rethrows {
        var scratch: [UInt8] = []
        scratch.reserveCapacity(128)
        while let top = heap.first, top.time < end {
            scratch.removeAll(keepingCapacity: true)
            let (t, drone) = next(appendingTo: &scratch)
            try scratch.withUnsafeBytes { try body(t, drone, $0) }
        }
    }

    /// Restores the heap order after the top entry's time grew.
    mutating func siftDown() {
        heap.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            let item = h[0]
            while true {
                let left = 2 &* i &+ 1
                if left >= n { break }
                let right = left &+ 1
                let child = right < n && h[right] < h[left] ? right : left
                if !(h[child] < item) { break }
                h[i] = h[child]
                i = child
            }
            h[i] = item
        }
    }
}
