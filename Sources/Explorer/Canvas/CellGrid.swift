/// Text attributes of a cell; the backend maps them to terminal attributes.
public struct CellStyle: Sendable, Hashable {
    public var bold = false
    public var reverse = false
    public var dim = false
    public var underline = false
    /// Colour pair: 0 is the terminal default; see `Palette`.
    public var color: Palette = .normal
    /// Background level on the colour ramp, 0 (low) ..< `rampLevels` (high); it takes precedence over `color`.
    public var ramp: Int?

    /// Levels of the colour ramp; the backend gives each a background colour and a readable foreground.
    public static let rampLevels = 6

    public init(
        bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false, color: Palette = .normal,
        ramp: Int? = nil
    ) {
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
        self.color = color
        self.ramp = ramp.map { max(0, min(Self.rampLevels - 1, $0)) }
    }

    public static let plain = CellStyle()
    public static let heading = CellStyle(bold: true, color: .accent)
    public static let selected = CellStyle(reverse: true)
    public static let muted = CellStyle(dim: true)
}

/// The few colours the explorer uses, by meaning; with NO_COLOR they all render as the default.
public enum Palette: Int, Sendable, CaseIterable {
    case normal = 0
    case accent, good, bad, warning, first, second
}

/// One character cell.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: CellStyle

    public init(_ character: Character = " ", style: CellStyle = .plain) {
        self.character = character
        self.style = style
    }
}

/// A screen's worth of cells that views draw into; the only thing a terminal backend renders.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0, y >= 0, x < width, y < height { cells[y * width + x] = newValue } }
    }

    /// Writes `text` from (x, y), clipped to `maxWidth` columns and the grid; returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(maxWidth ?? width, width - x)
        var column = 0
        for character in text where column < limit {
            if x + column >= 0 { self[x + column, y] = Cell(character, style: style) }
            column += 1
        }
        return column
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with cell: Cell = Cell()) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { self[column, row] = cell }
        }
    }

    /// Sets the style of a row span without changing its characters.
    public mutating func style(x: Int, y: Int, width w: Int, _ style: CellStyle) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + w) { self[column, y].style = style }
    }

    /// The grid as text, one line per row, trailing spaces removed: what snapshot tests compare.
    public var text: String {
        (0..<height).map { y in
            var line = String(cells[(y * width)..<((y + 1) * width)].map(\.character))
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
