/// One decoded field value of a flight-log message (DataFlash `.bin` or ULog `.ulg`).
///
/// Integers keep their signedness, `float` fields stay single precision (so they print and compare
/// bit-exactly), scaled DataFlash fields (`c C e E L`) are already divided into ``double(_:)``.
public enum LogValue: Sendable, Hashable {
    /// Any signed integer field (`b h i q`, `int*_t`, ULog `bool`/`char` as pyulog reads them: int8).
    case signed(Int64)
    /// Any unsigned integer field (`B H I Q M`, `uint*_t`).
    case unsigned(UInt64)
    /// A single-precision float (`f`, `g`, ULog `float`).
    case float(Float)
    /// A double, or a scaled integer after scaling.
    case double(Double)
    /// A character field cut at its first NUL (UTF-8, or Latin-1 where it is not valid UTF-8).
    case text(String)
    /// An integer array (DataFlash `a`: int16[32]).
    case signedArray([Int64])
    /// Bytes without a known meaning (a ULog info value of a non-basic type).
    case bytes([UInt8])
}

extension LogValue {
    /// The value as a `Double` where it is numeric.
    public var doubleValue: Double? {
        switch self {
        case .signed(let v): Double(v)
        case .unsigned(let v): Double(v)
        case .float(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }

    /// Decodes fixed-size character bytes the way pymavlink shows them: the whole field as UTF-8 if it is
    /// valid, else as Latin-1 (one scalar per byte), then cut at the first NUL; no input ever fails.
    public static func text(from bytes: UnsafeRawBufferPointer, cutAtNUL: Bool = true) -> String {
        var count = bytes.count
        if cutAtNUL, let nul = bytes.firstIndex(of: 0) { count = nul }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
        // Fast path: ASCII up to the cut and nothing but NULs after it is what real logs hold.
        if String(validating: bytes, as: UTF8.self) != nil, let valid = String(validating: slice, as: UTF8.self) {
            return valid
        }
        var out = String.UnicodeScalarView()
        for byte in slice { out.append(Unicode.Scalar(byte)) }
        return String(out)
    }
}
