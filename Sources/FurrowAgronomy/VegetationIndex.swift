/// Vegetation indices from UAV multispectral reflectance, so a yield map can be read against canopy vigour.
///
/// Definitions (agronomy notes §3.4; spyndex's formulas): NDVI = (N − R)/(N + R) (Rouse et al. 1974),
/// NDRE = (N − RE)/(N + RE) (Gitelson & Merzlyak 1994), GNDVI = (N − G)/(N + G), SAVI = (1 + L)(N − R)/(N + R + L)
/// with L = 0.5, OSAVI = (N − R)/(N + R + 0.16), CIre = N/RE − 1. Reflectances are fractions (0–1) of a
/// radiometrically calibrated image.
public enum VegetationIndex: String, Sendable, Hashable, Codable, CaseIterable {
    case ndvi, ndre, gndvi, savi, osavi
    case ciRedEdge = "cire"

    /// The bands the index needs.
    public var bands: Set<SpectralBand> {
        switch self {
        case .ndvi, .savi, .osavi: [.nir, .red]
        case .ndre, .ciRedEdge: [.nir, .redEdge]
        case .gndvi: [.nir, .green]
        }
    }

    /// The index of one sample; nil when a band it needs is missing or the ratio is undefined (zero denominator).
    public func value(_ r: Reflectance) -> Double? {
        guard let n = r.nir else { return nil }
        func ratio(_ a: Double, _ b: Double) -> Double? {
            let v = a / b
            return b != 0 && v.isFinite ? v : nil
        }
        switch self {
        case .ndvi: return r.red.flatMap { ratio(n - $0, n + $0) }
        case .ndre: return r.redEdge.flatMap { ratio(n - $0, n + $0) }
        case .gndvi: return r.green.flatMap { ratio(n - $0, n + $0) }
        case .savi: return r.red.flatMap { red in ratio(1.5 * (n - red), n + red + 0.5) }
        case .osavi: return r.red.flatMap { ratio(n - $0, n + $0 + 0.16) }
        case .ciRedEdge: return r.redEdge.flatMap { ratio(n, $0) }.map { $0 - 1 }
        }
    }
}

/// A multispectral band.
public enum SpectralBand: String, Sendable, Hashable, Codable, CaseIterable {
    case green, red, redEdge = "rededge", nir
}

/// Calibrated reflectance of one sample (fractions 0–1); bands the camera lacks are nil.
public struct Reflectance: Sendable, Hashable, Codable {
    public var green: Double?
    public var red: Double?
    public var redEdge: Double?
    public var nir: Double?

    public init(green: Double? = nil, red: Double? = nil, redEdge: Double? = nil, nir: Double? = nil) {
        self.green = green
        self.red = red
        self.redEdge = redEdge
        self.nir = nir
    }
}
