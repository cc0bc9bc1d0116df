import Foundation

/// An insect trap in a field: what it catches and where, so its counts can be summarised per trap and per pest.
public struct Trap: Sendable, Codable, Hashable {
    public var id: Int64
    public var project: String
    public var field: Int64
    public var name: String
    /// The pest it monitors (a built-in model id such as `codling-moth`, or free text).
    public var pest: String
    /// Lure type (pheromone, kairomone, combo…), free text.
    public var lure: String?
    /// WGS 84 position.
    public var longitude: Double?
    public var latitude: Double?
    /// When the trap was set out (µs since the epoch as RFC 3339 text): the first check's exposure starts here.
    public var installedAt: String?
    /// The grower's action threshold for this trap, with its source.
    public var actionThreshold: TrapActionThreshold?
}

/// An action threshold as cited configuration: a catch rate or a cumulative catch, and where the number comes from.
public struct TrapActionThreshold: Sendable, Codable, Hashable {
    /// Moths per trap per week (7 × CTD) at or above which action is advised.
    public var perTrapPerWeek: Double?
    /// Cumulative catch since the biofix at or above which action is advised.
    public var cumulative: Double?
    /// Where the threshold comes from (guideline, region, lure, mating disruption or not). Required.
    public var source: String
}

/// What a client sends to create a trap.
public struct TrapInput: Sendable, Codable {
    public var name: String
    public var pest: String
    public var lure: String?
    public var longitude: Double?
    public var latitude: Double?
    public var installedAt: String?
    public var actionThreshold: TrapActionThreshold?

    public init(
        name: String, pest: String, lure: String? = nil, longitude: Double? = nil, latitude: Double? = nil,
        installedAt: String? = nil, actionThreshold: TrapActionThreshold? = nil
    ) {
        self.name = name
        self.pest = pest
        self.lure = lure
        self.longitude = longitude
        self.latitude = latitude
        self.installedAt = installedAt
        self.actionThreshold = actionThreshold
    }
}
