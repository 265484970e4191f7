import Evaluation

extension ExplorerApp {
    func drawSkips(_ grid: inout CellGrid, _ area: Area) {
        let skips = data.skips
        grid.put("Skip rate vs cosine(user's past sessions, this session)", x: area.x + 1, y: area.y, style: .heading)
        // The thresholds run across, one column each, so the table takes four lines and the plot the rest.
        let rows: [(String, (SkipSimilarity.Row) -> String)] = [
            ("min skip rate", { Self.fixed($0.minimumSkipRate, 1) }), ("sessions", { String($0.sessions) }),
            ("Pearson r", { Self.fixed($0.pearson, 3) }), ("slope", { Self.fixed($0.slope, 3) }),
        ]
        for (i, (label, value)) in rows.enumerated() {
            let line = label.padding(toLength: 14, withPad: " ", startingAt: 0) + skips.rows.map { value($0).leftPadded(8) }.joined()
            grid.put(line, x: area.x + 1, y: area.y + 1 + i, style: i == 0 ? .muted : .plain, maxWidth: area.width - 2)
        }
        let plot = Area(x: area.x + 1, y: area.y + 6, width: min(90, area.width - 2), height: area.height - 6)
        drawScatter(
            &grid, plot, points: skips.points.map { (x: $0[0], y: $0[1]) }, xLabel: "cosine(user, session)", yLabel: "skip rate",
            what: "sessions")
    }

    /// A scatter of `points` with ticked axes and the least-squares line of y on x; returns the fit (nil without two points).
    @discardableResult
    func drawScatter(
        _ grid: inout CellGrid, _ area: Area, points: [(x: Double, y: Double)], xLabel: String, yLabel: String,
        what: String
    ) -> LinearFit? {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        let plotRows = area.height - 5  // y label above; axis, tick labels, x label and the fit below
        guard plotRows >= 3, area.width >= 30, let minX = finite.map(\.x).min(), let maxX = finite.map(\.x).max(),
            let minY = finite.map(\.y).min(), let maxY = finite.map(\.y).max()
        else {
            grid.put("(no points to plot)", x: area.x, y: area.y, style: .muted)
            return nil
        }
        let yTicks = AxisTicks.ticks(minY, maxY, maxCount: max(2, plotRows / 3 + 1))
        let yDecimals = AxisTicks.decimals(step: yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1)
        let yLabels = yTicks.map { Self.fixed($0, yDecimals) }
        let gutter = (yLabels.map(\.count).max() ?? 1) + 1
        let axisX = area.x + gutter
        var canvas = BrailleCanvas(columns: area.width - gutter - 1, rows: plotRows)
        let xTicks = AxisTicks.ticks(minX, maxX, maxCount: max(2, canvas.columns / 10))
        let xDecimals = AxisTicks.decimals(step: xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1)
        let frame = PlotFrame(
            x: (xTicks.first ?? minX)...(xTicks.last ?? maxX), y: (yTicks.first ?? minY)...(yTicks.last ?? maxY),
            width: canvas.pixelWidth, height: canvas.pixelHeight)
        let top = area.y + 1
        let bottom = top + plotRows

        // Axes: ticks on the y axis with their values, then the x axis and its values.
        grid.put(yLabel, x: area.x, y: area.y, style: .muted)
        for row in top..<bottom { grid[axisX, row] = Cell(glyphs.vertical, style: .muted) }
        for (tick, label) in zip(yTicks, yLabels) {
            let row = top + frame.pixel(0, tick).y / 4
            grid[axisX, row] = Cell(glyphs.unicode ? "┤" : "+", style: .muted)
            grid.put(label, x: axisX - label.count, y: row, style: .muted)
        }
        grid[axisX, bottom] = Cell(glyphs.unicode ? "└" : "+", style: .muted)
        grid.fill(x: axisX + 1, y: bottom, width: canvas.columns, height: 1, with: Cell(glyphs.horizontal, style: .muted))
        var labelEnd = Int.min
        for tick in xTicks {
            let column = axisX + 1 + frame.pixel(tick, 0).x / 2
            grid[column, bottom] = Cell(glyphs.unicode ? "┬" : "+", style: .muted)
            let label = Self.fixed(tick, xDecimals)
            let start = column - label.count / 2
            guard start > labelEnd else { continue }  // crowded ticks keep the earlier label
            labelEnd = start + grid.put(label, x: start, y: bottom + 1, style: .muted)
        }
        grid.put(xLabel, x: axisX + 1 + max(0, (canvas.columns - xLabel.count) / 2), y: bottom + 2, style: .muted)

        // The fitted line first, so points stay visible on top of it.
        let fit = finite.count >= 2 ? LinearFit(x: finite.map(\.x), y: finite.map(\.y)) : nil
        if let fit, fit.slope.isFinite {
            let a = frame.pixel(frame.x.lowerBound, fit.intercept + fit.slope * frame.x.lowerBound)
            let b = frame.pixel(frame.x.upperBound, fit.intercept + fit.slope * frame.x.upperBound)
            canvas.line(a.x, a.y, b.x, b.y)
            canvas.draw(into: &grid, x: axisX + 1, y: top, unicode: glyphs.unicode, style: CellStyle(color: .accent))
        }
        var counts = [Int](repeating: 0, count: canvas.columns * canvas.rows)
        for p in finite {
            let pixel = frame.pixel(p.x, p.y)
            guard frame.contains(pixel: pixel) else { continue }
            counts[(pixel.y / 4) * canvas.columns + pixel.x / 2] += 1
        }
        let peak = max(1, counts.max() ?? 1)
        let marks: [Character] = glyphs.unicode ? ["·", "•", "●"] : [".", "o", "@"]
        for (cell, count) in counts.enumerated() where count > 0 {
            let mark = marks[Glyphs.bucket(Double(count) / Double(peak), levels: marks.count)]
            grid[axisX + 1 + cell % canvas.columns, top + cell / canvas.columns] = Cell(mark, style: .plain)
        }

        let summary =
            fit.map {
                "line: slope \(Self.fixed($0.slope, 3)) · r \(Self.fixed($0.pearson, 3)) · intercept \(Self.fixed($0.intercept, 3)) (least squares, \(finite.count) \(what))"
            } ?? "too few \(what) for a line"
        grid.put(summary, x: area.x, y: bottom + 3, style: CellStyle(color: .accent), maxWidth: area.width)
        return fit
    }
}
