import Foundation

/// Maps data coordinates onto a canvas's pixels (x grows right, y grows up); the pixels may lie outside it.
struct PlotFrame {
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    /// Canvas size in pixels.
    var width: Int
    var height: Int

    init(x: ClosedRange<Double>, y: ClosedRange<Double>, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(1, width)
        self.height = max(1, height)
    }

    /// The box around `points` with a `margin` share on every side; nil without finite points.
    ///
    /// With `equalAspect` the shorter side grows so one unit spans as many pixels across as down,
    /// which keeps distances in a projection honest (braille pixels are about square).
    init?(around points: [(x: Double, y: Double)], width: Int, height: Int, margin: Double = 0.06, equalAspect: Bool = false) {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard let minX = finite.map(\.x).min(), let maxX = finite.map(\.x).max(),
            let minY = finite.map(\.y).min(), let maxY = finite.map(\.y).max()
        else { return nil }
        var spanX = max(maxX - minX, 1e-6), spanY = max(maxY - minY, 1e-6)
        if equalAspect {
            let perPixel = max(spanX / Double(max(1, width)), spanY / Double(max(1, height)))
            spanX = perPixel * Double(max(1, width))
            spanY = perPixel * Double(max(1, height))
        }
        let centreX = (minX + maxX) / 2, centreY = (minY + maxY) / 2
        let halfX = spanX * (0.5 + margin), halfY = spanY * (0.5 + margin)
        self.init(x: (centreX - halfX)...(centreX + halfX), y: (centreY - halfY)...(centreY + halfY), width: width, height: height)
    }

    /// The pixel of a data point, (0, 0) top left.
    func pixel(_ px: Double, _ py: Double) -> (x: Int, y: Int) {
        let sx = max(x.upperBound - x.lowerBound, 1e-12), sy = max(y.upperBound - y.lowerBound, 1e-12)
        let column = ((px - x.lowerBound) / sx * Double(width - 1)).rounded()
        let row = ((y.upperBound - py) / sy * Double(height - 1)).rounded()
        // Far-off points (or NaN) land just outside rather than overflowing Int.
        return (
            Int(column.isFinite ? max(-1, min(Double(width), column)) : -1),
            Int(row.isFinite ? max(-1, min(Double(height), row)) : -1)
        )
    }

    func contains(pixel p: (x: Int, y: Int)) -> Bool { p.x >= 0 && p.y >= 0 && p.x < width && p.y < height }
}

/// Round axis ticks: multiples of 1, 2 or 5 × 10ⁿ.
enum AxisTicks {
    /// At most `maxCount` round values covering `low...high`, first ≤ low and last ≥ high.
    static func ticks(_ low: Double, _ high: Double, maxCount: Int) -> [Double] {
        guard low.isFinite, high.isFinite else { return [0, 1] }
        // A single value still gets an axis around it.
        guard high > low else { return ticks(low - 0.5, high + 0.5, maxCount: maxCount) }
        let span = high - low
        let count = max(2, maxCount)
        let magnitude = pow(10, floor(log10(span / Double(count - 1))))
        let step =
            [1.0, 2, 5, 10].map { $0 * magnitude }
            .first { (ceil(high / $0) - floor(low / $0)) + 1 <= Double(count) } ?? 10 * magnitude
        let first = floor(low / step), last = ceil(high / step)
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// Decimals that tell ticks `step` apart.
    static func decimals(step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 2 }
        return max(0, min(6, Int(-floor(log10(step) + 1e-9))))
    }
}
