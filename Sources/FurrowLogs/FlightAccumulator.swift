/// The format-independent part of a ``FlightSummarizer``: each format's adapter turns its messages into
/// these calls (a time seen, arming, a GPS fix, a mode, a battery sample, …), and ``finish(lastTime:)``
/// derives start, end, distance and area.
struct FlightAccumulator: Sendable {
    var summary: FlightSummary
    let options: FlightSummaryOptions

    /// Largest time seen (for gap detection and the open end of an armed period).
    var lastTime: Int64?
    var firstTime: Int64?
    /// Whether a time-base gap counts as a dropout (.bin, .tlog; a ULog says so itself).
    var detectsGaps: Bool

    var armed: Bool?
    var armedSince: Int64?
    var latestRelative: Double?
    var relativeFromField = false
    var altitudeAtArming: Double?
    var lastModeNumber: Int64?
    var lastModeName: String?
    var batteries: [Int: FlightBatteryAccumulator] = [:]
    var flowTotals: [Double]
    var flowSamples: [Int]
    var flowLast: [(time: Int64, value: Double)?]
    var sprayingFlags: [Bool]
    /// Per track point: whether a spraying channel was on (only kept when the area asks for it).
    var trackSpraying: [Bool] = []

    init(format: FlightLogFormat, timeBase: FlightTimeBase, options: FlightSummaryOptions, detectsGaps: Bool) {
        summary = FlightSummary(format: format, timeBase: timeBase)
        self.options = options
        self.detectsGaps = detectsGaps
        flowTotals = Array(repeating: 0, count: options.flowChannels.count)
        flowSamples = Array(repeating: 0, count: options.flowChannels.count)
        flowLast = Array(repeating: nil, count: options.flowChannels.count)
        sprayingFlags = Array(repeating: false, count: options.flowChannels.count)
    }

    // MARK: - Time

    /// A message at `time`; a jump forward beyond the gap threshold counts as a dropout.
    mutating func seen(_ time: Int64) {
        if let last = lastTime {
            if time > last {
                if detectsGaps && time - last > options.gapThresholdMicros {
                    summary.dropouts.add(at: last, length: time - last, cap: options.maxListedEvents)
                }
                lastTime = time
            }
        } else {
            lastTime = time
        }
        if firstTime.map({ time < $0 }) ?? true { firstTime = time }
    }

    // MARK: - Arming

    mutating func setArmed(_ isArmed: Bool, at time: Int64) {
        if armed == isArmed { return }
        if isArmed {
            armedSince = time
            altitudeAtArming = nil
        } else if let since = armedSince {
            summary.armedPeriods.append(FlightInterval(startMicros: since, endMicros: time))
            armedSince = nil
        }
        armed = isArmed
    }

    // MARK: - Position

    /// A relative-altitude sample from a field of the log; once one is seen, the GPS-derived fallback stops.
    mutating func relativeAltitude(_ meters: Double, source: String) {
        guard meters.isFinite else { return }
        if !relativeFromField {
            relativeFromField = true
            summary.maxAltitudeRelative = nil
            summary.relativeAltitudeSource = source
        }
        latestRelative = meters
        summary.maxAltitudeRelative = Swift.max(summary.maxAltitudeRelative ?? meters, meters)
    }

    /// A GPS fix that the adapter has judged valid (3-D fix, not 0,0).
    mutating func fix(time: Int64, latitude: Double, longitude: Double, altitudeMSL: Double, speed: Double?) {
        guard latitude.isFinite, longitude.isFinite, abs(latitude) <= 90, abs(longitude) <= 180,
            !(latitude == 0 && longitude == 0), altitudeMSL.isFinite
        else { return }
        let isArmed = armed ?? false
        if isArmed && altitudeAtArming == nil { altitudeAtArming = altitudeMSL }
        if !relativeFromField, isArmed, let base = altitudeAtArming {
            let meters = altitudeMSL - base
            latestRelative = meters
            summary.relativeAltitudeSource = "GPS altitude − GPS altitude at the first fix after arming"
            summary.maxAltitudeRelative = Swift.max(summary.maxAltitudeRelative ?? meters, meters)
        }
        summary.maxAltitudeMSL = Swift.max(summary.maxAltitudeMSL ?? altitudeMSL, altitudeMSL)
        summary.track.append(
            TrackPoint(
                timeMicros: time, latitude: latitude, longitude: longitude, altitudeMSL: altitudeMSL,
                altitudeRelative: latestRelative, speed: speed.flatMap { $0.isFinite ? $0 : nil }, armed: isArmed))
        if options.areaOnlyWhileSpraying { trackSpraying.append(sprayingFlags.contains(true)) }
    }

