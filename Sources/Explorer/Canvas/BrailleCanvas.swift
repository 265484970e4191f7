/// A dot canvas drawn with braille characters (2 × 4 dots per cell), or in ASCII with one stroke per cell.
public struct BrailleCanvas: Sendable {
    public let columns: Int
    public let rows: Int
    private var dots: [UInt8]
    /// The ASCII stroke of each cell (`-`, `|`, `/`, `\`), set by the last line through it; 0 for a lone dot.
    private var strokes: [UInt8]

    public init(columns: Int, rows: Int) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        dots = Array(repeating: 0, count: self.columns * self.rows)
        strokes = dots
    }

    /// Dot resolution.
    public var pixelWidth: Int { columns * 2 }
    public var pixelHeight: Int { rows * 4 }

    /// Sets the dot at pixel (px, py); (0, 0) is the top left.
    public mutating func set(_ px: Int, _ py: Int) {
        set(px, py, stroke: 0)
    }

    private mutating func set(_ px: Int, _ py: Int, stroke: UInt8) {
        guard px >= 0, py >= 0, px < pixelWidth, py < pixelHeight else { return }
        // Braille dot bits, by column then row within the cell.
        let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        let cell = (py / 4) * columns + px / 2
        dots[cell] |= bits[px % 2][py % 4]
        if stroke != 0 { strokes[cell] = stroke }
    }

    /// Draws a straight line between two pixels.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        let dx = x1 - x0, dy = y1 - y0
        // Braille pixels are about square, so the slope in pixels is the slope seen on screen.
        let stroke: Character = abs(dx) >= 2 * abs(dy) ? "-" : (abs(dy) >= 2 * abs(dx) ? "|" : ((dx > 0) == (dy > 0) ? "\\" : "/"))
        let steps = max(abs(dx), abs(dy), 1)
        for i in 0...steps {
            let t = Double(i) / Double(steps)
            set(
                Int((Double(x0) + Double(dx) * t).rounded()), Int((Double(y0) + Double(dy) * t).rounded()),
                stroke: stroke.asciiValue ?? 0)
        }
    }

    /// The character of cell (column, row): braille, or the cell's ASCII stroke (`*` for lone dots).
    public func character(column: Int, row: Int, unicode: Bool) -> Character {
        let cell = row * columns + column
        let value = dots[cell]
        if value == 0 { return " " }
        guard unicode, let scalar = Unicode.Scalar(0x2800 + UInt32(value)) else {
            return strokes[cell] == 0 ? "*" : Character(Unicode.Scalar(strokes[cell]))
        }
        return Character(scalar)
    }

    /// Copies the non-empty cells into `grid` at (x, y) in `style`.
    func draw(into grid: inout CellGrid, x: Int, y: Int, unicode: Bool, style: CellStyle) {
        for row in 0..<rows {
            for column in 0..<columns {
                let c = character(column: column, row: row, unicode: unicode)
                if c != " " { grid[x + column, y + row] = Cell(c, style: style) }
            }
        }
    }
}
