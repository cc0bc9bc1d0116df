import FurrowWire

/// libFuzzer's entry point: every check on the input as given, then on a copy whose frames were made valid.
///
/// Raw bytes exercise resynchronisation on noise; the fixed-up copy (`FrameFixer`) reaches what random bytes
/// rarely do: CRC-valid frames of every message id and length, and signed frames that verify.
/// A violated invariant traps (`fatalError`), which libFuzzer reports as a crash and saves the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    FuzzCase(input, variant: "raw").run()
    let fixed = FrameFixer.fixed(input)
    defer { fixed.deallocate() }
    FuzzCase(UnsafeRawBufferPointer(fixed), variant: "fixed-up").run()
    return 0
}

/// Everything run on one input.
struct FuzzCase {
    let input: UnsafeRawBufferPointer
    let plans: [ChunkPlan]
    let seed: UInt64
    /// "raw" or "fixed-up", for messages.
    let variant: String

    init(_ input: UnsafeRawBufferPointer, variant: String) {
        self.input = input
        self.variant = variant
        self.seed = FNV1a.hash(input)
        self.plans = ChunkPlan.plans(count: input.count, seed: seed)
    }

    /// Without a key: every plan for inputs up to 512 bytes; for longer ones the whole input and one more plan
    /// picked by the input's hash (a framer allocates a 256 KB table, which dominates the cost under
    /// AddressSanitizer; over a run every plan is used). With a key, only the whole input: the signing policy
    /// is applied after framing, so chunking cannot reach it differently.
    func plans(for signing: SigningMode) -> [ChunkPlan] {
        guard signing == .none else { return [plans[0]] }
        if input.count <= 512 { return plans }
        return [plans[0], plans[1 + Int((seed >> 32) % UInt64(plans.count - 1))]]
    }

    func run() {
        if FuzzOptions.trace { trace("== \(variant) input, \(input.count) bytes: \(hex(input))") }
        PrimitiveChecks(input: input, seed: seed).run()

        var unsignedRun: FramerOutcome?
        for signing in SigningMode.allCases {
            let plans = plans(for: signing)
            let outcomes = plans.map { FramerRun(input: input, plan: $0, signing: signing, seed: seed).run() }
            for (plan, outcome) in zip(plans, outcomes).dropFirst() {
                FramerOutcome.requireSame(outcomes[0], outcome, what: "\(variant) input: framer \(signing) whole vs \(plan.name)")
            }
            if signing == .none {
                unsignedRun = outcomes[0]
            } else if let unsignedRun {
                FramerOutcome.requireSigningSubset(unsigned: unsignedRun, signed: outcomes[0], mode: signing)
            }
        }

        for signing in [SigningMode.none, .strict] {
            let plans = plans(for: signing)
            let outcomes = plans.map { TlogRun(input: input, plan: $0, signing: signing).run() }
            for (plan, outcome) in zip(plans, outcomes).dropFirst() {
                TlogOutcome.requireSame(outcomes[0], outcome, what: "\(variant) input: tlog \(signing) whole vs \(plan.name)")
            }
        }
    }
}
