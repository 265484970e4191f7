import Evaluation
import Foundation

extension ExplorerApp {
    private var plot: TextPlot { TextPlot(unicode: glyphs.unicode) }

    func drawLines(_ lines: [String], _ grid: inout CellGrid, x: Int, y: Int, maxRows: Int, style: CellStyle = .plain) {
        for (i, line) in lines.prefix(maxRows).enumerated() { grid.put(line, x: x, y: y + i, style: style, maxWidth: grid.width - x) }
    }

    /// An analysis screen's heading on its first row and a muted note on how to read it below.
    func drawTitle(_ heading: String, note: String, _ grid: inout CellGrid, _ area: Area) {
        grid.put(heading, x: area.x + 1, y: area.y, style: .heading, maxWidth: area.width - 2)
        grid.put(note, x: area.x + 1, y: area.y + 1, style: .muted, maxWidth: area.width - 2)
    }

    func drawDiversity(_ grid: inout CellGrid, _ area: Area) {
        let diversity = data.diversity(state.dimension)
        drawTitle(
            "Context diversity by \(diversity.dimension.rawValue): cosine similarity of track pairs pooled over the value's sessions",
            note: "lower = more diverse · up to \(diversity.pairsPerValue) sampled pairs per value · box = quartiles, whiskers = 1.5 IQR",
            &grid, area)
        let rows = diversity.rows.map { (label: String($0.name.prefix(22)), box: $0.similarity) }
        let low = min(diversity.rows.map(\.similarity.lowerWhisker).filter(\.isFinite).min() ?? -1, 0)
        let lines = plot.boxplots(rows, range: low...1, width: max(20, area.width - 40))
        drawLines(lines, &grid, x: area.x + 1, y: area.y + 3, maxRows: area.height - 4)
        for (i, row) in diversity.rows.enumerated() where i < area.height - 4 {
            grid.put(
                "median \(Self.fixed(row.similarity.median, 2))  n=\(row.pairsSampled)", x: area.x + area.width - 24, y: area.y + 3 + i,
                style: .muted)
        }
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
            lines += [
                "↑/↓ or j/k   select a user", "g/G          first / last", "PgUp/PgDn    page", "Enter        open the trajectory",
                "s            sort: sessions, skip rate, diversity, name", "/            search users; n/N next/previous match",
            ]
        case .trajectory:
            lines += [
                "←/→ or h/l   previous / next session", "↑/↓ or j/k   previous / next user", "g/G          first / last session",
                "[ / ]        narrow / widen the path window (2 to 40 each side)", "f            show / hide the whole path behind it",
                "The session's context and tracks (✓ played, ✗ skipped); each model's",
                "cosine to the real session and the catalogue ranks of its real tracks;",
                "the path of sessions around it on 2 PCA axes: \(glyphs.current) now, \(glyphs.previous) previous,",
                "1/2 the models' predictions; shades show how dense the tracks are.",
            ]
        case .recommendations:
            lines += [
                "←/→          previous / next session", "d/D          daypart forward / back", "w            day of week",
                "v            device", "o            stream source", "r            back to the session's own context",
                "m            next model", "u            FS-VAE posterior samples: stability of each track",
                "\(glyphs.rankUp)3 \(glyphs.rankDown)5 new: rank against the unedited context; dimmed keys",
                "are fields the model does not read. gate: CoSeRNN's long/short-term split.",
            ]
        case .compare:
            lines += [
                "←/→          previous / next session", "d/w/v/o      change daypart / day / device / source",
                "r            reset the context",
                "Both models' top-k side by side; • marks tracks in both lists.",
            ]
        case .heatmap:
            lines += [
                "Tab          daypart / device", "Each cell: share of sessions in the row's context whose most similar",
                "other session (same user) is in the column's context, minus the share", "expected from random pairing.",
                "Shading runs from the lowest to the highest cell (scale under the grid).",
            ]
        case .diversity:
            lines += [
                "Tab          daypart / device / source", "Cosine similarity of pairs of distinct tracks drawn from all plays",
                "of a context value (pooled over sessions). Rare contexts spread wider.",
            ]
        case .skips:
            lines += [
                "User embedding = mean of all previous session embeddings. Pearson r and",
                "slope of skip rate on cosine(user, session), for sessions above a minimum skip rate.",
                "The line is the least-squares fit over the plotted sessions.",
            ]
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
