/// One data message ('D'): a view valid only during the callback.
public struct ULogData {
    /// The subscription the message belongs to.
    public let subscription: ULogSubscription
    /// File offset of the message header.
    public let offset: Int
    /// The body after msg_id (at least ``ULogSubscription/size`` bytes).
    public let body: UnsafeRawBufferPointer

    /// The `timestamp` field (0 when the format has none).
    @inlinable public var timestamp: UInt64 {
        guard let t = subscription.timestampOffset else { return 0 }
        return UInt64(littleEndian: body.loadUnaligned(fromByteOffset: t, as: UInt64.self))
    }

    /// The values of ``ULogSubscription/fields`` (padding left out), in order.
    public var values: [LogValue] { subscription.fields.map { $0.value(in: body.baseAddress!) } }
}
