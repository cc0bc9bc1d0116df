/// A lithium-polymer pack: charge drawn, energy drawn, voltage under load, temperature.
struct SimulatedBattery: Sendable {
    /// Cells in series (6S for the survey drone, 14S for the sprayer).
    let cells: Int
    /// Capacity, mAh.
    let capacity: Double
    /// Internal resistance of the pack, ohms.
    let resistance: Double
    /// Charge drawn since the pack was fitted, mAh.
    private(set) var consumed = 0.0
    /// Energy drawn since the pack was fitted, joules.
    private(set) var energy = 0.0
    /// Pack temperature, °C.
    private(set) var temperature = 24.0
    /// Time the counters are valid for, µs since the epoch.
    private(set) var updatedAt: Int64

    init(mission: SimulatedMission, fittedAt: Int64) {
        cells = mission == .survey ? 6 : 14
        capacity = mission == .survey ? 10_000 : 20_000
        resistance = mission == .survey ? 0.025 : 0.045
        updatedAt = fittedAt
    }

    /// A fresh, fully charged pack at `t` (the crew swaps it between sorties).
    mutating func swap(at t: Int64) {
        consumed = 0
        energy = 0
        temperature = 24
        updatedAt = t
    }

    /// State of charge in [0, 1].
    var stateOfCharge: Double { Swift.max(0, 1 - consumed / capacity) }

    /// Resting voltage: 4.2 V per cell full, a flat middle, falling faster below 20 %.
    var openCircuitVoltage: Double {
        let s = stateOfCharge
        let perCell = s > 0.2 ? 3.72 + 0.48 * (s - 0.2) / 0.8 : 3.3 + 0.42 * s / 0.2
        return perCell * Double(cells)
    }

    /// Voltage at the terminals while `current` amps flow.
    func voltage(current: Double) -> Double { openCircuitVoltage - current * resistance }

    /// Draws current up to `t`, in steps of at most a second with the current `load` gives at each step's start.
    mutating func advance(to t: Int64, load: (Int64) -> Double) {
        while updatedAt < t {
            let step = Swift.min(t - updatedAt, 1_000_000)
            let amps = load(updatedAt)
            let hours = Double(step) / 3.6e9
            energy += voltage(current: amps) * amps * Double(step) * 1e-6
            consumed += amps * 1000 * hours
            // Heats with I²R, cools towards 24 °C with a time constant of ~5 minutes.
            let seconds = Double(step) * 1e-6
            temperature += (amps * amps * resistance * 0.0004 - (temperature - 24) / 300) * seconds
            updatedAt += step
        }
    }
}
