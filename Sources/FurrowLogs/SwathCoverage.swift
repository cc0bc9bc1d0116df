/// The area covered by a track buffered by a swath: the union of capsules (segment ± width/2, round ends)
/// rasterised on a local plane, so overlapping passes count once.
///
/// Memory grows with the covered area only (64 × 64-cell tiles of bits: 0.25 m cells cost 2 bytes per m²).
/// A cell counts when its centre lies inside a capsule; each row of a capsule is one interval (capsules are
/// convex), so a segment costs its rows, not its bounding box.
public struct SwathCoverage: Sendable {
    /// Swath width, metres.
    public let width: Double
    /// Cell edge, metres.
    public let cell: Double
    /// Cells set so far.
    public private(set) var cellCount = 0
    var plane: Geodesy.LocalPlane?
    var tiles: [Int64: [UInt64]] = [:]
    var last: (x: Double, y: Double)?
    static let emptyTile = [UInt64](repeating: 0, count: 64)

    /// An empty coverage for a swath `width` metres wide, rasterised at `cell` metres.
    public init(width: Double, cell: Double = 0.25) {
        self.width = width.isFinite ? Swift.min(Swift.max(width, 0), Self.maxWidth) : 0
        self.cell = cell.isFinite && cell > 0 ? Swift.max(cell, 0.01) : 0.25
    }

    /// Widest swath handled, metres (wider ones are clamped).
    public static let maxWidth = 200.0
    /// A jump longer than this between consecutive fixes is a GPS glitch or a gap, not a sprayed swath: the
    /// point is added, the segment is not.
    public static let maxSegment = 2000.0
    /// Points farther than this from the first point are ignored (a glitch would otherwise allocate a raster
    /// across the map).
    public static let maxExtent = 50_000.0
    /// Segments and points left out by the two limits above.
    public private(set) var skipped = 0

    /// Covered area, m².
    public var area: Double { Double(cellCount) * cell * cell }

    /// Adds a fix; `connect` false starts a new piece of track (the previous fix is not joined to this one).
    public mutating func add(latitude: Double, longitude: Double, connect: Bool) {
        if plane == nil { plane = Geodesy.LocalPlane(latitude: latitude, longitude: longitude) }
        guard let plane else { return }
        let p = plane.project(latitude: latitude, longitude: longitude)
        addPoint(x: p.x, y: p.y, connect: connect)
    }

    /// Adds a point in plane metres.
    public mutating func addPoint(x: Double, y: Double, connect: Bool) {
        guard x.isFinite, y.isFinite, abs(x) <= Self.maxExtent, abs(y) <= Self.maxExtent else {
            skipped += 1
            return
        }
        if connect, let last, ((x - last.x) * (x - last.x) + (y - last.y) * (y - last.y)).squareRoot() > Self.maxSegment {
            skipped += 1
            addCapsule(x, y, x, y)
        } else if connect, let last {
            addCapsule(last.x, last.y, x, y)
        } else {
            addCapsule(x, y, x, y)
        }
        last = (x, y)
    }

    /// Marks a capsule's cells.
    mutating func addCapsule(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) {
        let r = width / 2
        guard r > 0, r.isFinite else { return }
        let dx = bx - ax, dy = by - ay
        let len2 = dx * dx + dy * dy
        let len = len2.squareRoot()
        let rowLow = Int(((Swift.min(ay, by) - r) / cell - 0.5).rounded(.up))
        let rowHigh = Int(((Swift.max(ay, by) + r) / cell - 0.5).rounded(.down))
        guard rowLow <= rowHigh else { return }
        for row in rowLow...rowHigh {
            let y = (Double(row) + 0.5) * cell
            var lo = Double.infinity, hi = -Double.infinity
            // The two end disks.
            let ha = r * r - (y - ay) * (y - ay)
            if ha >= 0 {
                let s = ha.squareRoot()
                lo = Swift.min(lo, ax - s)
                hi = Swift.max(hi, ax + s)
            }
            let hb = r * r - (y - by) * (y - by)
            if hb >= 0 {
                let s = hb.squareRoot()
                lo = Swift.min(lo, bx - s)
                hi = Swift.max(hi, bx + s)
            }
            // The strip: |cross(d, P - A)| ≤ r·len and 0 ≤ dot(d, P - A) ≤ len².
            if len > 0 {
                var sLo = -Double.infinity, sHi = Double.infinity
                // cross = dx*(y-ay) - dy*(x-ax); linear in x with slope -dy.
                let c0 = dx * (y - ay) + dy * ax
                Self.clip(slope: -dy, constant: c0, min: -r * len, max: r * len, lo: &sLo, hi: &sHi)
                // dot = dx*(x-ax) + dy*(y-ay); slope dx.
                let d0 = -dx * ax + dy * (y - ay)
                Self.clip(slope: dx, constant: d0, min: 0, max: len2, lo: &sLo, hi: &sHi)
                if sLo <= sHi {
                    lo = Swift.min(lo, sLo)
                    hi = Swift.max(hi, sHi)
                }
            }
            guard lo <= hi else { continue }
            let first = Int((lo / cell - 0.5).rounded(.up))
            let lastCell = Int((hi / cell - 0.5).rounded(.down))
            if first <= lastCell { setRun(row: row, from: first, to: lastCell) }
        }
    }

    /// Narrows [lo, hi] to the x where min ≤ slope·x + constant ≤ max.
    static func clip(slope: Double, constant: Double, min: Double, max: Double, lo: inout Double, hi: inout Double) {
        if slope == 0 {
            if constant < min || constant > max { lo = .infinity; hi = -.infinity }
            return
        }
        var x1 = (min - constant) / slope, x2 = (max - constant) / slope
        if x1 > x2 { swap(&x1, &x2) }
        lo = Swift.max(lo, x1)
        hi = Swift.min(hi, x2)
    }

    /// Sets cells `from...to` of `row`, counting the ones newly set.
    mutating func setRun(row: Int, from: Int, to: Int) {
        let tileY = row >> 6
        let inRow = row & 63
        var x = from
        while x <= to {
            let tileX = x >> 6
            let bitFrom = x & 63
            let bitTo = Swift.min(63, bitFrom + (to - x))
            let key = Int64(tileY) << 32 | Int64(UInt32(truncatingIfNeeded: tileX))
            let width = bitTo - bitFrom + 1
            let mask: UInt64 = width == 64 ? ~0 : ((1 << UInt64(width)) - 1) << UInt64(bitFrom)
            let old = tiles[key]?[inRow] ?? 0
            let added = mask & ~old
            if added != 0 {
                cellCount += added.nonzeroBitCount
                tiles[key, default: Self.emptyTile][inRow] = old | mask
            }
            x += width
        }
    }
}
