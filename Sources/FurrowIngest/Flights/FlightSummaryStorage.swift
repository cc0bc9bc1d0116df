import Foundation
import FurrowLogs
import FurrowStore

/// How a flight's summary and track are kept in the flight table: the summary as JSON with every time in UTC
/// (without the track), the track as one row group encoded with the store's codecs (~10 bytes a point).
public enum FlightSummaryStorage {
    /// The summary JSON and the encoded track of `summary`, its times moved by `offset` to UTC.
    public static func encode(_ summary: FlightSummary, offset: Int64) throws -> (json: String, track: [UInt8]?) {
        var s = summary.movedToUTC(offset: offset)
        let track = encodeTrack(s.track)
        s.track = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Parameters may hold NaN or infinities, which JSON has no numbers for.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (String(decoding: try encoder.encode(s), as: UTF8.self), track)
    }

    /// A stored summary with its track put back (nil if the JSON does not decode).
    public static func decode(json: String, track: [UInt8]?) -> FlightSummary? {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        guard var summary = try? decoder.decode(FlightSummary.self, from: Data(json.utf8)) else { return nil }
        summary.track = track.flatMap(decodeTrack) ?? []
        return summary
    }

    /// The track as one row group: UTC µs; latitude, longitude, MSL and relative altitude, speed, armed.
    public static func encodeTrack(_ track: [TrackPoint]) -> [UInt8]? {
        guard !track.isEmpty else { return nil }
        let group = StoreRowGroup(
            timestamps: track.map(\.timeMicros),
            columns: [
                .float64(track.map(\.latitude)), .float64(track.map(\.longitude)), .float64(track.map(\.altitudeMSL)),
                .float64(track.map { $0.altitudeRelative ?? .nan }), .float64(track.map { $0.speed ?? .nan }),
                .bool(track.map(\.armed)),
            ])
        return group.encode()
    }

    /// Decodes a track stored by `encodeTrack`.
    public static func decodeTrack(_ bytes: [UInt8]) -> [TrackPoint]? {
        guard let group = try? StoreRowGroup.decode(bytes), group.columns.count == 6,
            case .float64(let lat) = group.columns[0], case .float64(let lon) = group.columns[1],
            case .float64(let msl) = group.columns[2], case .float64(let rel) = group.columns[3],
            case .float64(let speed) = group.columns[4], case .bool(let armed) = group.columns[5]
        else { return nil }
        return group.timestamps.indices.map { i in
            TrackPoint(
                timeMicros: group.timestamps[i], latitude: lat[i], longitude: lon[i], altitudeMSL: msl[i],
                altitudeRelative: rel[i].isNaN ? nil : rel[i], speed: speed[i].isNaN ? nil : speed[i], armed: armed[i])
        }
    }
}
