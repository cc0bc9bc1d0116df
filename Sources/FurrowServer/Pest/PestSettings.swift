import Foundation

/// What a field's pest summary reads beyond the field itself, kept in the field's `properties.pest` object:
/// weather series (falling back to `irrigation.weather`), biofix dates per model and the sustained-catch rule.
///
/// ```json
/// {"pest": {"weather": {"tMin": {"source": "station", "channel": "tmin"}, "tMax": {…},
///                       "temperature": {…}, "relativeHumidity": {…}, "leafWetness": {…}},
///           "biofix": {"codling-moth": "2026-04-02"}, "sustainedChecks": 2}}
/// ```
public struct PestSettings: Sendable, Codable, Hashable {
    /// Weather series: °C for temperatures, % for humidity, leaf wetness as wet (≥ 0.5, or ≥ 50 when the sensor
    /// reports percent of the interval) or dry.
    public struct Weather: Sendable, Codable, Hashable {
        public var temperature: SeriesReference?
        public var tMin: SeriesReference?
        public var tMax: SeriesReference?
        public var relativeHumidity: SeriesReference?
        public var leafWetness: SeriesReference?
    }

    public var weather: Weather?
    /// Biofix date (local YYYY-MM-DD) per model id; wins over the first sustained trap catch.
    public var biofix: [String: String]?
    /// Checks with a catch in a row that make a catch sustained (default 2).
    public var sustainedChecks: Int?

    /// The settings in `field.properties.pest`, or the reason they do not decode.
    static func of(_ field: Field) -> Result<PestSettings, PestSummaryError> {
        guard let value = field.properties["pest"] else { return .success(PestSettings()) }
        do {
            let data = try JSONEncoder().encode(value)
            return .success(try JSONDecoder().decode(PestSettings.self, from: data))
        } catch {
            return .failure(PestSummaryError(
                kind: .fieldNotReady, parameter: "properties.pest",
                message: "field \(field.id): properties.pest does not decode (weather.{temperature,tMin,tMax,relativeHumidity,leafWetness} series references, biofix {model: date}, sustainedChecks): \(error)"))
        }
    }
}

/// Why a field's pest summary cannot be given, with the parameter or setting to fix.
public struct PestSummaryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidRequest
        case fieldNotReady
    }

    public var kind: Kind
    public var parameter: String
    public var message: String
    public var description: String { "\(parameter): \(message)" }
}
