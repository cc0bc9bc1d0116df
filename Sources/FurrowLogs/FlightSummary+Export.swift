extension FlightSummary {
    /// A one-line name for exports: vehicle and start time.
    var exportTitle: String {
        var parts: [String] = []
        parts.append(vehicle.vehicleType ?? vehicle.autopilot ?? format.rawValue)
        if let start = startMicros, let utc = utcMicros(start) {
            parts.append(ExportText.iso8601(utcMicros: utc))
        } else if let start = startMicros {
            parts.append("boot+" + ExportText.fixed(Double(start) / 1e6, digits: 1) + " s")
        }
        return parts.joined(separator: " ")
    }

    /// A short human description for exports.
    var exportDescription: String {
        var parts = [
            "format \(format.rawValue)",
            "duration " + ExportText.fixed(durationSeconds, digits: 1) + " s",
            "distance " + ExportText.fixed(distanceMeters, digits: 1) + " m",
            "GPS points \(gpsPointCount)",
        ]
        if let firmware = vehicle.firmware { parts.append("firmware \(firmware)") }
        if let m = maxAltitudeMSL { parts.append("max altitude MSL " + ExportText.fixed(m, digits: 1) + " m") }
        if let r = maxAltitudeRelative { parts.append("max altitude relative " + ExportText.fixed(r, digits: 1) + " m") }
        if let a = coveredAreaSquareMeters { parts.append("area " + ExportText.fixed(a, digits: 0) + " m²") }
        if let truncation { parts.append(truncation) }
        return parts.joined(separator: "; ")
    }

    /// A time as an ISO 8601 string when UTC is known.
    func isoTime(_ micros: Int64?) -> String? {
        guard let micros, let utc = utcMicros(micros) else { return nil }
        return ExportText.iso8601(utcMicros: utc)
    }
}
