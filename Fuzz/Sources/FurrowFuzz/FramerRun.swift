import FurrowWire

/// What a framer delivered over a whole input: comparable across chunk plans.
struct FramerOutcome {
    var frames: [[UInt8]] = []
    var statistics = MAVLinkStatistics()

    static func requireSame(_ a: FramerOutcome, _ b: FramerOutcome, what: String) {
        require(a.frames.count == b.frames.count, "\(what): \(a.frames.count) vs \(b.frames.count) frames")
        if let i = a.frames.indices.first(where: { a.frames[$0] != b.frames[$0] }) {
            require(false, "\(what): frame \(i) differs: \(hex(a.frames[i])) vs \(hex(b.frames[i]))")
        }
        require(a.statistics == b.statistics, "\(what): counters differ: \(a.statistics) vs \(b.statistics)")
    }

    /// With a key, frames sit where they sat without one: the accepted ones are a subsequence, every other one
    /// is counted as rejected, and its bytes as skipped.
    static func requireSigningSubset(unsigned: FramerOutcome, signed: FramerOutcome, mode: SigningMode) {
        let s = signed.statistics
        let u = unsigned.statistics
        let rejected = s.badSignatures + s.replayedSignatures + s.unsignedRejected
        require(s.frames + rejected == u.frames, "\(mode): \(s.frames) + \(rejected) rejected != \(u.frames) frames unsigned")
        var j = 0
        for frame in signed.frames {
            while j < unsigned.frames.count && unsigned.frames[j] != frame { j += 1 }
            require(j < unsigned.frames.count, "\(mode): frame \(hex(frame)) not delivered without a key")
            j += 1
        }
        let deliveredBytes = { (o: FramerOutcome) in o.frames.reduce(0) { $0 + $1.count } }
        let rejectedBytes = deliveredBytes(unsigned) - deliveredBytes(signed)
        require(s.bytesSkipped == u.bytesSkipped + rejectedBytes, "\(mode): skipped \(s.bytesSkipped), \(u.bytesSkipped) + \(rejectedBytes) rejected")
        require(s.crcFailures == u.crcFailures && s.incompatRejected == u.incompatRejected, "\(mode): rejections")
    }
}

/// One framer over one chunk plan: checks every frame, its bounds and order, and the counters at the end.
struct FramerRun {
    let input: UnsafeRawBufferPointer
    let plan: ChunkPlan
    let signing: SigningMode
    let seed: UInt64

    func run() -> FramerOutcome {
        var framer = signing.framer
        var tally = FrameTally()
        // Frames are decoded and batched in one run per input only: the other runs must deliver the same bytes.
        let deep = signing == .none && plan.isWhole
        var batches = deep ? BatchCheck(rowsPerBatch: 1 + Int(seed % 7)) : nil
        var outcome = FramerOutcome()
        var inPlaceEnd = 0
        plan.forEachChunk(of: input) { chunk, chunkOffset in
            framer.feed(chunk) { frame in
                let values = FrameChecks.check(frame, signing: signing, deep: deep)
                frame.withUnsafeBytes { b in
                    // A frame inside the chunk must end inside it, after the previous in-place frame.
                    if let p = b.baseAddress, let base = chunk.baseAddress, p >= base, p < base + chunk.count {
                        let offset = p - base
                        require(offset + b.count <= chunk.count, "frame at \(offset) of \(b.count) bytes past a \(chunk.count)-byte chunk")
                        require(chunkOffset + offset >= inPlaceEnd, "frame at \(chunkOffset + offset) overlaps the previous one")
                        inPlaceEnd = chunkOffset + offset + b.count
                    }
                    outcome.frames.append(Array(b))
                }
                tally.add(frame)
                batches?.append(frame, values: values)
            }
        }
        framer.finish { frame in
            let values = FrameChecks.check(frame, signing: signing, deep: deep)
            outcome.frames.append(frame.bytes)
            tally.add(frame)
            batches?.append(frame, values: values)
        }
        batches?.finish()
        require(framer.pendingByteCount == 0, "\(framer.pendingByteCount) bytes pending after finish")
        outcome.statistics = framer.statistics
        if FuzzOptions.trace {
            trace("framer \(signing) \(plan.name): \(outcome.frames.count) frames, \(outcome.statistics)")
            for frame in outcome.frames { trace("  frame \(frame.count) bytes: \(hex(frame))") }
        }
        tally.requireConsistent(with: outcome.statistics, inputCount: input.count, signing: signing, tlog: false)
        return outcome
    }
}

