/// Vegetation-index samples averaged per cell of a field grid (the yield map's grid), and each index's
/// regression of cell yield on it: the per-field empirical model the agronomy notes describe (§3.4).
public struct VegetationGrid: Sendable, Hashable, Codable {
    /// One sample: a position and the index values it has.
    public struct Sample: Sendable, Hashable, Codable {
        public var longitude: Double
        public var latitude: Double
        public var values: [VegetationIndex: Double]

        public init(longitude: Double, latitude: Double, values: [VegetationIndex: Double]) {
            self.longitude = longitude
            self.latitude = latitude
            self.values = values
        }
    }

    /// Mean and count of one index in one cell.
    public struct CellValue: Sendable, Hashable, Codable {
        public var mean: Double
        public var samples: Int
    }

    /// Per grid cell index: per vegetation index, the mean of the samples in the cell.
    public private(set) var cells: [Int: [VegetationIndex: CellValue]] = [:]
    /// Samples outside the grid.
    public private(set) var outside = 0

    public init(samples: [Sample], grid: FieldGrid) {
        var sums: [Int: [VegetationIndex: (Double, Int)]] = [:]
        for s in samples {
            guard let cell = grid.cellIndex(longitude: s.longitude, latitude: s.latitude) else {
                outside += 1
                continue
            }
            for (index, v) in s.values where v.isFinite {
                let (sum, n) = sums[cell, default: [:]][index] ?? (0, 0)
                sums[cell, default: [:]][index] = (sum + v, n + 1)
            }
        }
        cells = sums.mapValues { $0.mapValues { CellValue(mean: $0.0 / Double($0.1), samples: $0.1) } }
    }

    /// Least-squares line y = intercept + slope·x over cells that have both a yield and `index`, with R² and RMSE.
    public func regression(of yields: [Int: Double], on index: VegetationIndex) -> LinearFit? {
        var xs: [Double] = []
        var ys: [Double] = []
        for (cell, y) in yields.sorted(by: { $0.key < $1.key }) where y.isFinite {
            guard let x = cells[cell]?[index]?.mean else { continue }
            xs.append(x)
            ys.append(y)
        }
        return LinearFit(x: xs, y: ys)
    }
}

/// Ordinary least squares of y on x: slope, intercept, R² and RMSE of the fit (nil with fewer than 3 points or
/// no spread in x).
public struct LinearFit: Sendable, Hashable, Codable {
    public var slope: Double
    public var intercept: Double
    public var rSquared: Double
    public var rootMeanSquareError: Double
    public var count: Int

    public init?(x: [Double], y: [Double]) {
        let n = Swift.min(x.count, y.count)
        guard n >= 3 else { return nil }
        let mx = x.prefix(n).reduce(0, +) / Double(n)
        let my = y.prefix(n).reduce(0, +) / Double(n)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = x[i] - mx, dy = y[i] - my
            sxx += dx * dx
            sxy += dx * dy
            syy += dy * dy
        }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = my - slope * mx
        var sse = 0.0
        for i in 0..<n {
            let e = y[i] - (intercept + slope * x[i])
            sse += e * e
        }
        rSquared = syy > 0 ? 1 - sse / syy : 1
        rootMeanSquareError = (sse / Double(n)).squareRoot()
        count = n
    }
}
