/// Doubles from log fields turned into integer MAVLink fields without trapping on huge or odd values.
extension Int64 {
    /// `value` (already rounded) clamped to the Int64 range.
    init(clampingDouble value: Double) {
        if value >= 9.2e18 {
            self = .max
        } else if value <= -9.2e18 {
            self = .min
        } else {
            self = Int64(value)
        }
    }
}
