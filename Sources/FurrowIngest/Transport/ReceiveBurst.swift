import Foundation

/// What one wake-up of a transport read: the bytes of one or more receives, each with its peer and time.
///
/// Transports hand bytes on in bursts (all datagrams one `recvmmsg` returned, one serial `read`) so the
/// pipeline pays its per-call costs once per burst, not once per datagram.
public struct ReceiveBurst: Sendable {
    /// One receive inside the burst: a datagram, or one read of a stream.
    public struct Piece: Sendable, Hashable {
        /// Where its bytes are in `bytes`.
        public var range: Range<Int>
        /// Who sent it (`udp:[::1]:54321`), or nil on a point-to-point link (serial, TCP).
        public var peer: String?
        /// Receive time, µs since the Unix epoch.
        public var receivedAt: Int64

        public init(range: Range<Int>, peer: String?, receivedAt: Int64) {
            self.range = range
            self.peer = peer
            self.receivedAt = receivedAt
        }
    }

    /// The link the bytes came in on, as named in the configuration (`gcs`, `radio`).
    public let link: String
    /// The receives' bytes, back to back.
    public var bytes: [UInt8]
    public var pieces: [Piece]

    public init(link: String, bytes: [UInt8] = [], pieces: [Piece] = []) {
        self.link = link
        self.bytes = bytes
        self.pieces = pieces
    }

    /// Appends one receive.
    public mutating func append(_ receive: some Collection<UInt8>, peer: String?, receivedAt: Int64) {
        let start = bytes.count
        bytes.append(contentsOf: receive)
        pieces.append(Piece(range: start..<bytes.count, peer: peer, receivedAt: receivedAt))
    }

    public var isEmpty: Bool { pieces.isEmpty }

    /// Heap bytes the burst holds: both arrays' allocated capacity, not just what is used.
    ///
    /// What a bounded queue must count: a burst reserved for 4 KiB that carries 200 bytes still holds
    /// 4 KiB, and each piece holds ``Piece``'s stride (40 bytes) beside its datagram's ~40 bytes.
    public var footprintBytes: Int {
        bytes.capacity &+ pieces.capacity &* MemoryLayout<Piece>.stride &+ Self.arrayHeaderBytes
    }

    /// The two arrays' heap headers (32 bytes each on 64-bit platforms).
    static var arrayHeaderBytes: Int { 64 }
}

/// Where transports deliver bursts. Bounded: `offer` returns false when the burst was dropped because the
/// pipeline is behind (the transport counts it; a datagram socket cannot push back on its senders).
public protocol ReceiveSink: Sendable {
    func offer(_ burst: ReceiveBurst) -> Bool
}

/// The current time in µs since the Unix epoch (receive timestamps).
///
/// Through Foundation's clock (`clock_gettime(CLOCK_REALTIME)` underneath, ~0.25 µs resolution at today's
/// epoch): Glibc's `timespec` is ambiguous between the Glibc and Dispatch clang modules under
/// MemberImportVisibility.
@inlinable public func receiveClockMicroseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
}
