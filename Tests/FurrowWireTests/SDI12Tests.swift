import Testing
@testable import FurrowWire

@Suite("SDI-12 commands and responses")
struct SDI12Tests {
    let zero = try! SDI12Address("0")

    @Test("command builders produce the v1.4 command strings")
    func commands() throws {
        let a = zero
        let cases: [(SDI12Command, String)] = [
            (.acknowledge(a), "0!"), (.addressQuery, "?!"), (.identify(a), "0I!"),
            (.changeAddress(a, to: try SDI12Address("3")), "0A3!"),
            (.measure(a), "0M!"), (.measure(a, crc: true), "0MC!"), (.measure(a, index: 4), "0M4!"),
            (.measure(a, index: 9, crc: true), "0MC9!"),
            (.concurrent(a), "0C!"), (.concurrent(a, crc: true), "0CC!"), (.concurrent(a, index: 2), "0C2!"),
            (.sendData(a, index: 0), "0D0!"), (.sendData(a, index: 9), "0D9!"),
            (.continuous(a, index: 3), "0R3!"), (.continuous(a, index: 0, crc: true), "0RC0!"),
            (.verify(a), "0V!"),
        ]
        for (command, text) in cases {
            #expect(String(decoding: try command.bytes(), as: UTF8.self) == text)
            #expect(command.description == text)
        }
    }

    @Test("out-of-range indices and addresses are typed errors")
    func invalidCommands() {
        #expect(throws: SDI12Error.self) { try SDI12Command.sendData(zero, index: 10).bytes() }
        #expect(throws: SDI12Error.self) { try SDI12Command.measure(zero, index: -1).bytes() }
        do throws(SDI12Error) {
            _ = try SDI12Address("#")
            Issue.record("'#' accepted as an address")
        } catch {
            #expect(error.code == .invalidAddress)
        }
        #expect((try? SDI12Address("z"))?.ascii == UInt8(ascii: "z"))
    }

    @Test("identification: version, vendor 8, model 6, version 3, optional serial")
    func identification() throws {
        // Layout as in the v1.4 spec's aI! example (address, "14", vendor, model, version, optional).
        let id = try SDI12Identification.parse(line("013CAMPBELLCS451 1.0SN12345"), expecting: zero)
        #expect(id.sdi12Version == "13")
        #expect(id.vendor == "CAMPBELL")
        #expect(id.model == "CS451")
        #expect(id.sensorVersion == "1.0")
        #expect(id.optional == "SN12345")
        let bare = try SDI12Identification.parse(line("114METER   TER12 100"))
        #expect(bare.vendor == "METER" && bare.model == "TER12" && bare.sensorVersion == "100" && bare.optional == "")
        #expect(throws: SDI12Error.self) { try SDI12Identification.parse(line("013CAMPBELL")) }
        #expect(throws: SDI12Error.self) { try SDI12Identification.parse(line("0x3CAMPBELLCS451 1.0")) }
        do throws(SDI12Error) {
            _ = try SDI12Identification.parse(line("113CAMPBELLCS451 1.0"), expecting: zero)
            Issue.record("wrong address accepted")
        } catch {
            #expect(error.code == .wrongAddress)
        }
    }

    @Test("measurement replies atttn and atttnn")
    func measurementReplies() throws {
        let m = try SDI12MeasurementReply.parse(line("00013"), expecting: zero)
        #expect(m.seconds == 1 && m.count == 3)
        let c = try SDI12MeasurementReply.parse(line("012012"), form: .concurrent)
        #expect(c.seconds == 120 && c.count == 12)
        #expect(throws: SDI12Error.self) { try SDI12MeasurementReply.parse(line("0001")) }
        #expect(throws: SDI12Error.self) { try SDI12MeasurementReply.parse(line("000A3")) }
        #expect(throws: SDI12Error.self) { try SDI12MeasurementReply.parse(line("000123")) }
        do throws(SDI12Error) {
            _ = try SDI12MeasurementReply.parse(line("001"))
            Issue.record("short reply accepted")
        } catch {
            #expect(error.code == .truncated)
        }
    }

