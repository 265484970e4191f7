/// A dot canvas drawn with braille characters (2 × 4 dots per cell), or `*` per cell in ASCII.
public struct BrailleCanvas: Sendable {
    public let columns: Int
    public let rows: Int
    private var dots: [UInt8]

    public init(columns: Int, rows: Int) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        dots = Array(repeating: 0, count: self.columns * self.rows)
    }

    /// Dot resolution.
    public var pixelWidth: Int { columns * 2 }
    public var pixelHeight: Int { rows * 4 }

    /// Sets the dot at pixel (px, py); (0, 0) is the top left.
    public mutating func set(_ px: Int, _ py: Int) {
        guard px >= 0, py >= 0, px < pixelWidth, py < pixelHeight else { return }
        // Braille dot bits, by column then row within the cell.
        let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        dots[(py / 4) * columns + px / 2] |= bits[px % 2][py % 4]
    }

    /// Draws a straight line between two pixels.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        let steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in 0...steps {
            let t = Double(i) / Double(steps)
            set(Int((Double(x0) + Double(x1 - x0) * t).rounded()), Int((Double(y0) + Double(y1 - y0) * t).rounded()))
        }
    }

    /// The character of cell (column, row).
    public func character(column: Int, row: Int, unicode: Bool) -> Character {
        let value = dots[row * columns + column]
        if value == 0 { return " " }
        guard unicode, let scalar = Unicode.Scalar(0x2800 + UInt32(value)) else { return "*" }
        return Character(scalar)
    }
}
