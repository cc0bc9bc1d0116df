import Testing

@testable import FurrowStore

/// Line protocol parsing against the syntax in InfluxDB's documentation (escapes, types, optional timestamp).
@Suite("InfluxDB line protocol")
struct LineProtocolTests {
    @Test("documented examples parse to the right measurement, tags, typed fields and timestamp")
    func documentedExamples() throws {
        let p = try #require(try LineProtocol.parse(#"weather,location=us-midwest temperature=82 1465839830100400200"#))
        #expect(p.measurement == "weather")
        #expect(p.tags.map(\.key) == ["location"] && p.tags.map(\.value) == ["us-midwest"])
        #expect(p.fields.map(\.value) == [.float(82)])
        #expect(p.timestamp == 1_465_839_830_100_400_200)

        let q = try #require(try LineProtocol.parse(#"my\ meas,tag\,key=va\=lue s="a \"q\" \\ b",i=-3i,u=7u,b=t,B=FALSE,f=-1.5e3"#))
        #expect(q.measurement == "my meas")
        #expect(q.tags.map(\.key) == ["tag,key"] && q.tags.map(\.value) == ["va=lue"])
        #expect(q.fields.map(\.key) == ["s", "i", "u", "b", "B", "f"])
        #expect(q.fields.map(\.value) == [.string(#"a "q" \ b"#), .integer(-3), .unsigned(7), .boolean(true), .boolean(false), .float(-1500)])
        #expect(q.timestamp == nil)

        #expect(try LineProtocol.parse("# a comment") == nil)
        #expect(try LineProtocol.parse("   ") == nil)
    }

    @Test("malformed lines are refused with a column, never a crash", arguments: [
        "m", "m ", "m,t v=1", "m v=", "m v=abc", "m v=1 12x", #"m s="open"#, ",t=1 v=1", "m v=1,", "m v=1i2",
    ])
    func malformed(line: String) {
        #expect(throws: LineProtocolError.self) { try LineProtocol.parse(line) }
    }

    @Test("format then parse gives the same point")
    func roundTrip() throws {
        let point = LineProtocolPoint(
            measurement: "a,b c", tags: [("k=1", "v,2 x")],
            fields: [("f", .float(0.1)), ("i", .integer(.min)), ("s", .string("x\"y\\z")), ("t", .boolean(true))],
            timestamp: -5)
        #expect(try LineProtocol.parse(LineProtocol.format(point)) == point)
    }
}
