#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends simulated frames over UDP, one frame per datagram, as autopilots and ground stations do.
///
/// Either one socket for the whole fleet (every drone shares a source port, as behind a ground station that
/// forwards several vehicles), or one socket per drone (each drone has its own source port, as when each
/// talks to the gateway directly). On Linux, runs of datagrams from the same socket go out with one
/// `sendmmsg` call each (up to 1,024 per call); elsewhere with one `sendto` per datagram.
///
/// Sockets are blocking: a sender outrunning the kernel waits instead of losing datagrams locally (the
/// receiver may still drop them when its buffer is full, as on a real network).
public final class UDPFrameSender: SimulationOutput {
    /// Datagrams handed to the kernel.
    public private(set) var datagramsSent = 0
    /// Payload bytes handed to the kernel.
    public private(set) var bytesSent = 0
    /// Frames in datagrams the kernel refused for a reason that will not last (no route, host unreachable).
    public private(set) var framesDropped = 0
    /// Where datagrams go, as given.
    public let destination: String
    /// Largest datagram that consecutive frames are joined into (0: one frame per datagram, the default).
    ///
    /// MAVLink receivers (pymavlink's `udpin`, MAVProxy, QGroundControl, the daemon) parse every frame of a
    /// datagram, so joining frames changes the packetisation, never the byte stream: frames stay whole and in
    /// order, and a frame longer than the limit goes alone. Cuts the kernel's per-datagram cost, which
    /// bounds a one-frame-per-datagram sender (~315,000 datagrams/s over this VM's loopback).
    public var coalesceBytes = 0

    private var sockets: [Int32]
    /// Per socket: connected to the destination (datagrams go without an address).
    private var isConnected: [Bool] = []
    private let address: UnsafeMutablePointer<sockaddr_storage>
    private let addressLength: socklen_t
    private let vectors: UnsafeMutablePointer<iovec>
    private let headers: UnsafeMutablePointer<MultipleMessageHeader>
    /// Frames in each datagram of the current `sendmmsg` call.
    private let framesPerDatagram: UnsafeMutablePointer<Int>
    private let sendMultiple: SendMultipleMessages?
    private static let batchLimit = 1024

