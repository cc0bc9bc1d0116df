/// The LoRaWAN message type, the top three bits of MHDR.
public enum LoRaWANMessageType: UInt8, Sendable, Hashable, CaseIterable {
    case joinRequest = 0, joinAccept = 1, unconfirmedDataUp = 2, unconfirmedDataDown = 3
    case confirmedDataUp = 4, confirmedDataDown = 5, rejoinRequest = 6, proprietary = 7

    /// Whether the frame travels from device to network.
    public var isUplink: Bool {
        switch self {
        case .joinRequest, .unconfirmedDataUp, .confirmedDataUp, .rejoinRequest: true
        default: false
        }
    }
}
