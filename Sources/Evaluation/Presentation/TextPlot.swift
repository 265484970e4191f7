/// Plots as lines of text, for the terminal: boxplot rows, shaded heatmaps and scatter plots.
///
/// `unicode` selects block and box-drawing glyphs; without it every plot is plain ASCII, for
/// terminals outside a UTF-8 locale.
public struct TextPlot: Sendable {
    public var unicode: Bool

    public init(unicode: Bool = true) { self.unicode = unicode }

    /// One boxplot per labelled row on a shared axis `range`, `width` characters wide.
    ///
    /// Whiskers are `─` (`-`), the box `█`/`▒`… is drawn as `[`, `=`, `|` (median), `=`, `]`.
    public func boxplots(_ rows: [(label: String, box: BoxplotSummary)], range: ClosedRange<Double>, width: Int = 50) -> [String] {
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let span = max(range.upperBound - range.lowerBound, 1e-12)
        func column(_ value: Double) -> Int {
            guard value.isFinite else { return 0 }
            return min(width - 1, max(0, Int(((value - range.lowerBound) / span * Double(width - 1)).rounded())))
        }
        var lines = rows.map { row -> String in
            var cells = [Character](repeating: " ", count: width)
            let b = row.box
            if b.count > 0 {
                let (lw, q1, med, q3, uw) = (
                    column(b.lowerWhisker), column(b.lowerQuartile), column(b.median), column(b.upperQuartile), column(b.upperWhisker)
                )
                for c in lw...max(lw, uw) { cells[c] = unicode ? "─" : "-" }
                for c in q1...max(q1, q3) { cells[c] = unicode ? "█" : "=" }
                cells[q1] = unicode ? "▐" : "["
                cells[max(q1, q3)] = unicode ? "▌" : "]"
                cells[med] = unicode ? "┃" : "|"
                cells[lw] = unicode ? "├" : "|"
                cells[uw] = unicode ? "┤" : "|"
            }
            return row.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " " + String(cells)
        }
        let axis =
            String(repeating: " ", count: labelWidth + 1)
            + Self.fit(
                Self.number(range.lowerBound), Self.number((range.lowerBound + range.upperBound) / 2), Self.number(range.upperBound),
                width: width)
        lines.append(axis)
        return lines
    }

    /// A matrix shaded by value: the darker, the larger; negative values shaded separately.
    public func heatmap(rowLabels: [String], columnLabels: [String], values: [[Double]], cellWidth: Int = 7) -> [String] {
        let labelWidth = rowLabels.map(\.count).max() ?? 0
        let maxAbs = max(values.flatMap { $0 }.map { abs($0) }.filter(\.isFinite).max() ?? 0, 1e-12)
        let positive: [Character] = unicode ? [" ", "░", "▒", "▓", "█"] : [" ", ".", ":", "+", "#"]
        let negative: [Character] = unicode ? [" ", "·", "-", "=", "≡"] : [" ", ".", "-", "=", "~"]
        var lines = [
            String(repeating: " ", count: labelWidth + 1)
                + columnLabels.map { String($0.prefix(cellWidth - 1)).padding(toLength: cellWidth, withPad: " ", startingAt: 0) }.joined()
        ]
        for (r, label) in rowLabels.enumerated() {
            var line = label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " "
            for c in columnLabels.indices {
                let v = r < values.count && c < values[r].count ? values[r][c] : .nan
                let level = v.isFinite ? min(4, Int((abs(v) / maxAbs * 4).rounded())) : 0
                let glyph = (v >= 0 ? positive : negative)[level]
                let text = v.isFinite ? Self.signed(v) : "  n/a"
                line += String(repeating: glyph, count: 1) + text.padding(toLength: cellWidth - 1, withPad: " ", startingAt: 0)
            }
            lines.append(line)
        }
        return lines
    }

    /// A scatter plot of (x, y) points on a `width` × `height` character grid with axis labels.
    public func scatter(
        _ points: [(x: Double, y: Double)], width: Int = 60, height: Int = 16,
        xLabel: String = "x", yLabel: String = "y"
    ) -> [String] {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard let minX = finite.map(\.x).min(), let maxX = finite.map(\.x).max(),
            let minY = finite.map(\.y).min(), let maxY = finite.map(\.y).max()
        else { return ["(no points)"] }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: width), count: height)
        let sx = max(maxX - minX, 1e-12), sy = max(maxY - minY, 1e-12)
        for p in finite {
            let c = min(width - 1, Int((p.x - minX) / sx * Double(width - 1)))
            let r = min(height - 1, Int((maxY - p.y) / sy * Double(height - 1)))
            counts[r][c] += 1
        }
        let peak = max(counts.flatMap { $0 }.max() ?? 1, 1)
        let glyphs: [Character] = unicode ? [" ", "·", "•", "●"] : [" ", ".", "o", "@"]
        let gutter = max(Self.number(maxY).count, Self.number(minY).count)
        var lines = ["\(yLabel)"]
        for (r, row) in counts.enumerated() {
            let label = r == 0 ? Self.number(maxY) : (r == height - 1 ? Self.number(minY) : "")
            let cells = row.map { n -> Character in
                n == 0 ? glyphs[0] : glyphs[min(3, 1 + Int(Double(n) / Double(peak) * 2.99))]
            }
            lines.append(String(repeating: " ", count: gutter - label.count) + label + (unicode ? "│" : "|") + String(cells))
        }
        lines.append(String(repeating: " ", count: gutter) + (unicode ? "└" : "+") + String(repeating: unicode ? "─" : "-", count: width))
        lines.append(String(repeating: " ", count: gutter + 1) + Self.fit(Self.number(minX), xLabel, Self.number(maxX), width: width))
        return lines
    }

    /// Three labels at the left, centre and right of `width` characters.
    static func fit(_ left: String, _ middle: String, _ right: String, width: Int) -> String {
        var cells = [Character](repeating: " ", count: max(width, left.count + middle.count + right.count + 2))
        for (i, c) in left.enumerated() { cells[i] = c }
        let start = max(left.count + 1, (cells.count - middle.count) / 2)
        for (i, c) in middle.enumerated() where start + i < cells.count { cells[start + i] = c }
        for (i, c) in right.enumerated() { cells[cells.count - right.count + i] = c }
        return String(cells)
    }

    /// A short number: 3 significant decimals.
    static func number(_ v: Double) -> String { SampleSummary.fixed(v, abs(v) >= 100 ? 0 : 2) }

    static func signed(_ v: Double) -> String { (v >= 0 ? "+" : "") + SampleSummary.fixed(v, 2) }
}
