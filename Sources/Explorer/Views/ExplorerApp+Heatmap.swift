import Evaluation

extension ExplorerApp {
    /// Whether shaded cells use the colour ramp; block shades stand in without colour or outside Unicode.
    var usesColourRamp: Bool { colors && glyphs.unicode }

    /// The finite range of a matrix, or nil when it has no finite value.
    static func range(of values: [[Double]]) -> ClosedRange<Double>? {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }

    /// Where `value` lies in `range`, 0...1 (0 when the range is a single value).
    static func fraction(_ value: Double, in range: ClosedRange<Double>) -> Double {
        let span = range.upperBound - range.lowerBound
        return span > 0 ? (value - range.lowerBound) / span : 0
    }

    func drawHeatmap(_ grid: inout CellGrid, _ area: Area) {
        let map = data.heatmap(state.dimension == .device ? .device : .daypart)
        drawTitle(
            "Same-context heatmap by \(map.dimension.rawValue): P(nearest session's context | session's context) − random pairing",
            note: "rows: a session's context · columns: its most similar other session's · positive diagonal = context repeats",
            &grid, area)
        let n = map.names.count
        guard n > 0, let range = Self.range(of: map.excess) else {
            grid.put("No sessions with a known \(map.dimension.rawValue).", x: area.x + 1, y: area.y + 3)
            return
        }
        // Cells grow to fill the screen, between one line and three, and 8 to 14 columns.
        let labelWidth = min(16, map.names.map(\.count).max() ?? 0)
        let left = area.x + 2 + labelWidth
        let cellWidth = max(8, min(14, (area.x + area.width - left - 1) / n))
        let cellHeight = max(1, min(3, (area.height - 7) / n))
        let top = area.y + 4
        for (c, name) in map.names.enumerated() {
            let label = String(name.prefix(cellWidth - 1))
            grid.put(label, x: left + c * cellWidth + (cellWidth - 1 - label.count) / 2, y: top - 1, style: .heading)
        }
        for (r, name) in map.names.enumerated() {
            let y = top + r * cellHeight
            grid.put(String(name.prefix(labelWidth)), x: area.x + 1, y: y + cellHeight / 2, style: .heading)
            for c in 0..<n {
                let value = r < map.excess.count && c < map.excess[r].count ? map.excess[r][c] : .nan
                drawHeatCell(&grid, x: left + c * cellWidth, y: y, width: cellWidth - 1, height: cellHeight, value: value, range: range)
            }
        }
        let legendY = top + n * cellHeight + 1
        drawRampLegend(&grid, x: area.x + 1, y: legendY, range: range)
        grid.put(
            "mean diagonal excess \(Self.fixed(map.meanDiagonalExcess, 3)) over \(map.rowCounts.reduce(0, +)) sessions",
            x: area.x + 1, y: min(area.y + area.height - 1, legendY + 2), style: .heading)
    }

    /// One heatmap cell: its shade (colour, or block glyphs) with the value in the middle line.
    private func drawHeatCell(_ grid: inout CellGrid, x: Int, y: Int, width: Int, height: Int, value: Double, range: ClosedRange<Double>) {
        let text = value.isFinite ? " " + Self.signed(value, 2) + " " : " n/a "
        let fraction = Self.fraction(value, in: range)
        let style = value.isFinite && usesColourRamp ? CellStyle(ramp: Glyphs.bucket(fraction, levels: CellStyle.rampLevels)) : .plain
        let fill: Character = value.isFinite && !usesColourRamp ? glyphs.shade(fraction) : " "
        grid.fill(x: x, y: y, width: width, height: height, with: Cell(fill, style: style))
        grid.put(text, x: x + max(0, (width - text.count) / 2), y: y + height / 2, style: style, maxWidth: width)
    }

    /// The ramp from the smallest to the largest value shown, with both numbers.
    func drawRampLegend(_ grid: inout CellGrid, x: Int, y: Int, range: ClosedRange<Double>) {
        var column = x + grid.put("scale  \(Self.signed(range.lowerBound, 2)) \(glyphs.vertical)", x: x, y: y, style: .muted)
        let levels = usesColourRamp ? CellStyle.rampLevels : glyphs.shades.count
        let step = max(1, 12 / levels)
        for level in 0..<levels {
            let cell = usesColourRamp ? Cell(" ", style: CellStyle(ramp: level)) : Cell(glyphs.shades[level], style: .plain)
            grid.fill(x: column, y: y, width: step, height: 1, with: cell)
            column += step
        }
        grid.put("\(glyphs.vertical) \(Self.signed(range.upperBound, 2))   (lowest to highest cell)", x: column, y: y, style: .muted)
    }

    /// `value` with a sign and `digits` decimals.
    static func signed(_ value: Double, _ digits: Int) -> String {
        (value >= 0 ? "+" : "") + fixed(value, digits)
    }
}
