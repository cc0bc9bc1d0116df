/// An SDI-12 command from the recorder, ready to be put on the bus after a break (v1.4 §4.4).
///
/// Every command is `<address><command>!`. The transport sends the break and marking; this type only
/// knows the characters.
///
/// ```swift
/// let m = SDI12Command.measure(try SDI12Address("0"), crc: true)   // "0MC!"
/// try m.bytes()                                                    // [0x30, 0x4D, 0x43, 0x21]
/// ```
public enum SDI12Command: Sendable, Hashable, CustomStringConvertible {
    /// `a!`: is the sensor at `a` there?
    case acknowledge(SDI12Address)
    /// `?!`: which address does the only sensor on the bus have?
    case addressQuery
    /// `aI!`: SDI-12 version, vendor, model, sensor version, serial.
    case identify(SDI12Address)
    /// `aAb!`: change the sensor's address from `a` to `b`.
    case changeAddress(SDI12Address, to: SDI12Address)
    /// `aM!`, `aM1!`…`aM9!` (`aMC!`… with CRC): start a measurement; the reply is `atttn`.
    case measure(SDI12Address, index: Int = 0, crc: Bool = false)
    /// `aC!`, `aC1!`…`aC9!` (`aCC!`… with CRC): start a concurrent measurement; the reply is `atttnn`.
    case concurrent(SDI12Address, index: Int = 0, crc: Bool = false)
    /// `aD0!`…`aD9!`: send data of the last measurement.
    case sendData(SDI12Address, index: Int)
    /// `aR0!`…`aR9!` (`aRC0!`… with CRC): read continuous measurements.
    case continuous(SDI12Address, index: Int, crc: Bool = false)
    /// `aV!`: start verification; the reply is `atttn`.
    case verify(SDI12Address)

    /// The address the command goes to (nil for `?!`).
    public var address: SDI12Address? {
        switch self {
        case .addressQuery: nil
        case .acknowledge(let a), .identify(let a), .changeAddress(let a, _), .measure(let a, _, _),
            .concurrent(let a, _, _), .sendData(let a, _), .continuous(let a, _, _), .verify(let a):
            a
        }
    }

    /// Whether data responses to this command (or to the D commands that follow it) carry a CRC.
    public var requestsCRC: Bool {
        switch self {
        case .measure(_, _, let crc), .concurrent(_, _, let crc), .continuous(_, _, let crc): crc
        default: false
        }
    }

    /// The characters to send; throws `.invalidCommand` for an index outside 0–9 (M, C: 0 means no digit).
    public func bytes() throws(SDI12Error) -> [UInt8] {
        func digit(_ index: Int, allowed: ClosedRange<Int>) throws(SDI12Error) -> UInt8 {
            guard allowed.contains(index) else {
                throw SDI12Error(code: .invalidCommand, text: description,
                                 reason: "index \(index) is outside \(allowed.lowerBound)-\(allowed.upperBound)")
            }
            return UInt8(ascii: "0") + UInt8(index)
        }
        let bang = UInt8(ascii: "!")
        switch self {
        case .acknowledge(let a):
            return [a.ascii, bang]
        case .addressQuery:
            return [UInt8(ascii: "?"), bang]
        case .identify(let a):
            return [a.ascii, UInt8(ascii: "I"), bang]
        case .changeAddress(let a, let b):
            return [a.ascii, UInt8(ascii: "A"), b.ascii, bang]
        case .measure(let a, let index, let crc), .concurrent(let a, let index, let crc):
            let letter: UInt8
            if case .measure = self { letter = UInt8(ascii: "M") } else { letter = UInt8(ascii: "C") }
            var out = [a.ascii, letter]
            if crc { out.append(UInt8(ascii: "C")) }
            let d = try digit(index, allowed: 0...9)
            if index != 0 { out.append(d) }
            out.append(bang)
            return out
        case .sendData(let a, let index):
            return [a.ascii, UInt8(ascii: "D"), try digit(index, allowed: 0...9), bang]
        case .continuous(let a, let index, let crc):
            var out = [a.ascii, UInt8(ascii: "R")]
            if crc { out.append(UInt8(ascii: "C")) }
            out.append(try digit(index, allowed: 0...9))
            out.append(bang)
            return out
        case .verify(let a):
            return [a.ascii, UInt8(ascii: "V"), bang]
        }
    }

    /// The command as text, e.g. `0MC!` (an out-of-range index shows as given).
    public var description: String {
        let a = address?.description ?? "?"
        func suffix(_ crc: Bool) -> String { crc ? "C" : "" }
        switch self {
        case .acknowledge: return "\(a)!"
        case .addressQuery: return "?!"
        case .identify: return "\(a)I!"
        case .changeAddress(_, let b): return "\(a)A\(b)!"
        case .measure(_, let i, let crc): return "\(a)M\(suffix(crc))\(i == 0 ? "" : String(i))!"
        case .concurrent(_, let i, let crc): return "\(a)C\(suffix(crc))\(i == 0 ? "" : String(i))!"
        case .sendData(_, let i): return "\(a)D\(i)!"
        case .continuous(_, let i, let crc): return "\(a)R\(suffix(crc))\(i)!"
        case .verify: return "\(a)V!"
        }
    }
}
