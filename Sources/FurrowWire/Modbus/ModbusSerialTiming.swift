/// The RTU silence rules for a serial line (Modbus over Serial Line V1.02 §2.5.1.1).
///
/// Frames are separated by at least 3.5 character times; inside a frame characters are at most 1.5
/// character times apart. Above 19 200 baud the specification fixes them at 1.75 ms and 0.75 ms. A
/// character is 11 bits with parity or two stop bits (8E1, 8N2), 10 bits for the common 8N1.
public struct ModbusSerialTiming: Sendable, Hashable {
    /// Line speed in bit/s.
    public let baudRate: Int
    /// Bits per character: start + 8 data + parity/stop (11 for 8E1/8O1/8N2, 10 for 8N1).
    public let bitsPerCharacter: Int

    /// - Parameters: baudRate is clamped to at least 1, bitsPerCharacter to 7…12 (configuration typos stay harmless).
    public init(baudRate: Int, bitsPerCharacter: Int = 11) {
        self.baudRate = max(1, baudRate)
        self.bitsPerCharacter = min(12, max(7, bitsPerCharacter))
    }

    /// Time one character takes on the wire.
    public var characterTime: Duration {
        .nanoseconds(Int64(bitsPerCharacter) * 1_000_000_000 / Int64(baudRate))
    }

    /// t3.5: the silence that ends a frame and must pass before the next request.
    public var interFrameSilence: Duration {
        baudRate > 19_200 ? .microseconds(1_750)
            : .nanoseconds(Int64(bitsPerCharacter) * 3_500_000_000 / Int64(baudRate))
    }

    /// t1.5: the longest gap allowed between characters of one frame.
    public var interCharacterTimeout: Duration {
        baudRate > 19_200 ? .microseconds(750)
            : .nanoseconds(Int64(bitsPerCharacter) * 1_500_000_000 / Int64(baudRate))
    }

    /// Time `count` bytes take on the wire (to size a response timeout: request + turnaround + response).
    public func transmissionTime(bytes count: Int) -> Duration {
        .nanoseconds(Int64(bitsPerCharacter) * Int64(min(max(0, count), 1 << 20)) * 1_000_000_000 / Int64(baudRate))
    }
}
