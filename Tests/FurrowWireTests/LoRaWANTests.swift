import Foundation
import Testing
@testable import FurrowWire

@Suite("AES-CMAC (RFC 4493)")
struct AESCMACTests {
    /// RFC 4493 §4 test vectors: key 2b7e1516…, messages of 0, 16, 40 and 64 bytes.
    static let message = hexBytes("""
        6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51
        30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710
        """)

    @Test("subkeys K1, K2 from RFC 4493 §4")
    func subkeys() throws {
        let cmac = try AESCMAC(key: LoRaWANKey(hex: "2b7e151628aed2a6abf7158809cf4f3c"))
        #expect(hexString(cmac.k1) == "fbeed618357133667c85e08f7236a8de")
        #expect(hexString(cmac.k2) == "f7ddac306ae266ccf90bc11ee46d513b")
    }

    @Test("the four RFC 4493 examples", arguments: [
        (0, "bb1d6929e95937287fa37d129b756746"),
        (16, "070a16b46b4d4144f79bdd9dd04a287c"),
        (40, "dfa66747de9ae63030ca32611497c827"),
        (64, "51f0bebf7e3b9d92fc49741779363cfe"),
    ])
    func examples(length: Int, mac: String) throws {
        let cmac = try AESCMAC(key: LoRaWANKey(hex: "2b7e151628aed2a6abf7158809cf4f3c"))
        #expect(hexString(try cmac.mac(Self.message.prefix(length))) == mac)
    }

    @Test("keys must be 16 bytes")
    func keyLength() {
        #expect(throws: LoRaWANError.self) { try LoRaWANKey(hex: "2b7e15") }
        #expect(throws: LoRaWANError.self) { try LoRaWANKey(hex: "zz7e151628aed2a6abf7158809cf4f3c") }
        #expect(throws: LoRaWANError.self) { try LoRaWANKey(bytes: [UInt8](repeating: 0, count: 17)) }
    }
}

@Suite("LoRaWAN 1.0.x frames")
struct LoRaWANFrameTests {
    // Published frames and keys from anthonykirby/lora-packet (README example and test/test_mic.js,
    // test/test_decrypt.js, test/test_keygen.js); re-derived independently with Python `cryptography` before use.
    static let nwkSKey = "44024241ed4ce9a68c6a8bc055233fd3"
    static let appSKey = "ec925802ae430ca77fd3dd73cb2cc588"

    @Test("lora-packet's example uplink: header fields, MIC 2b11ff0d, payload 'test'")
    func publishedUplink() throws {
        guard case .data(let frame) = try LoRaWANFrame.parse(hexBytes("40F17DBE4900020001954378762B11FF0D")) else {
            Issue.record("not a data frame")
            return
        }
        #expect(frame.messageType == .unconfirmedDataUp)
        #expect(frame.devAddr == 0x49BE_7DF1)
        #expect(frame.fCnt == 2 && frame.fPort == 1 && frame.fOpts.isEmpty && frame.fCtrl.rawValue == 0)
        #expect(hexString(frame.frmPayload) == "95437876")
        let nwk = try LoRaWANKey(hex: Self.nwkSKey)
        let app = try LoRaWANKey(hex: Self.appSKey)
        #expect(hexString(try frame.computeMIC(key: nwk, counter: 2)) == "2b11ff0d")
        #expect(try frame.verifyMIC(key: nwk, counter: 2))
        #expect(try !frame.verifyMIC(key: nwk, counter: 0x1_0002))
        #expect(try !frame.verifyMIC(key: app, counter: 2))
        #expect(String(decoding: try frame.decryptPayload(key: app, counter: 2), as: UTF8.self) == "test")
        let uplink = try frame.open(nwkSKey: nwk, appSKey: app, lastCounter: 1)
        #expect(uplink.counter == 2 && uplink.payload == Array("test".utf8))
        do throws(LoRaWANError) {
            _ = try frame.open(nwkSKey: app, appSKey: app, lastCounter: nil)
            Issue.record("wrong NwkSKey accepted")
        } catch {
            #expect(error.code == .micMismatch)
        }
    }

    @Test("lora-packet's multi-block payload decrypts (keystream blocks A1…A3)")
    func longPayload() throws {
        let bytes = hexBytes("40f17dbe490004000155332de41a11adc072553544429ce7787707d1c316e027e7e5e334263376affb8aa17ad30075293f28dea8a20af3c5e7")
        guard case .data(let frame) = try LoRaWANFrame.parse(bytes) else {
            Issue.record("not a data frame")
            return
        }
        let plain = try frame.decryptPayload(key: LoRaWANKey(hex: Self.appSKey), counter: UInt32(frame.fCnt))
        #expect(String(decoding: plain, as: UTF8.self) == "The quick brown fox jumps over the lazy dog.")
    }