    /// Opens `sockets` sockets (one for a shared sender, one per drone otherwise) towards `host`:`port`.
    ///
    /// With more sockets than the descriptor limit allows, the soft limit is raised to the hard one.
    ///
    /// - Throws: `SimulationError` (`.resolve`, `.socket`, `.argument`).
    /// - Parameter connected: Connect each socket to the destination, as an autopilot's UDP client link
    ///   does: the kernel keeps the route instead of looking it up for every datagram (less CPU per
    ///   datagram), and an ICMP port-unreachable makes the next datagram fail (counted in `framesDropped`).
    public init(
        host: String, port: Int, sockets count: Int = 1, broadcast: Bool = false, connected: Bool = false
    ) throws(SimulationError) {
        guard (1...65535).contains(port) else {
            throw SimulationError(code: .argument, reason: "UDP port \(port) is not in 1...65535")
        }
        destination = "\(host):\(port)"
        address = .allocate(capacity: 1)
        address.initialize(to: sockaddr_storage())
        vectors = .allocate(capacity: Self.batchLimit)
        headers = .allocate(capacity: Self.batchLimit)
        framesPerDatagram = .allocate(capacity: Self.batchLimit)
        framesPerDatagram.initialize(repeating: 1, count: Self.batchLimit)
        headers.initialize(repeating: MultipleMessageHeader(header: msghdr(), length: 0), count: Self.batchLimit)
        sendMultiple = cLibraryFunction("sendmmsg", as: SendMultipleMessages.self)  // Linux ≥ 3.0
        sockets = []
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = datagramSocketType
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let info = found, let resolved = info.pointee.ai_addr else {
            addressLength = 0
            let text = status == 0 ? "no address" : String(cString: gai_strerror(status))
            throw SimulationError(code: .resolve, reason: "cannot resolve \(host): \(text)")
        }
        defer { freeaddrinfo(found) }
        addressLength = info.pointee.ai_addrlen
        UnsafeMutableRawPointer(address).copyMemory(from: resolved, byteCount: Int(info.pointee.ai_addrlen))
        let family = info.pointee.ai_family
        try raiseDescriptorLimit(to: count + 64)
        for _ in 0..<Swift.max(count, 1) {
            let fd = socket(family, datagramSocketType, 0)
            if fd < 0 { throw SimulationError(code: .socket, reason: "cannot open a UDP socket", errno: errno) }
            sockets.append(fd)
            var size: Int32 = count == 1 ? 4 << 20 : 256 << 10
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            if broadcast {
                var on: Int32 = 1
                guard setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                    throw SimulationError(code: .socket, reason: "cannot allow broadcast on a UDP socket", errno: errno)
                }
            }
            // Bind now, so the source port is known before the first datagram.
            var local = sockaddr_storage()
            local.ss_family = sa_family_t(family)
            let length = socklen_t(family == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            if bound != 0 { throw SimulationError(code: .socket, reason: "cannot bind a UDP socket", errno: errno) }
            let connectedNow =
                connected
                && withUnsafePointer(to: &address.pointee) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, addressLength) }
                } == 0
            isConnected.append(connectedNow)
        }
    }

    deinit {
        for fd in sockets { close(fd) }
        address.deallocate()
        vectors.deallocate()
        headers.deinitialize(count: Self.batchLimit)
        headers.deallocate()
        framesPerDatagram.deallocate()
    }

    /// Number of sockets.
    public var socketCount: Int { sockets.count }

    /// The local (source) port of socket `i` (drone `i` with one socket per drone).
    public func localPort(_ i: Int) -> Int? {
        guard sockets.indices.contains(i) else { return nil }
        var local = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sockets[i], $0, &length) == 0 }
        }
        guard ok else { return nil }
        return withUnsafeBytes(of: &local) { raw in
            // sin_port and sin6_port both sit at offset 2, in network byte order.
            Int(raw[2]) << 8 | Int(raw[3])
        }
    }

    // MARK: - Sending

    public func write(_ batch: SimulatedBatch) throws(SimulationError) {
        let n = batch.count
        guard n > 0 else { return }
        var failure: Int32?
        batch.bytes.withUnsafeBytes { bytes in
            batch.ends.withUnsafeBufferPointer { ends in
                batch.drones.withUnsafeBufferPointer { drones in
                    var i = 0
                    while i < n && failure == nil {
                        // A run of frames that leave from the same socket.
                        let socket = sockets.count == 1 ? 0 : Int(drones[i]) % sockets.count
                        var j = i + 1
                        if sockets.count > 1 {
                            while j < n && Int(drones[j]) % sockets.count == socket { j += 1 }
                        } else {
                            j = n
                        }
                        failure = send(socket, bytes.baseAddress!, ends, from: i, to: j)
                        i = j
                    }
                }
            }
        }
        if let failure {
            throw SimulationError(code: .socket, reason: "cannot send to \(destination)", errno: failure)
        }
    }

    public func finish() throws(SimulationError) {}

    /// Sends frames `from..<to` on socket number `socket` (joined up to `coalesceBytes` per datagram); returns
    /// the errno of a lasting failure.
    private func send(_ socket: Int, _ base: UnsafeRawPointer, _ ends: UnsafeBufferPointer<Int>, from: Int, to: Int) -> Int32? {
        let fd = sockets[socket]
        let connected = isConnected[socket]
        let limit = coalesceBytes
        var i = from
        while i < to {
            // Up to `batchLimit` datagrams: frames i..<next, each datagram one frame or a run of whole frames.
            var k = 0
            while k < Self.batchLimit && i < to {
                let start = i == 0 ? 0 : ends[i - 1]
                var end = ends[i]
                let first = i
                i += 1
                if limit > 0 {
                    while i < to && ends[i] - start <= limit {
                        end = ends[i]
                        i += 1
                    }
                }
                vectors[k] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base + start), iov_len: end - start)
                framesPerDatagram[k] = i - first
                k += 1
            }
            var done = 0
            while done < k {
                let sent: Int
                if let sendMultiple {
                    for j in done..<k {
                        headers[j].header.msg_name = connected ? nil : UnsafeMutableRawPointer(address)
                        headers[j].header.msg_namelen = connected ? 0 : addressLength
                        headers[j].header.msg_iov = vectors + j
                        headers[j].header.msg_iovlen = 1
                    }
                    sent = Int(sendMultiple(fd, UnsafeMutableRawPointer(headers + done), UInt32(k - done), 0))
                } else {
                    let r =
                        connected
                        ? sendto(fd, vectors[done].iov_base, vectors[done].iov_len, 0, nil, 0)
                        : withUnsafePointer(to: &address.pointee) {
                            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                                sendto(fd, vectors[done].iov_base, vectors[done].iov_len, 0, $0, addressLength)
                            }
                        }
                    sent = r < 0 ? -1 : 1
                }
                if sent > 0 {
                    for j in done..<(done + sent) { bytesSent += vectors[j].iov_len }
                    datagramsSent += sent
                    done += sent
                    continue
                }
                let code = errno
                switch code {
                case EINTR:
                    continue
                case EAGAIN, ENOBUFS:
                    var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&poller, 1, 10)
                case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN:
                    // The network said no to this datagram; a radio link would lose it too.
                    framesDropped += framesPerDatagram[done]
                    done += 1
                default:
                    return code
                }
            }
        }
        return nil
    }
}

// MARK: - System glue

/// `struct mmsghdr` from <sys/socket.h> (not exported to Swift by Glibc): a `msghdr` and the bytes sent.
struct MultipleMessageHeader {
    var header: msghdr
    var length: UInt32
}

/// `int sendmmsg(int, struct mmsghdr *, unsigned int, int)`.
typealias SendMultipleMessages = @convention(c) (Int32, UnsafeMutableRawPointer?, UInt32, Int32) -> Int32


#if canImport(Glibc)
    let datagramSocketType = Int32(SOCK_DGRAM.rawValue)
#else
    let datagramSocketType = SOCK_DGRAM
#endif

/// Raises the soft limit on open descriptors to at least `needed` (up to the hard limit).
func raiseDescriptorLimit(to needed: Int) throws(SimulationError) {
    var limit = rlimit()
    #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        let resource = RLIMIT_NOFILE
    #endif
    guard getrlimit(resource, &limit) == 0 else { return }
    guard limit.rlim_cur < rlim_t(needed) else { return }
    if limit.rlim_max < rlim_t(needed) {
        throw SimulationError(
            code: .socket, reason: "\(needed) descriptors needed but the hard limit is \(limit.rlim_max) (ulimit -Hn)")
    }
    limit.rlim_cur = rlim_t(needed)
    if setrlimit(resource, &limit) != 0 {
        throw SimulationError(code: .socket, reason: "cannot raise the descriptor limit to \(needed)", errno: errno)
    }
}
