/// An SDI-12 sensor address: one printable character, '0'–'9' (standard), 'A'–'Z' or 'a'–'z' (extended).
///
/// Kept as its ASCII byte so commands and responses compare it without decoding text.
public struct SDI12Address: Sendable, Hashable, CustomStringConvertible {
    /// The address character as ASCII.
    public let ascii: UInt8

    /// Makes an address from its ASCII byte; throws `.invalidAddress` for anything else.
    public init(ascii: UInt8) throws(SDI12Error) {
        guard SDI12Address.isValid(ascii) else {
            throw SDI12Error(code: .invalidAddress, bytes: [ascii], reason: "an SDI-12 address is one of 0-9, A-Z, a-z")
        }
        self.ascii = ascii
    }

    /// Makes an address from a character such as `"0"`; throws `.invalidAddress` for anything else.
    public init(_ character: Character) throws(SDI12Error) {
        guard let byte = character.asciiValue else {
            throw SDI12Error(code: .invalidAddress, text: String(character), reason: "an SDI-12 address is one of 0-9, A-Z, a-z")
        }
        try self.init(ascii: byte)
    }

    /// Whether `byte` is an address character.
    public static func isValid(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"):
            return true
        default:
            return false
        }
    }

    public var description: String { String(Unicode.Scalar(ascii)) }
}
