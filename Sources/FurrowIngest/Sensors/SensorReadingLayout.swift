import FurrowStore

/// The store channels of one sensor reading and how to fill them: calibrated values, raw values, extras.
///
/// Computed once per sensor; every reading of the sensor has the same channels, so its row group's schema
/// never changes while the profile does not.
public struct SensorReadingLayout: Sendable {
    public let channels: [SensorChannel]
    /// Indices of `channels` whose raw value is stored too.
    let rawIndices: [Int]
    public let extraNames: [String]
    public let storeChannels: [StoreChannel]

    init(channels: [SensorChannel], extra: [(String, String?)]) {
        self.channels = channels
        rawIndices = channels.indices.filter { !channels[$0].calibration.isIdentity }
        extraNames = extra.map(\.0)
        var store = channels.map { StoreChannel(name: $0.name, valueType: .float64, unit: $0.unit) }
        store += rawIndices.map { StoreChannel(name: channels[$0].rawName, valueType: .float64, unit: channels[$0].rawUnit) }
        store += extra.map { StoreChannel(name: $0.0, valueType: .float64, unit: $0.1) }
        storeChannels = store
    }

    /// The row of one reading: `raw` has one value per channel (NaN when the sensor did not deliver it),
    /// `extra` one per extra name.
    public func row(raw: [Double], extra: [Double] = []) -> [Double] {
        var values = channels.indices.map { i in i < raw.count ? channels[i].calibration.apply(raw[i]) : .nan }
        values += rawIndices.map { $0 < raw.count ? raw[$0] : .nan }
        values += extraNames.indices.map { $0 < extra.count ? extra[$0] : .nan }
        return values
    }
}