    @Test("values are sign-delimited: +1.23-4.5+6")
    func values() throws {
        let r = try SDI12DataResponse.parse(line("0+1.23-4.5+6"), expecting: zero)
        #expect(r.values.map(\.value) == [1.23, -4.5, 6])
        #expect(r.values.map(\.decimals) == [2, 1, 0])
        let big = try SDI12DataResponse.parse(line("1-1234567+.5-.0000001"))
        #expect(big.values.map(\.value) == [-1_234_567, 0.5, -0.0000001])
        #expect(try SDI12DataResponse.parse(line("0")).values.isEmpty)
        for bad in ["0+12345678", "0+1.2.3", "0+", "01.5", "0+1a", "0+-1", "0 +1"] {
            do throws(SDI12Error) {
                _ = try SDI12DataResponse.parse(line(bad))
                Issue.record("\(bad) accepted")
            } catch {
                #expect(error.code == .malformed, "\(bad)")
            }
        }
    }

    @Test("service request is the address alone")
    func serviceRequest() throws {
        #expect(try SDI12ServiceRequest.parse(line("0")).address == zero)
        #expect(throws: SDI12Error.self) { try SDI12ServiceRequest.parse(line("00")) }
    }
}

@Suite("SDI-12 CRC")
struct SDI12CRCTests {
    @Test("CRC-16/ARC check value of '123456789' is 0xBB3D")
    func checkValue() {
        #expect(SDI12CRC.checksum(Array("123456789".utf8)) == 0xBB3D)
    }

    /// `0+3.14` → `OqZ` is the worked example in SDI-12 v1.4 §4.4.12; the others are from
    /// ../shared/agro-vectors/protocol_vectors.json (crcmod 'crc-16').
    @Test("published CRC strings", arguments: [
        ("0+3.14", 0xFC5A, "OqZ"),
        ("0+1.23-4.56+7.89", 0x2EE3, "B{c"),
        ("1+22.5+0.312", 0xD912, "MdR"),
        ("a+0.12+18.3+0.055", 0x5A37, "Ehw"),
    ])
    func published(text: String, value: Int, chars: String) throws {
        let body = Array(text.utf8)
        #expect(SDI12CRC.checksum(body) == UInt16(value))
        #expect(String(decoding: SDI12CRC.encode(UInt16(value)), as: UTF8.self) == chars)
        #expect(SDI12CRC.decode(Array(chars.utf8)) == UInt16(value))
        let response = try SDI12DataResponse.parse(line(text + chars), crc: true)
        #expect(response.values.count == text.filter { $0 == "+" || $0 == "-" }.count)
    }

    @Test("a changed digit or CRC character is a crcMismatch")
    func mismatch() {
        for bad in ["0+3.15OqZ", "0+3.14OqY", "0+3.14"] {
            do throws(SDI12Error) {
                _ = try SDI12DataResponse.parse(line(bad), crc: true)
                Issue.record("\(bad) accepted")
            } catch {
                #expect(error.code == .crcMismatch, "\(bad)")
            }
        }
    }
}

@Suite("SDI-12 measurement session")
struct SDI12SessionTests {
    let a = try! SDI12Address("0")

