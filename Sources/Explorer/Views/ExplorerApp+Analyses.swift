import Evaluation

extension ExplorerApp {
    private var plot: TextPlot { TextPlot(unicode: glyphs.unicode) }

    func drawLines(_ lines: [String], _ grid: inout CellGrid, x: Int, y: Int, maxRows: Int, style: CellStyle = .plain) {
        for (i, line) in lines.prefix(maxRows).enumerated() { grid.put(line, x: x, y: y + i, style: style, maxWidth: grid.width - x) }
    }

    func drawHeatmap(_ grid: inout CellGrid, _ area: Area) {
        let map = data.heatmap(state.dimension == .device ? .device : .daypart)
        grid.put("Same-context heatmap by \(map.dimension.rawValue): P(nearest session's context | session's context) − random pairing",
                 x: area.x + 1, y: area.y, style: .heading, maxWidth: area.width - 2)
        grid.put("rows: a session's context · columns: its most similar other session's · positive diagonal = context repeats",
                 x: area.x + 1, y: area.y + 1, style: .muted, maxWidth: area.width - 2)
        let lines = plot.heatmap(rowLabels: map.names, columnLabels: map.names, values: map.excess, cellWidth: 14)
        drawLines(lines, &grid, x: area.x + 1, y: area.y + 3, maxRows: area.height - 6)
        grid.put("mean diagonal excess \(Self.fixed(map.meanDiagonalExcess, 3)) over \(map.rowCounts.reduce(0, +)) sessions",
                 x: area.x + 1, y: area.y + area.height - 1, style: .heading)
    }

    func drawDiversity(_ grid: inout CellGrid, _ area: Area) {
        let diversity = data.diversity(state.dimension)
        grid.put("Context diversity by \(diversity.dimension.rawValue): cosine similarity of track pairs pooled over the value's sessions",
                 x: area.x + 1, y: area.y, style: .heading, maxWidth: area.width - 2)
        grid.put("lower = more diverse · up to \(diversity.pairsPerValue) sampled pairs per value · box = quartiles, whiskers = 1.5 IQR",
                 x: area.x + 1, y: area.y + 1, style: .muted, maxWidth: area.width - 2)
        let rows = diversity.rows.map { (label: String($0.name.prefix(22)), box: $0.similarity) }
        let low = min(diversity.rows.map(\.similarity.lowerWhisker).filter(\.isFinite).min() ?? -1, 0)
        let lines = plot.boxplots(rows, range: low...1, width: max(20, area.width - 40))
        drawLines(lines, &grid, x: area.x + 1, y: area.y + 3, maxRows: area.height - 4)
        for (i, row) in diversity.rows.enumerated() where i < area.height - 4 {
            grid.put("median \(Self.fixed(row.similarity.median, 2))  n=\(row.pairsSampled)", x: area.x + area.width - 24, y: area.y + 3 + i, style: .muted)
        }
    }

    func drawSkips(_ grid: inout CellGrid, _ area: Area) {
        let skips = data.skips
        grid.put("Skip rate vs cosine(user's past sessions, this session)", x: area.x + 1, y: area.y, style: .heading)
        var y = area.y + 1
        grid.put("min skip rate   sessions   Pearson r    slope", x: area.x + 1, y: y, style: .muted)
        for row in skips.rows {
            y += 1
            grid.put(Self.fixed(row.minimumSkipRate, 1).leftPadded(13) + String(row.sessions).leftPadded(11)
                     + Self.fixed(row.pearson, 3).leftPadded(12) + Self.fixed(row.slope, 3).leftPadded(9), x: area.x + 1, y: y)
        }
        let plotHeight = area.y + area.height - y - 4
        guard plotHeight >= 5 else { return }
        let lines = plot.scatter(skips.points.map { (x: $0[0], y: $0[1]) }, width: min(70, area.width - 10), height: plotHeight,
                                 xLabel: "cosine(user, session)", yLabel: "skip rate")
        drawLines(lines, &grid, x: area.x + 1, y: y + 2, maxRows: area.height - (y - area.y) - 2)
    }

    func drawHelp(_ grid: inout CellGrid, _ area: Area) {
        let lines = helpLines(for: state.screen)
        let width = min(area.width - 4, (lines.map(\.count).max() ?? 20) + 4)
        let height = min(area.height - 2, lines.count + 2)
        let x = area.x + (area.width - width) / 2
        let y = area.y + (area.height - height) / 2
        grid.fill(x: x, y: y, width: width, height: height, with: Cell(" ", style: CellStyle(reverse: true)))
        for (i, line) in lines.prefix(height - 2).enumerated() {
            grid.put(line, x: x + 2, y: y + 1 + i, style: CellStyle(bold: i == 0, reverse: true), maxWidth: width - 4)
        }
    }

    func helpLines(for screen: ExplorerScreen) -> [String] {
        var lines = ["\(screen.title): keys"]
        switch screen {
        case .users:
            lines += ["↑/↓ or j/k   select a user", "g/G          first / last", "PgUp/PgDn    page", "Enter        open the trajectory",
                      "s            sort: sessions, skip rate, diversity, name", "/            search users; n/N next/previous match"]
        case .trajectory:
            lines += ["←/→ or h/l   previous / next session", "↑/↓ or j/k   previous / next user", "g/G          first / last session",
                      "[ / ]        narrow / widen the path window (2 to 40 sessions either side)", "f            show / hide the whole path behind the window",
                      "Shows the session's context and tracks (✓ played, ✗ skipped), each model's",
                      "cosine to the real session, the catalogue ranks of its real tracks, and the",
                      "path of session embeddings around it on 2 PCA axes: \(glyphs.current) now, \(glyphs.previous) previous,",
                      "1/2 the models' predictions, shades the density of tracks."]
        case .recommendations:
            lines += ["←/→          previous / next session", "d/D          daypart forward / back", "w            day of week",
                      "v            device", "o            stream source", "r            back to the session's own context",
                      "m            next model", "+ marks tracks that entered since the first change; − lists those that left."]
        case .compare:
            lines += ["←/→          previous / next session", "d/w/v/o      change daypart / day / device / source", "r            reset the context",
                      "Both models' top-k side by side; • marks tracks in both lists."]
        case .heatmap:
            lines += ["Tab          daypart / device", "Each cell: share of sessions in the row's context whose most similar",
                      "other session (same user) is in the column's context, minus the share", "expected from random pairing."]
        case .diversity:
            lines += ["Tab          daypart / device / source", "Cosine similarity of pairs of distinct tracks drawn from all plays",
                      "of a context value (pooled over sessions). Rare contexts spread wider."]
        case .skips:
            lines += ["User embedding = mean of all previous session embeddings. Pearson r and", "slope of skip rate on cosine(user, session), for sessions above a minimum skip rate."]
        }
        lines += ["", "1-7 switch screens · ? this help · q quit · any key closes"]
        return glyphs.unicode ? lines : lines.map(Self.asciiArrows)
    }

    static func asciiArrows(_ text: String) -> String {
        text.replacingOccurrences(of: "↑/↓", with: "Up/Down").replacingOccurrences(of: "←/→", with: "Left/Right")
            .replacingOccurrences(of: "↑↓", with: "Up/Down").replacingOccurrences(of: "←→", with: "Left/Right")
            .replacingOccurrences(of: "✓", with: "+").replacingOccurrences(of: "✗", with: "x").replacingOccurrences(of: "•", with: "*")
            .replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "·", with: "|").replacingOccurrences(of: "▏", with: "_")
    }
}

import Foundation
