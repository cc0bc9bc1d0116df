/// Running figures of one battery: lowest voltage, the autopilot's counters and ∫I dt, ∫V·I dt.
struct FlightBatteryAccumulator: Sendable {
    let instance: Int
    var source: String
    var minVoltage: Double?
    var counterMilliampHours: Double?
    var counterWattHours: Double?
    var integratedMilliampHours = 0.0
    var integratedWattHours = 0.0
    var integratedCurrent = false
    var integratedPower = false
    var samples = 0
    var last: (time: Int64, voltage: Double?, current: Double?)?

    init(instance: Int, source: String) {
        self.instance = instance
        self.source = source
    }

    /// One sample; nil fields are unknown. Negative currents and voltages ≤ 0 are "no sensor" and left out.
    mutating func add(time: Int64, voltage: Double?, current: Double?, consumedMilliampHours: Double?, consumedWattHours: Double?) {
        samples += 1
        let volts = voltage.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        let amps = current.flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
        if let volts { minVoltage = Swift.min(minVoltage ?? volts, volts) }
        if let c = consumedMilliampHours, c.isFinite, c >= 0 { counterMilliampHours = Swift.max(counterMilliampHours ?? c, c) }
        if let w = consumedWattHours, w.isFinite, w >= 0 { counterWattHours = Swift.max(counterWattHours ?? w, w) }
        if let last, time > last.time, time - last.time < 60_000_000 {
            let hours = Double(time - last.time) / 3.6e9
            if let a0 = last.current, let a1 = amps {
                integratedMilliampHours += (a0 + a1) / 2 * hours * 1000
                integratedCurrent = true
                if let v0 = last.voltage, let v1 = volts {
                    integratedWattHours += (a0 * v0 + a1 * v1) / 2 * hours
                    integratedPower = true
                }
            }
        }
        last = (time, volts, amps)
    }

    var summary: FlightBatterySummary {
        var parts: [String] = [source]
        let mah = counterMilliampHours ?? (integratedCurrent ? integratedMilliampHours : nil)
        let wh = counterWattHours ?? (integratedPower ? integratedWattHours : nil)
        if counterMilliampHours == nil && integratedCurrent { parts.append("mAh integrated from current") }
        if counterWattHours == nil && integratedPower { parts.append("Wh integrated from voltage × current") }
        return FlightBatterySummary(
            instance: instance, minVoltage: minVoltage, consumedMilliampHours: mah, consumedWattHours: wh,
            source: parts.joined(separator: "; "), samples: samples)
    }
}
