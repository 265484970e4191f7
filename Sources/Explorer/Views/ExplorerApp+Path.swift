import Listening

extension ExplorerApp {
    /// The sessions the path shows around the current one: `pathWindow` either side, within the user's sessions.
    var pathWindowSessions: ClosedRange<Int> {
        let last = max(0, data.users[user].count - 1)
        return max(0, state.session - state.pathWindow)...min(last, state.session + state.pathWindow)
    }

    /// Keys of the trajectory screen beyond session and user movement.
    func handleTrajectory(_ event: KeyEvent) {
        switch event {
        case .character("["): resizePathWindow(by: -ExplorerState.pathWindowStep)
        case .character("]"): resizePathWindow(by: ExplorerState.pathWindowStep)
        case .character("f"):
            state.showFullPath.toggle()
            state.notice = state.showFullPath ? "full path shown behind the window" : "full path hidden"
        default: break
        }
    }

    private func resizePathWindow(by step: Int) {
        let limits = ExplorerState.pathWindowLimits
        state.pathWindow = max(limits.lowerBound, min(limits.upperBound, state.pathWindow + step))
        state.notice = "path window \(glyphs.plusMinus)\(state.pathWindow) sessions (\(limits.lowerBound)–\(limits.upperBound))"
    }

    /// One legend entry: a marker and what it stands for.
    struct LegendItem {
        var marker: String
        var style: CellStyle
        var label: String
    }

    /// The legend of the path plot, naming every marker drawn.
    func pathLegend() -> [LegendItem] {
        let window = pathWindowSessions
        var items = [LegendItem(marker: String(glyphs.current), style: Self.currentStyle, label: "now s\(state.session + 1)")]
        if state.session > 0 {
            items.append(LegendItem(marker: String(glyphs.previous), style: Self.previousStyle, label: "previous s\(state.session)"))
        }
        items.append(
            LegendItem(marker: String(glyphs.point), style: .plain, label: "sessions \(window.lowerBound + 1)–\(window.upperBound + 1)"))
        for model in data.models.indices {
            items.append(
                LegendItem(
                    marker: String(Self.predictionMarker(model)), style: Self.predictionStyle(model),
                    label: data.models[model].name))
        }
        items.append(LegendItem(marker: String(glyphs.backdrop.dropFirst()), style: .muted, label: "track density"))
        return items
    }

    static let currentStyle = CellStyle(bold: true, color: .warning)
    static let previousStyle = CellStyle(bold: true, color: .good)
    /// 1, 2, … 9, then a, b, …: one character per model.
    static func predictionMarker(_ model: Int) -> Character { Character(String(min(model + 1, 35), radix: 36)) }
    static func predictionStyle(_ model: Int) -> CellStyle { CellStyle(bold: true, color: model == 0 ? .first : .second) }

    /// Lays legend items out in rows of at most `width` columns; returns (x offset, row) per item and the rows used.
    static func layoutLegend(_ items: [LegendItem], width: Int) -> (positions: [(x: Int, row: Int)], rows: Int) {
        var positions: [(x: Int, row: Int)] = []
        var x = 0, row = 0
        for item in items {
            let length = item.marker.count + 1 + item.label.count
            if x > 0, x + length > width {
                x = 0
                row += 1
            }
            positions.append((x, row))
            x += length + 3
        }
        return (positions, items.isEmpty ? 0 : row + 1)
    }

    /// The path of session embeddings around the current session, each model's prediction for it, and
    /// the density of the track space behind them, on the track space's first two principal components.
    func drawPath(_ grid: inout CellGrid, _ area: Area) {
        let legend = pathLegend()
        let layout = Self.layoutLegend(legend, width: area.width)
        guard area.width >= 10, area.height >= 4 + layout.rows else { return }
        let window = pathWindowSessions
        let full = state.showFullPath ? " · full path (f)" : ""
        grid.put(
            "path in track space (PCA) · \(glyphs.plusMinus)\(state.pathWindow)\(full)", x: area.x, y: area.y, style: .heading,
            maxWidth: area.width)

        let sessions = data.users[user]
        let drawn = state.showFullPath ? 0...(sessions.count - 1) : window
        let points = Dictionary(
            uniqueKeysWithValues: drawn.map { i in
                let p = data.projection.project(data.tracks.sessionEmbedding(sessions[i].plays))
                return (i, (x: Double(p.x), y: Double(p.y)))
            })
        let predictions = data.models.indices.map { model in
            let p = data.projection.project(data.prediction(model: model, user: user, session: state.session, context: state.context))
            return (x: Double(p.x), y: Double(p.y))
        }
        var canvas = BrailleCanvas(columns: area.width, rows: area.height - 1 - layout.rows)
        let top = area.y + 1
        guard
            let frame = PlotFrame(
                around: drawn.compactMap { points[$0] } + predictions, width: canvas.pixelWidth,
                height: canvas.pixelHeight, equalAspect: true)
        else { return }

        // Back to front: track density, the full path, the window's path, its sessions, then the markers.
        let density = TrackDensity(plane: data.trackPlane, frame: frame, columns: canvas.columns, rows: canvas.rows)
        for row in 0..<canvas.rows {
            for column in 0..<canvas.columns {
                let level = density.level(column: column, row: row, levels: glyphs.backdrop.count)
                if level > 0 { grid[area.x + column, top + row] = Cell(glyphs.backdrop[level], style: .muted) }
            }
        }
        func join(_ range: ClosedRange<Int>, into canvas: inout BrailleCanvas) {
            for i in range.dropLast() {
                guard let a = points[i], let b = points[i + 1] else { continue }
                let p = frame.pixel(a.x, a.y), q = frame.pixel(b.x, b.y)
                canvas.line(p.x, p.y, q.x, q.y)
            }
        }
        if state.showFullPath {
            var background = BrailleCanvas(columns: canvas.columns, rows: canvas.rows)
            join(drawn, into: &background)
            background.draw(into: &grid, x: area.x, y: top, unicode: glyphs.unicode, style: .muted)
        }
        join(window, into: &canvas)
        canvas.draw(into: &grid, x: area.x, y: top, unicode: glyphs.unicode, style: .plain)

        func mark(_ p: (x: Double, y: Double), _ symbol: Character, _ style: CellStyle) {
            let pixel = frame.pixel(p.x, p.y)
            guard frame.contains(pixel: pixel) else { return }
            grid[area.x + pixel.x / 2, top + pixel.y / 4] = Cell(symbol, style: style)
        }
        for i in window where i < state.session - 1 || i > state.session {
            // Sessions after the current one are the future the models did not see: dimmed.
            if let p = points[i] { mark(p, glyphs.point, i > state.session ? .muted : .plain) }
        }
        if state.session > 0, let previous = points[state.session - 1] { mark(previous, glyphs.previous, Self.previousStyle) }
        for (model, p) in predictions.enumerated() { mark(p, Self.predictionMarker(model), Self.predictionStyle(model)) }
        if let current = points[state.session] { mark(current, glyphs.current, Self.currentStyle) }

        let legendTop = top + canvas.rows
        for (item, position) in zip(legend, layout.positions) {
            let x = area.x + position.x
            let used = grid.put(item.marker, x: x, y: legendTop + position.row, style: item.style)
            grid.put(item.label, x: x + used + 1, y: legendTop + position.row, maxWidth: area.x + area.width - x - used - 1)
        }
    }
}
