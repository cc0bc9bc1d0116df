extension FlightSummary {
    /// The summary with every time moved to UTC µs (`time + offset`): what is stored with an imported flight, so
    /// the API's readers never add offsets themselves. A .bin or .ulg without GPS time is placed by the caller
    /// (the upload time) and keeps a note saying so.
    public func movedToUTC(offset: Int64) -> FlightSummary {
        func move(_ t: Int64) -> Int64 { t &+ offset }
        func move(_ i: FlightInterval) -> FlightInterval {
            FlightInterval(startMicros: move(i.startMicros), endMicros: move(i.endMicros), openAtEnd: i.openAtEnd)
        }
        var s = self
        s.startMicros = startMicros.map(move)
        s.endMicros = endMicros.map(move)
        s.logSpan = logSpan.map(move)
        s.armedPeriods = armedPeriods.map(move)
        s.modes = modes.map { var m = $0; m.timeMicros = move(m.timeMicros); return m }
        s.messages = messages.map { var m = $0; m.timeMicros = m.timeMicros.map(move); return m }
        s.dropouts.listed = dropouts.listed.map(move)
        s.track = track.map { var p = $0; p.timeMicros = move(p.timeMicros); return p }
        if timeBase == .boot && utcOffsetMicros == nil {
            s.notes.append("the log has no GPS time: its times are placed so that the log ends at the upload time")
        }
        s.timeBase = .utc
        s.utcOffsetMicros = 0
        return s
    }
}
