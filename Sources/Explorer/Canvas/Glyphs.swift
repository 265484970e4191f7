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
    /// Shades from empty to full, for heatmap cells without colour.
    public let shades: [Character]
    /// Fainter shades (empty first), for backdrops behind a plot.
    public let backdrop: [Character]
    /// Plot markers: an ordinary point, the current session, the previous session.
    public let point: Character
    public let current: Character
    public let previous: Character
    public let plusMinus: String
    /// Rank gained and lost.
    public let rankUp: Character
    public let rankDown: Character
    /// Fills that tell the segments of a stacked bar apart, the last for "other".
    public let barFills: [Character]

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
        shades = unicode ? Array(" ░▒▓█") : Array(" .:-=+*#%@")
        backdrop = unicode ? Array(" ░▒▓") : Array(" .:+")
        point = unicode ? "•" : "o"
        current = unicode ? "◆" : "@"
        previous = unicode ? "○" : "P"
        plusMinus = unicode ? "±" : "+-"
        rankUp = unicode ? "▲" : "^"
        rankDown = unicode ? "▼" : "v"
        barFills = unicode ? ["█", "▓", "▒", "░"] : ["#", "=", "+", "."]
    }

    /// The bucket of `fraction` (0...1) among `levels` equal buckets; 0 when not finite.
    public static func bucket(_ fraction: Double, levels: Int) -> Int {
        guard fraction.isFinite, levels > 0 else { return 0 }
        return max(0, min(levels - 1, Int(fraction * Double(levels))))
    }

    /// The shade of `fraction` (0...1) on `shades`.
    public func shade(_ fraction: Double) -> Character { shades[Self.bucket(fraction, levels: shades.count)] }

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
        case "└", "┌", "┐", "┘", "┼", "┬", "┴": "+"
        case "◆": "@"
        case "○": "o"
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
