import Metrics
import NIOConcurrencyHelpers
import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one UDP socket with `recvmmsg` on a thread of its own and hands its datagrams on in bursts.
///
/// Why not NIO's datagram reads: NIO gives every datagram an `AddressedEnvelope` (a `SocketAddress`, whose
/// IPv4 form is a heap box, and a `ByteBuffer` slice) and passes it through the channel pipeline; at
/// 100–200 k datagrams/s that, with the handler's copy, cost as much as the system call itself. Here one
/// `recvmmsg` fills up to ``datagramsPerRead`` slots of one buffer allocated once, and each datagram costs
/// a copy into the burst and a look-up of its sender's name by the bits of its address.
///
/// A burst goes to the sink when it holds ``datagramsPerBurst`` datagrams, or when the socket has had
/// nothing more to read for ``gatherMicroseconds`` since the burst's first datagram. Handing on every
/// `recvmmsg`'s few datagrams made 100 k small bursts a second at 150–200 k msg/s: each a queue entry, an
/// archive call and a wake-up of the pipeline, and each holding its reserved capacity while queued. The
/// socket is non-blocking (NIO owns it, for replies): an empty socket is waited on with `poll`, at most
/// ``stopCheckMilliseconds`` at a time, so ``stop()`` takes effect within that.
final class UDPReceiveLoop: @unchecked Sendable {
    // @unchecked Sendable: every stored property but `stopping` (atomic) and the immutable ones is touched
    // only by the thread running `run()`; the buffers are allocated in `init` and freed in `deinit`.

    /// Datagrams per `recvmmsg`.
    static let datagramsPerRead = 64
    /// Most datagrams in one burst (a socket that never runs dry still hands on every 256).
    static let datagramsPerBurst = 256
    /// How long an idle loop waits before it looks at `stopping` again.
    static let stopCheckMilliseconds: Int32 = 100
    /// How long a partly filled burst waits for more datagrams once the socket ran dry (µs): 2 ms, the
    /// pipeline's own gathering pause, well inside the flush interval that bounds what queries see.
    static let gatherMicroseconds: Int64 = 2000

    let fd: Int32
    let link: String
    let sink: any ReceiveSink
    let lastSender: UDPLastSender?
    let datagramSize: Int
    let stopping = Atomic<Bool>(false)

    private let storage: UnsafeMutableRawPointer
    private let names: UnsafeMutablePointer<sockaddr_storage>
    private let vectors: UnsafeMutablePointer<iovec>
    private let headers: UnsafeMutablePointer<MultipleMessageHeader>
    private let receiveMultiple: ReceiveMultipleMessages?
    private var burst: ReceiveBurst
    private var peers = UDPPeerNames()
    /// Slots the last read filled (their address lengths were overwritten by the kernel).
    private var filled = 0
    /// The sender of the last datagram read (for `lastSender`).
    private var lastName = sockaddr_storage()

    private let receivedBytes: Counter
    private let receivedDatagrams: Counter
    private let droppedBursts: Counter
    private let droppedBytes: Counter

    init(fd: Int32, link: String, sink: some ReceiveSink, lastSender: UDPLastSender?, datagramSize: Int) {
        self.fd = fd
        self.link = link
        self.sink = sink
        self.lastSender = lastSender
        self.datagramSize = datagramSize
        let n = Self.datagramsPerRead
        storage = .allocate(byteCount: n * datagramSize, alignment: 16)
        names = .allocate(capacity: n)
        names.initialize(repeating: sockaddr_storage(), count: n)
        vectors = .allocate(capacity: n)
        headers = .allocate(capacity: n)
        headers.initialize(repeating: MultipleMessageHeader(header: msghdr(), length: 0), count: n)
        for i in 0..<n {
            vectors[i] = iovec(iov_base: storage + i * datagramSize, iov_len: datagramSize)
            headers[i].header.msg_name = UnsafeMutableRawPointer(names + i)
            headers[i].header.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            headers[i].header.msg_iov = vectors + i
            headers[i].header.msg_iovlen = 1
        }
        receiveMultiple = cLibraryFunction("recvmmsg", as: ReceiveMultipleMessages.self)  // Linux ≥ 2.6.33
        burst = ReceiveBurst(link: link)
        let dimensions = [("link", link)]
        receivedBytes = Counter(label: "furrow_transport_receive_bytes_total", dimensions: dimensions)
        receivedDatagrams = Counter(label: "furrow_transport_receive_datagrams_total", dimensions: dimensions)
        droppedBursts = Counter(label: "furrow_transport_dropped_bursts_total", dimensions: dimensions)
        droppedBytes = Counter(label: "furrow_transport_dropped_bytes_total", dimensions: dimensions)
    }

    deinit {
        storage.deallocate()
        names.deinitialize(count: Self.datagramsPerRead)
        names.deallocate()
        vectors.deallocate()
        headers.deinitialize(count: Self.datagramsPerRead)
        headers.deallocate()
    }