    @Test("lora-packet's downlink ACK and empty-payload uplink MICs")
    func otherMICs() throws {
        let nwk = try LoRaWANKey(hex: Self.nwkSKey)
        for (hex, counter) in [("60f17dbe4920020001f9d65d27", UInt32(2)), ("40F17DBE49000300012A3518AF", 3)] {
            guard case .data(let frame) = try LoRaWANFrame.parse(hexBytes(hex)) else {
                Issue.record("not a data frame")
                continue
            }
            #expect(try frame.verifyMIC(key: nwk, counter: counter), "\(hex)")
        }
    }

    @Test("join-request MIC, join-accept decryption and session keys (lora-packet vectors)")
    func join() throws {
        let appKey = try LoRaWANKey(hex: "98929b92c49edba9676d646d3b612456")
        guard case .joinRequest(let request) = try LoRaWANFrame.parse(hexBytes("0039363463336913AA05693574323831330489C65B1304")) else {
            Issue.record("not a join-request")
            return
        }
        #expect(try request.verifyMIC(appKey: appKey))
        #expect(request.joinEUI.description == "AA13693363343639")
        // The plain join-accept 20386337CCBBAAE7CD2C010000D9D0A6E7 (MIC d9d0a6e7) of test_mic.js, encrypted the
        // way a network server does (AES decryption under the AppKey), with Python `cryptography`.
        let encrypted = hexBytes("2088f36ae3b21314bc284e314e99257328")
        guard case .joinAccept(let raw) = try LoRaWANFrame.parse(encrypted) else {
            Issue.record("not a join-accept")
            return
        }
        let accept = try LoRaWANJoinAccept.decrypt(raw, appKey: appKey)
        #expect(accept.appNonce == [0x38, 0x63, 0x37])
        #expect(accept.netID == [0xCC, 0xBB, 0xAA])
        #expect(accept.devAddr == 0x012C_CDE7)
        #expect(accept.cfList.isEmpty)
        // test_keygen.js: AppNonce 376338, NetID aabbcc, DevNonce f18e (big-endian there, as sent here).
        let keys = try accept.sessionKeys(appKey: appKey, devNonce: 0xF18E)
        #expect(hexString(keys.nwkSKey.bytes) == "4e3d6e6afbcc67af2ba3c8e8ec4acf4b")
        #expect(hexString(keys.appSKey.bytes) == "610897aa6f1460623443b527d3ac6a9d")
        var tampered = encrypted
        tampered[5] ^= 1
        #expect(throws: LoRaWANError.self) { try LoRaWANJoinAccept.decrypt(tampered, appKey: appKey) }
    }

    @Test("FOpts, FPort and malformed headers")
    func headers() throws {
        // FCtrl 0x83: ADR, FOptsLen 3; FOpts 02 03 04; no FPort; MIC.
        let frame = hexBytes("40 04030201 83 0A00 020304 AABBCCDD")
        guard case .data(let f) = try LoRaWANFrame.parse(frame) else {
            Issue.record("not a data frame")
            return
        }
        #expect(f.devAddr == 0x0102_0304 && f.fCtrl.adr && f.fCnt == 10 && f.fOpts == [2, 3, 4] && f.fPort == nil)
        #expect(f.micValue == 0xDDCC_BBAA)
        for bad in ["40 04030201 8F 0A00 020304 AABBCCDD", "40 040302", "41 04030201 00 0A00 01 AABBCCDD",
                    "40 04030201 01 0A00 02 00 AABBCCDD", "2001", "00 0102"] {
            #expect(throws: LoRaWANError.self, "\(bad)") { try LoRaWANFrame.parse(hexBytes(bad)) }
        }
    }

    @Test("frame counter rollover from the 16 bits sent")
    func counter() {
        #expect(LoRaWANFrameCounter.reconstruct(5, last: nil) == 5)
        #expect(LoRaWANFrameCounter.reconstruct(5, last: 3) == 5)
        #expect(LoRaWANFrameCounter.reconstruct(5, last: 5) == 5)
        #expect(LoRaWANFrameCounter.reconstruct(2, last: 0xFFFE) == 0x1_0002)
        #expect(LoRaWANFrameCounter.reconstruct(0x0001, last: 0x2_FFFF) == 0x3_0001)
        #expect(LoRaWANFrameCounter.reconstruct(0xFFFF, last: 0x1_0000) == 0x1_FFFF)
        #expect(LoRaWANFrameCounter.isPlausible(0x1_0002, after: 0xFFFE))
        #expect(!LoRaWANFrameCounter.isPlausible(0x1_FFFF, after: 0x1_0000))
    }

