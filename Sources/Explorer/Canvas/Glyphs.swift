/// Box, block and marker characters, in Unicode or in plain ASCII for terminals outside UTF-8.
public struct Glyphs: Sendable {
    public let unicode: Bool
    public let horizontal: Character
    public let vertical: Character
    public let bullet: Character
    public let entered: Character
    public let left: Character
    public let arrowRight: Character
    public let bar: Character
    public let emptyBar: Character
    /// Rank gained and lost.
    public let rankUp: Character
    public let rankDown: Character
    /// Fills that tell the segments of a stacked bar apart, the last for "other".
    public let shades: [Character]

    public init(unicode: Bool) {
        self.unicode = unicode
        horizontal = unicode ? "─" : "-"
        vertical = unicode ? "│" : "|"
        bullet = unicode ? "•" : "*"
        entered = "+"
        left = unicode ? "−" : "-"
        arrowRight = unicode ? "→" : ">"
        bar = unicode ? "█" : "#"
        emptyBar = unicode ? "░" : "."
        rankUp = unicode ? "▲" : "^"
        rankDown = unicode ? "▼" : "v"
        shades = unicode ? ["█", "▓", "▒", "░"] : ["#", "=", "+", "."]
    }

    /// A bar of `fraction` of `width` cells.
    public func bar(_ fraction: Double, width: Int) -> String {
        let filled = fraction.isFinite ? max(0, min(width, Int((fraction * Double(width)).rounded()))) : 0
        return String(repeating: bar, count: filled) + String(repeating: emptyBar, count: width - filled)
    }
}

extension CellGrid {
    /// Replaces every non-ASCII character with an ASCII look-alike, for terminals outside a UTF-8 locale.
    public mutating func foldToASCII() {
        for y in 0..<height {
            for x in 0..<width where !self[x, y].character.isASCII {
                self[x, y].character = Glyphs.asciiFallback(self[x, y].character)
            }
        }
    }
}

extension Glyphs {
    /// The ASCII stand-in of a character.
    static func asciiFallback(_ c: Character) -> Character {
        switch c {
        case "↑", "▲": "^"
        case "↓", "▼": "v"
        case "←": "<"
        case "→": ">"
        case "·", "•": "*"
        case "—", "–", "−", "─", "━": "-"
        case "│", "┃", "├", "┤": "|"
        case "└", "┌", "┐", "┘", "┼": "+"
        case "×": "x"
        case "✓": "+"
        case "✗": "x"
        case "▏": "_"
        case "█", "▓", "▌", "▐": "#"
        case "▒": "+"
        case "░": "."
        case "…": "~"
        default:
            if let scalar = c.unicodeScalars.first, (0x2800...0x28FF).contains(scalar.value) { "*" } else { "?" }
        }
    }
}
