import Foundation

/// How many tracks fall in each character cell of a plot: the faint backdrop behind a path in track space.
struct TrackDensity {
    let columns: Int
    let rows: Int
    /// Track counts, row-major.
    private(set) var counts: [Int]
    /// The largest count.
    let peak: Int

    /// Counts the points of `plane` (interleaved x, y) that `frame` puts on a canvas of `columns` × `rows` cells.
    init(plane: [Float], frame: PlotFrame, columns: Int, rows: Int) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        var counts = [Int](repeating: 0, count: self.columns * self.rows)
        let (cellsX, cellsY) = (self.columns, self.rows)
        let pixelsPerColumn = max(1, frame.width / cellsX), pixelsPerRow = max(1, frame.height / cellsY)
        // One pass over the catalogue per frame: unsafe buffers keep it free of bounds checks.
        plane.withUnsafeBufferPointer { points in
            counts.withUnsafeMutableBufferPointer { out in
                for i in 0..<(points.count / 2) {
                    let p = frame.pixel(Double(points[2 &* i]), Double(points[2 &* i &+ 1]))
                    guard frame.contains(pixel: p) else { continue }
                    let column = min(cellsX - 1, p.x / pixelsPerColumn), row = min(cellsY - 1, p.y / pixelsPerRow)
                    out[row &* cellsX &+ column] += 1
                }
            }
        }
        self.counts = counts
        peak = counts.max() ?? 0
    }

    /// The density level of a cell among `levels` (0 = no tracks), on a log scale so sparse regions still show.
    func level(column: Int, row: Int, levels: Int) -> Int {
        let count = counts[row * columns + column]
        guard count > 0, levels > 1 else { return 0 }
        // A lone track gets the faintest shade, the fullest cell the darkest.
        let fraction = peak > 1 ? log(Double(count)) / log(Double(peak)) : 0
        return 1 + Glyphs.bucket(fraction, levels: levels - 1)
    }
}