    @Test("a rolled-over counter is what the MIC is checked with")
    func micAcrossRollover() throws {
        // The published frame has FCnt 2; after 0x1FFFE the full counter is 0x20002, so its MIC no longer
        // matches — the reconstruction feeds the MIC, it is not ignored.
        guard case .data(let frame) = try LoRaWANFrame.parse(hexBytes("40F17DBE4900020001954378762B11FF0D")) else { return }
        let nwk = try LoRaWANKey(hex: Self.nwkSKey)
        let app = try LoRaWANKey(hex: Self.appSKey)
        #expect(throws: LoRaWANError.self) { try frame.open(nwkSKey: nwk, appSKey: app, lastCounter: 0x1_FFFE) }
        #expect(try frame.open(nwkSKey: nwk, appSKey: app, lastCounter: 0).counter == 2)
    }
}

@Suite("Semtech UDP packet forwarder")
struct SemtechTests {
    static let eui = LoRaWANEUI(0xAA55_5A00_0000_0000)

    @Test("PUSH_DATA with rxpk and stat, and its PUSH_ACK")
    func pushData() throws {
        // The rxpk/stat example of PROTOCOL.TXT §4, with our published LoRaWAN frame as data.
        let json = """
            {"rxpk":[{"time":"2013-03-31T16:21:17.528002Z","tmst":3512348611,"chan":2,"rfch":0,"freq":866.349812,
            "stat":1,"modu":"LORA","datr":"SF7BW125","codr":"4/6","rssi":-35,"lsnr":5.1,"size":17,
            "data":"QPF9vkkAAgABlUN4disR/w0="}],
            "stat":{"time":"2014-01-12 08:59:28 GMT","lati":46.24000,"long":3.25230,"alti":145,"rxnb":2,"rxok":2,
            "rxfw":2,"ackr":100.0,"dwnb":2,"txnb":2}}
            """
        let datagram: [UInt8] = [2, 0x12, 0x34, 0x00] + Self.eui.bigEndianBytes + Array(json.utf8)
        let packet = try SemtechPacket.parse(datagram)
        #expect(packet.token == 0x1234)
        guard case .pushData(let gateway, let body) = packet.body else {
            Issue.record("not PUSH_DATA")
            return
        }
        #expect(gateway.description == "AA555A0000000000")
        #expect(packet.encoded() == datagram)
        #expect(packet.acknowledgement?.encoded() == [2, 0x12, 0x34, 0x01])
        let push = try SemtechPushData.decode(json: body)
        let rx = try #require(push.rxpk.first)
        #expect(rx.tmst == 3_512_348_611 && rx.freq == 866.349812 && rx.chan == 2 && rx.rfch == 0 && rx.crcOK)
        #expect(rx.datr == .lora(spreadingFactor: 7, bandwidthKHz: 125))
        #expect(rx.codr == "4/6" && rx.rssi == -35 && rx.lsnr == 5.1 && rx.size == 17 && rx.sizeMatchesData)
        #expect(rx.data == hexBytes("40F17DBE4900020001954378762B11FF0D"))
        #expect(push.stat?.lati == 46.24 && push.stat?.rxok == 2 && push.stat?.ackr == 100)
    }