    // MARK: - Modes, messages

    mutating func mode(at time: Int64, number: Int64, name: String) {
        if lastModeNumber == number && lastModeName == name { return }
        lastModeNumber = number
        lastModeName = name
        summary.modes.append(FlightModeChange(timeMicros: time, name: name, number: number))
    }

    mutating func message(at time: Int64?, severity: Int?, text: String) {
        switch severity {
        case .none: summary.textCount += 1
        case .some(let s) where s <= 3: summary.errorCount += 1
        case .some(4): summary.warningCount += 1
        default: return
        }
        if summary.messages.count < options.maxListedEvents {
            summary.messages.append(FlightLogMessage(timeMicros: time, severity: severity, text: text))
        }
    }

    // MARK: - Battery, flow

    mutating func battery(
        instance: Int, source: String, time: Int64, voltage: Double?, current: Double?, consumedMilliampHours: Double? = nil,
        consumedWattHours: Double? = nil
    ) {
        batteries[instance, default: FlightBatteryAccumulator(instance: instance, source: source)].add(
            time: time, voltage: voltage, current: current, consumedMilliampHours: consumedMilliampHours,
            consumedWattHours: consumedWattHours)
    }

    mutating func flow(channel index: Int, time: Int64, value raw: Double) {
        let channel = options.flowChannels[index]
        let value = raw * channel.scale
        guard value.isFinite else { return }
        flowSamples[index] += 1
        if let last = flowLast[index], time > last.time {
            flowTotals[index] += (last.value + value) / 2 * Double(time - last.time) / 1e6
        }
        flowLast[index] = (time, value)
        if channel.marksSpraying { sprayingFlags[index] = value > channel.sprayingThreshold }
    }

    // MARK: - Finish

    /// Closes open spans and derives start, end, distance, area, batteries and flows.
    mutating func finish() -> FlightSummary {
        var out = summary
        let end = lastTime
        if let since = armedSince {
            out.armedPeriods.append(FlightInterval(startMicros: since, endMicros: Swift.max(end ?? since, since), openAtEnd: true))
        }
        if let first = firstTime, let last = end { out.logSpan = FlightInterval(startMicros: first, endMicros: last) }
        if let first = out.armedPeriods.first, let last = out.armedPeriods.last {
            out.startMicros = first.startMicros
            out.endMicros = last.endMicros
            out.startEndFromArming = true
        } else {
            out.startMicros = firstTime
            out.endMicros = end
            out.notes.append(armed == nil ? "no arming information: start and end are the first and last message" : "never armed: start and end are the first and last message")
        }
        out.gpsPointCount = out.track.count
        let armingKnown = armed != nil
        // Distance along consecutive fixes, both armed when arming is known.
        var distance = 0.0
        var previous: TrackPoint?
        for point in out.track {
            if let p = previous, !armingKnown || (p.armed && point.armed) {
                distance += Geodesy.distance(
                    latitude1: p.latitude, longitude1: p.longitude, latitude2: point.latitude, longitude2: point.longitude)
            }
            previous = point
        }
        out.distanceMeters = distance
        if out.track.isEmpty { out.notes.append("no valid GPS fix: no track, distance or area") }
        if let width = options.swathWidthMeters, width > 0 {
            var coverage = SwathCoverage(width: width, cell: options.areaCellMeters)
            var connected = false
            for (i, point) in out.track.enumerated() {
                var counts = !armingKnown || point.armed
                if options.areaOnlyWhileSpraying { counts = counts && i < trackSpraying.count && trackSpraying[i] }
                if counts {
                    coverage.add(latitude: point.latitude, longitude: point.longitude, connect: connected)
                }
                connected = counts
            }
            out.swathWidthMeters = width
            out.coveredAreaSquareMeters = coverage.area
        }
        out.batteries = batteries.keys.sorted().compactMap { batteries[$0]?.summary }
        out.flows = options.flowChannels.enumerated().map { i, channel in
            FlightFlowTotal(name: channel.name, total: flowTotals[i], unit: channel.unit, samples: flowSamples[i])
        }
        if out.utcOffsetMicros == nil { out.notes.append("no GPS time: times are microseconds since boot") }
        return out
    }
}