    /// Asks `run()` to return (within ``stopCheckMilliseconds``).
    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    /// Reads and hands on until `stop()`; what was read last is handed on before it returns.
    func run() {
        while !stopping.load(ordering: .relaxed) {
            let (count, code) = read()
            if count > 0 {
                append(count)
                if burst.pieces.count >= Self.datagramsPerBurst { deliver() }
                continue
            }
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK, let first = burst.pieces.first?.receivedAt {
                // Dry socket, partly filled burst: wait for more while the burst is young, then hand it on.
                let waited = receiveClockMicroseconds() &- first
                if waited >= 0, waited < Self.gatherMicroseconds {
                    var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&waiting, 1, Int32((Self.gatherMicroseconds &- waited + 999) / 1000))
                    continue
                }
            }
            deliver()
            switch code {
            case EAGAIN, EWOULDBLOCK:
                var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&waiting, 1, Self.stopCheckMilliseconds)
            case EBADF, ENOTSOCK:
                return  // closed under us: nothing more will come
            default:
                // ICMP errors reported on the socket (a reply that found no listener) and the like: the next
                // read goes on; a lasting error is retried at most every 10 ms instead of spinning.
                if code != ECONNREFUSED { _ = poll(nil, 0, 10) }
            }
        }
        deliver()
    }

    /// One `recvmmsg` (or, without it, `recvmsg`s until the socket is empty or the slots are full):
    /// datagrams read, and errno when none were.
    ///
    /// The headers are set up once; the kernel writes back only each slot's address length, flags and byte
    /// count, so only the address lengths of the slots the last read filled are reset (the receive time is
    /// read after the call: work before it would delay every timestamp).
    private func read() -> (count: Int, errno: Int32) {
        // No more than the burst has room for: a burst never exceeds `datagramsPerBurst`.
        let n = Swift.max(1, Swift.min(Self.datagramsPerRead, Self.datagramsPerBurst - burst.pieces.count))
        let nameLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        for i in 0..<filled { headers[i].header.msg_namelen = nameLength }
        filled = 0
        if let receiveMultiple {
            let got = receiveMultiple(fd, UnsafeMutableRawPointer(headers), UInt32(n), 0, nil)
            guard got > 0 else { return (0, errno) }
            filled = Int(got)
            return (filled, 0)
        }
        while filled < n {
            let r = recvmsg(fd, &headers[filled].header, 0)
            if r < 0 { return filled > 0 ? (filled, 0) : (0, errno) }
            headers[filled].length = UInt32(r)
            filled += 1
        }
        return (filled, 0)
    }

    /// Appends the `count` datagrams just read to the burst, with their senders' names and one receive time.
    private func append(_ count: Int) {
        let now = receiveClockMicroseconds()
        for i in 0..<count {
            let length = Swift.min(Int(headers[i].length), datagramSize)
            let peer = peers.name(of: names + i)
            burst.append(UnsafeRawBufferPointer(start: storage + i * datagramSize, count: length), peer: peer, receivedAt: now)
        }
        if lastSender != nil { lastName = names[count - 1] }
    }

    private func deliver() {
        guard !burst.isEmpty else { return }
        if let lastSender, let address = UDPPeerNames.socketAddress(lastName) {
            lastSender.address.withLockedValue { $0 = address }
        }
        let size = burst.bytes.count
        let count = burst.pieces.count
        if sink.offer(burst) {
            receivedBytes.increment(by: size)
            receivedDatagrams.increment(by: count)
        } else {
            droppedBursts.increment()
            droppedBytes.increment(by: size)
        }
        // The next burst starts with room for one like this one (no floor: the queue counts capacity).
        burst = ReceiveBurst(link: link)
        burst.bytes.reserveCapacity(size)
        burst.pieces.reserveCapacity(count)
    }
}

/// Names of UDP senders (`127.0.0.1:14550`, `[::1]:14550`), formatted once per sender.
///
/// IPv4 senders are looked up by address and port packed in one integer (hashing a `SocketAddress` per
/// datagram cost 5 % of the daemon's CPU at 100 k datagrams/s), others by their `SocketAddress`. Bounded:
/// each table is cleared when it grows past ``maximumPeers``.
struct UDPPeerNames {
    static var maximumPeers: Int { 65_536 }
    private var v4: [UInt64: String] = [:]
    private var other: [SocketAddress: String] = [:]

    mutating func name(of address: UnsafePointer<sockaddr_storage>) -> String {
        if Int32(address.pointee.ss_family) == AF_INET {
            // sockaddr_in: the port at byte 2, the address at byte 4 (Linux and BSD layouts alike).
            let raw = UnsafeRawPointer(address)
            let key =
                UInt64(raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) << 16
                | UInt64(raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            if let name = v4[key] { return name }
            if v4.count >= Self.maximumPeers { v4.removeAll(keepingCapacity: true) }
            let name = Self.socketAddress(address.pointee).map(Self.format) ?? "unknown"
            v4[key] = name
            return name
        }
        guard let socketAddress = Self.socketAddress(address.pointee) else { return "unknown" }
        return name(of: socketAddress)
    }

    mutating func name(of address: SocketAddress) -> String {
        if let name = other[address] { return name }
        if other.count >= Self.maximumPeers { other.removeAll(keepingCapacity: true) }
        let name = Self.format(address)
        other[address] = name
        return name
    }

    /// The `SocketAddress` of an IPv4 or IPv6 `sockaddr_storage`.
    static func socketAddress(_ storage: sockaddr_storage) -> SocketAddress? {
        withUnsafeBytes(of: storage) { raw -> SocketAddress? in
            switch Int32(storage.ss_family) {
            case AF_INET: return SocketAddress(raw.load(as: sockaddr_in.self), host: "")
            case AF_INET6: return SocketAddress(raw.load(as: sockaddr_in6.self), host: "")
            default: return nil
            }
        }
    }

    /// `127.0.0.1:14550`, `[::1]:14550`.
    static func format(_ address: SocketAddress) -> String {
        switch (address.protocol, address.ipAddress, address.port) {
        case (.inet6, let ip?, let port?): "[\(ip)]:\(port)"
        case (_, let ip?, let port?): "\(ip):\(port)"
        default: "\(address)"
        }
    }
}

// MARK: - System glue

/// `int recvmmsg(int, struct mmsghdr *, unsigned int, int, struct timespec *)`.
typealias ReceiveMultipleMessages = @convention(c) (Int32, UnsafeMutableRawPointer?, UInt32, Int32, UnsafeMutableRawPointer?)
    -> Int32