    @Test("FSK datr is a number; stat-only PUSH_DATA; bad JSON and base64 are typed errors")
    func jsonVariants() throws {
        let fsk = #"{"rxpk":[{"tmst":1,"freq":868.8,"stat":1,"modu":"FSK","datr":50000,"rssi":-75,"size":1,"data":"AA=="}]}"#
        #expect(try SemtechPushData.decode(json: Array(fsk.utf8)).rxpk.first?.datr == .fsk(bitsPerSecond: 50000))
        #expect(try SemtechPushData.decode(json: Array(#"{"stat":{"rxnb":0}}"#.utf8)).rxpk.isEmpty)
        do throws(LoRaWANError) {
            _ = try SemtechPushData.decode(json: Array(#"{"rxpk":[{"tmst":1}]}"#.utf8))
            Issue.record("rxpk without fields accepted")
        } catch {
            #expect(error.code == .invalidJSON)
        }
        let badData = #"{"rxpk":[{"tmst":1,"freq":868.1,"stat":1,"modu":"LORA","datr":"SF7BW125","rssi":-75,"size":1,"data":"!!"}]}"#
        do throws(LoRaWANError) {
            _ = try SemtechPushData.decode(json: Array(badData.utf8))
            Issue.record("bad base64 accepted")
        } catch {
            #expect(error.code == .invalidBase64)
        }
    }

    @Test("PULL_DATA / PULL_ACK, PULL_RESP with txpk, TX_ACK")
    func downlinkPath() throws {
        let pull = SemtechPacket(token: 0xBEEF, body: .pullData(gateway: Self.eui))
        #expect(try SemtechPacket.parse(pull.encoded()) == pull)
        #expect(pull.acknowledgement == SemtechPacket(token: 0xBEEF, body: .pullAck))
        let tx = SemtechTxPacket(tmst: 1_000_000, freq: 869.525, datr: "SF9BW125", payload: [0x60, 1, 2])
        let resp = SemtechPacket(token: 7, body: .pullResp(json: try tx.json()))
        let parsed = try SemtechPacket.parse(resp.encoded())
        guard case .pullResp(let json) = parsed.body else {
            Issue.record("not PULL_RESP")
            return
        }
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""data":"YAEC""#) && text.contains(#""ipol":true"#) && text.contains(#""size":3"#))
        let ack = try SemtechPacket.parse([2, 0, 7, 5] + Self.eui.bigEndianBytes + Array(#"{"txpk_ack":{"error":"TOO_LATE"}}"#.utf8))
        guard case .txAck(_, let ackJSON) = ack.body else {
            Issue.record("not TX_ACK")
            return
        }
        #expect(try SemtechTxAcknowledgement.decode(json: ackJSON).error == "TOO_LATE")
        #expect(try SemtechTxAcknowledgement.decode(json: []).succeeded)
    }

    @Test("short, unknown and wrong-version datagrams are refused")
    func refused() {
        let cases: [([UInt8], LoRaWANError.Code)] = [
            ([2, 0, 0], .truncated), ([3, 0, 0, 1], .unsupportedVersion), ([2, 0, 0, 9], .unknownPacketType),
            ([2, 0, 0, 0, 1, 2], .truncated), ([2, 0, 0, 1, 0], .malformed), ([2, 0, 0, 2] + [UInt8](repeating: 0, count: 9), .malformed),
        ]
        for (bytes, code) in cases {
            do throws(LoRaWANError) {
                _ = try SemtechPacket.parse(bytes)
                Issue.record("\(bytes) accepted")
            } catch {
                #expect(error.code == code, "\(bytes)")
            }
        }
    }
}

@Suite("LoRaWAN de-duplication")
struct LoRaWANDeduplicatorTests {
    func reception(_ gateway: UInt64, snr: Double, rssi: Double, frame hex: String = "40F17DBE4900020001954378762B11FF0D") throws -> LoRaWANReception {
        guard case .data(let frame) = try LoRaWANFrame.parse(hexBytes(hex)) else { throw LoRaWANError(code: .malformed, reason: "test") }
        return LoRaWANReception(gateway: LoRaWANEUI(gateway), frame: frame, rssi: rssi, snr: snr)
    }

    @Test("copies within the window fold into the best-SNR copy with a gateway count")
    func folds() throws {
        var d = LoRaWANDeduplicator(window: .milliseconds(200), lateWindow: .seconds(5))
        #expect(d.offer(try reception(1, snr: 2, rssi: -100), at: .milliseconds(0)) == .new)
        #expect(d.offer(try reception(2, snr: 7.5, rssi: -110), at: .milliseconds(40)) == .duplicate)
        #expect(d.offer(try reception(3, snr: 7.5, rssi: -90), at: .milliseconds(60)) == .duplicate)
        #expect(d.offer(try reception(3, snr: 1, rssi: -90), at: .milliseconds(70)) == .duplicate)
        // A different frame (FCnt 3) is its own group.
        #expect(d.offer(try reception(1, snr: 0, rssi: -100, frame: "40F17DBE49000300012A3518AF"), at: .milliseconds(100)) == .new)
        #expect(d.nextDeadline == .milliseconds(200))
        #expect(d.drain(now: .milliseconds(199)).isEmpty)
        let first = d.drain(now: .milliseconds(200))
        #expect(first.count == 1)
        #expect(first.first?.best.gateway == LoRaWANEUI(3))
        #expect(first.first?.gatewayCount == 3 && first.first?.copies == 4)
        #expect(d.offer(try reception(4, snr: 9, rssi: -80), at: .milliseconds(900)) == .late)
        #expect(d.drain(now: .milliseconds(300)).first?.best.frame.fCnt == 3)
        #expect(d.openCount == 0)
        _ = d.drain(now: .seconds(10))
        #expect(d.offer(try reception(4, snr: 9, rssi: -80), at: .seconds(10)) == .new)
    }
}
