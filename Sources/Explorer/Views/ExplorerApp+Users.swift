import Evaluation

extension ExplorerApp {
    func drawUsers(_ grid: inout CellGrid, _ area: Area) {
        let header =
            "  " + "user".padding(toLength: 18, withPad: " ", startingAt: 0) + "sessions".leftPadded(9) + "plays".leftPadded(9)
            + "skip rate".leftPadded(11) + "diversity".leftPadded(11)
        grid.put(header, x: area.x, y: area.y, style: .heading)
        grid.put("sorted by \(state.sort.rawValue)", x: area.x + 62, y: area.y, style: .muted)
        let rows = area.height - 1
        if state.row < state.scroll { state.scroll = state.row }
        if state.row >= state.scroll + rows { state.scroll = state.row - rows + 1 }
        for line in 0..<rows {
            let index = state.scroll + line
            guard index < state.order.count else { break }
            let s = data.stats[state.order[index]]
            let skip = s.skipRate.map { Self.percent($0) } ?? "n/a"
            let text =
                (index == state.row ? "\(glyphs.arrowRight) " : "  ")
                + String(s.key.prefix(17)).padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(s.sessions).leftPadded(9) + String(s.plays).leftPadded(9) + skip.leftPadded(11)
                + Self.fixed(s.diversity, 3).leftPadded(11)
            let y = area.y + 1 + line
            grid.put(text, x: area.x, y: y, style: index == state.row ? .selected : .plain)
            if index == state.row { grid.style(x: area.x, y: y, width: 60, .selected) }
            let bar = glyphs.bar(s.diversity, width: 14)
            grid.put(bar, x: area.x + 62, y: y, style: CellStyle(color: .accent))
        }
        if state.order.isEmpty { grid.put("No users in this workspace.", x: area.x + 2, y: area.y + 2) }
    }

    static func percent(_ value: Double) -> String { fixed(value * 100, 1) + "%" }

    /// `value` with `digits` decimals, "n/a" when not finite.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? SampleSummary.fixed(value, digits) : "n/a"
    }
}

extension String {
    /// Right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