    @Test("aMC!: reply, service request, D0 and D1 until the announced 5 values arrived")
    func measureWithCRC() throws {
        var s = SDI12MeasurementSession(address: a, kind: .measure(crc: true))
        #expect(s.start() == [.send(.measure(a, crc: true)), .setTimer(.milliseconds(800))])
        // Reply in two pieces, as a UART hands it over.
        #expect(s.receive(Array("0005".utf8)).isEmpty)
        #expect(s.receive(Array("5\r\n".utf8)) == [.setTimer(.seconds(5) + .milliseconds(100))])
        #expect(s.receive(line("0")) == [.send(.sendData(a, index: 0)), .setTimer(.milliseconds(800))])
        #expect(s.receive(line(SDI12Line.text(SDI12CRC.appending(to: Array("0+1.23-4.56+7.89".utf8))))) ==
            [.send(.sendData(a, index: 1)), .setTimer(.milliseconds(800))])
        let last = s.receive(line(SDI12Line.text(SDI12CRC.appending(to: Array("0+22.5-0.1".utf8)))))
        let values: [Double] = [1.23, -4.56, 7.89, 22.5, -0.1]
        guard case .completed(let m)? = last.last else {
            Issue.record("not completed: \(last)")
            return
        }
        #expect(m.values.map(\.value) == values)
        #expect(m.retries == 0)
        #expect(s.isFinished)
    }

    @Test("no service request: D0 after ttt; a CRC error retries the same D; a timeout retries")
    func retries() {
        var s = SDI12MeasurementSession(address: a, kind: .measure(crc: true))
        _ = s.start()
        #expect(s.timerFired() == [.send(.measure(a, crc: true)), .setTimer(.milliseconds(800))])
        #expect(s.receive(line("00012")) == [.setTimer(.seconds(1) + .milliseconds(100))])
        #expect(s.timerFired() == [.send(.sendData(a, index: 0)), .setTimer(.milliseconds(800))])
        #expect(s.receive(line("0+1.0+2.0AAA")) == [.send(.sendData(a, index: 0)), .setTimer(.milliseconds(800))])
        let done = s.receive(line(SDI12Line.text(SDI12CRC.appending(to: Array("0+1.0+2.0".utf8)))))
        guard case .completed(let m)? = done.last else {
            Issue.record("not completed: \(done)")
            return
        }
        #expect(m.values.map(\.value) == [1, 2])
        #expect(m.retries == 2)
    }

    @Test("fewer values than announced is missingValues; timeouts give up after the retries")
    func failures() {
        var s = SDI12MeasurementSession(address: a, kind: .concurrent())
        _ = s.start()
        #expect(s.receive(line("000003")) == [.send(.sendData(a, index: 0)), .setTimer(.milliseconds(800))])
        #expect(s.receive(line("0+1+2")) == [.send(.sendData(a, index: 1)), .setTimer(.milliseconds(800))])
        let end = s.receive(line("0"))
        guard case .failed(let error)? = end.last else {
            Issue.record("not failed: \(end)")
            return
        }
        #expect(error.code == .missingValues)

        var t = SDI12MeasurementSession(address: a, configuration: .init(retries: 2))
        _ = t.start()
        #expect(t.timerFired().first == .send(.measure(a)))
        #expect(t.timerFired().first == .send(.measure(a)))
        let gaveUp = t.timerFired()
        guard case .failed(let timeout)? = gaveUp.last else {
            Issue.record("not failed: \(gaveUp)")
            return
        }
        #expect(timeout.code == .timeout)
        #expect(t.timerFired().isEmpty)
    }

    @Test("n = 0 completes at once; a reply from another address is retried, not accepted")
    func edgeCases() {
        var s = SDI12MeasurementSession(address: a)
        _ = s.start()
        #expect(s.receive(line("10013")) == [.send(.measure(a)), .setTimer(.milliseconds(800))])
        let done = s.receive(line("00000"))
        guard case .completed(let m)? = done.last else {
            Issue.record("not completed: \(done)")
            return
        }
        #expect(m.values.isEmpty && m.retries == 1)
    }

    @Test("the concurrent form ignores service requests and waits the full ttt")
    func concurrentIgnoresServiceRequest() {
        var s = SDI12MeasurementSession(address: a, kind: .concurrent())
        _ = s.start()
        _ = s.receive(line("001002"))
        #expect(s.receive(line("0")).isEmpty)
        #expect(s.timerFired() == [.send(.sendData(a, index: 0)), .setTimer(.milliseconds(800))])
    }
}