/// Counts over the frames actually delivered, to hold the framer's counters against.
struct FrameTally {
    var frames = 0
    var bytes = 0
    var v1 = 0
    var signed = 0
    var unknown = 0
    var truncated = 0
    var sources: [MAVLinkSourceID: (frames: Int, gaps: Int, lost: Int, last: UInt8)] = [:]

    mutating func add(_ frame: MAVLinkFrame) {
        frames += 1
        bytes += frame.length
        if frame.version == .v1 { v1 += 1 }
        if frame.isSigned { signed += 1 }
        if let index = frame.messageIndex {
            if frame.version == .v2 && frame.payloadLength < dialect.messages[index].maxLength { truncated += 1 }
        } else {
            unknown += 1
        }
        let id = MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID)
        if var s = sources[id] {
            let gap = Int(frame.sequence &- s.last &- 1)
            s.frames += 1
            if gap != 0 {
                s.gaps += 1
                s.lost += gap
            }
            s.last = frame.sequence
            sources[id] = s
        } else {
            sources[id] = (1, 0, 0, frame.sequence)
        }
    }

    /// The counters against what was delivered. `tlog`: the reader counts its own framing bytes too.
    func requireConsistent(with s: MAVLinkStatistics, inputCount: Int, signing: SigningMode, tlog: Bool) {
        require(s.bytes == inputCount, "bytes \(s.bytes) for \(inputCount) fed")
        require(s.frames == frames, "frames counter \(s.frames), \(frames) delivered")
        require(s.framesV1 == v1 && s.framesV2 == frames - v1, "v1/v2 counters \(s.framesV1)/\(s.framesV2), \(v1)/\(frames - v1) delivered")
        require(s.signedFrames == signed, "signed counter \(s.signedFrames), \(signed) delivered")
        require(s.truncatedPayloads == truncated, "truncated counter \(s.truncatedPayloads), \(truncated) delivered")
        require(s.bytesSkipped >= 0 && s.bytesSkipped <= inputCount, "bytesSkipped \(s.bytesSkipped) of \(inputCount)")
        if !tlog {
            require(bytes + s.bytesSkipped == inputCount, "\(bytes) in frames + \(s.bytesSkipped) skipped != \(inputCount)")
        }
        let rejected = s.badSignatures + s.replayedSignatures + s.unsignedRejected
        switch signing {
        case .none:
            require(rejected == 0 && s.signaturesVerified == 0, "signature counters without a key")
            require(s.unknownIDs == unknown, "unknownIDs \(s.unknownIDs), \(unknown) delivered")
        case .strict:
            require(s.signaturesVerified == frames && signed == frames, "strict: \(s.signaturesVerified) verified of \(frames)")
            // unknownIDs is counted before the signing policy runs, so rejected unknown frames count too.
            require(s.unknownIDs >= unknown && s.unknownIDs <= unknown + rejected, "unknownIDs \(s.unknownIDs), \(unknown) delivered")
        case .allowUnsigned:
            require(s.unsignedRejected == 0, "unsigned rejected although allowed")
            require(s.signaturesVerified == signed, "allow-unsigned: \(s.signaturesVerified) verified, \(signed) signed")
            require(s.unknownIDs >= unknown && s.unknownIDs <= unknown + rejected, "unknownIDs \(s.unknownIDs), \(unknown) delivered")
        }
        require(s.sources.count == sources.count, "\(s.sources.count) senders counted, \(sources.count) seen")
        for (id, t) in sources {
            let c = s.sources[id]
            require(
                c?.frames == t.frames && c?.sequenceGaps == t.gaps && c?.framesLost == t.lost,
                "sender \(id): \(String(describing: c)) vs frames \(t.frames) gaps \(t.gaps) lost \(t.lost)")
        }
    }
}

func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}
