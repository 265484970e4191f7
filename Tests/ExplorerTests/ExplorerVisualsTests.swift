import Foundation
import Testing

@testable import Explorer

/// The trajectory's path window, the heatmap's ramp and the skips scatter's regression line.
@Suite struct ExplorerVisualsTests {
    static func isBraille(_ c: Character) -> Bool {
        c.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } ?? false
    }

    /// Cells of a rendered grid whose character is a braille pattern.
    static func brailleCells(_ grid: CellGrid) -> [Cell] { grid.cells.filter { isBraille($0.character) } }

    @Test func bracketsResizeThePathWindowWithinTwoAndForty() {
        let app = ExplorerApp(data: ExplorerFixture.data())
        app.show(.trajectory)
        #expect(app.state.pathWindow == 8)
        for _ in 0..<3 { app.handle(.character("[")) }
        #expect(app.state.pathWindow == 2)
        app.handle(.character("["))
        #expect(app.state.pathWindow == 2, "clamps at 2")
        let last = app.state.session
        #expect(app.pathWindowSessions == (last - 2)...last)
        let text = app.render(width: 100, height: 30).text
        #expect(text.contains("sessions \(last - 1)–\(last + 1)"), "the legend names the window's sessions:\n\(text)")
        #expect(text.contains("±2"))
        for _ in 0..<19 { app.handle(.character("]")) }
        #expect(app.state.pathWindow == 40)
        app.handle(.character("]"))
        #expect(app.state.pathWindow == 40, "clamps at 40")
        #expect(app.render(width: 100, height: 30).text.contains("path window ±40"))
        // The keys belong to the trajectory: elsewhere they change nothing.
        app.show(.recommendations)
        app.handle(.character("["))
        #expect(app.state.pathWindow == 40)
    }

    @Test func fTogglesTheFullPathDrawnFaintlyBehindTheWindow() {
        let app = ExplorerApp(data: ExplorerFixture.data())
        app.show(.trajectory)
        for _ in 0..<3 { app.handle(.character("[")) }
        for _ in 0..<4 { app.handle(.left) }
        #expect(!app.state.showFullPath)
        let faint = { Self.brailleCells(app.render(width: 100, height: 30)).filter(\.style.dim).count }
        #expect(faint() == 0, "without the full path, only the window's path is drawn, not dimmed")
        app.handle(.character("f"))
        #expect(app.state.showFullPath)
        #expect(faint() > 0, "the full path is drawn dimmed")
        #expect(app.render(width: 100, height: 30).text.contains("full path (f)"))
        app.handle(.character("f"))
        #expect(!app.state.showFullPath)
    }

    @Test(arguments: [true, false])
    func theLegendNamesEveryMarker(unicode: Bool) {
        let data = ExplorerFixture.data()
        let app = ExplorerApp(data: data, unicode: unicode)
        app.show(.trajectory)
        let session = app.state.session + 1
        let text = unicode ? app.render(width: 100, height: 30).text : app.render(width: 80, height: 24).text
        let glyphs = Glyphs(unicode: unicode)
        #expect(text.contains("\(glyphs.current) now s\(session)"))
        #expect(text.contains("\(glyphs.previous) previous s\(session - 1)"))
        #expect(text.contains("\(glyphs.point) sessions"))
        for (i, model) in data.models.enumerated() { #expect(text.contains("\(i + 1) \(model.name)")) }
        #expect(text.contains("track density"))
        // Each marker is on the plot as well as in the legend.
        for marker in [glyphs.current, glyphs.previous] {
            #expect(text.filter { $0 == marker }.count >= 2, "\(marker) drawn on the plot")
        }
    }

    @Test func helpListsTheTrajectoryKeys() {
        let app = ExplorerApp(data: ExplorerFixture.data())
        let help = app.helpLines(for: .trajectory).joined(separator: "\n")
        #expect(help.contains("[ / ]") && help.contains("path window"))
        #expect(help.contains("f            show / hide the whole path"))
    }

    @Test(arguments: [true, false])
    func theHeatmapLegendSpansTheDataRange(colors: Bool) throws {
        let data = ExplorerFixture.data()
        let app = ExplorerApp(data: data, colors: colors)
        app.show(.heatmap)
        let grid = app.render(width: 100, height: 30)
        let values = data.heatmap(.daypart).excess.flatMap { $0 }.filter(\.isFinite)
        let low = try #require(values.min()), high = try #require(values.max())
        let legend = try #require(grid.text.split(separator: "\n").first { $0.contains("scale") })
        // "scale  LOW │ramp│ HIGH   (…)": the two numbers either side of the ramp.
        let parts = legend.split(separator: "│")
        let lowText = try #require(parts.first?.split(separator: " ").last.map(String.init))
        let highText = try #require(parts.dropFirst(2).first?.split(separator: " ").first.map(String.init))
        #expect(abs(try #require(Double(lowText)) - low) <= 0.005 + 1e-9, "\(legend)")
        #expect(abs(try #require(Double(highText)) - high) <= 0.005 + 1e-9, "\(legend)")
        let ramped = grid.cells.filter { $0.style.ramp != nil }
        if colors {
            // The cell showing the largest value sits on the top of the ramp, the smallest on the bottom.
            let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
            func rampLevel(of text: String) -> Int? {
                for (y, row) in rows.enumerated() {
                    let line = String(row)
                    guard let range = line.range(of: text) else { continue }
                    return grid[line.distance(from: line.startIndex, to: range.lowerBound), y].style.ramp
                }
                return nil
            }
            #expect(rampLevel(of: highText) == CellStyle.rampLevels - 1)
            #expect(rampLevel(of: lowText) == 0)
        } else {
            #expect(ramped.isEmpty, "no colour: shades only")
            #expect(grid.text.contains("█"), "the largest cell is fully shaded")
        }
    }

    @Test func theRegressionLineIsTheLeastSquaresFit() throws {
        let app = ExplorerApp(data: ExplorerFixture.data())
        // By hand: x̄ = 1.5, ȳ = 2.75, Sxy = 5.5, Sxx = 5, Syy = 8.75, so slope 1.1, intercept 1.1, r = 5.5/√43.75 ≈ 0.832.
        let points: [(x: Double, y: Double)] = [(0, 1), (1, 3), (2, 2), (3, 5)]
        var grid = CellGrid(width: 80, height: 24)
        let fit = try #require(
            app.drawScatter(
                &grid, Area(x: 0, y: 0, width: 80, height: 24), points: points,
                xLabel: "x", yLabel: "y", what: "points"))
        #expect(abs(fit.slope - 1.1) < 1e-12)
        #expect(abs(fit.intercept - 1.1) < 1e-12)
        #expect(abs(fit.pearson - 5.5 / 43.75.squareRoot()) < 1e-12)
        #expect(grid.text.contains("slope 1.100 · r 0.832 · intercept 1.100"), "\(grid.text)")
        // The line rises: its leftmost braille cell is lower on the screen than its rightmost.
        let line = (0..<grid.height).flatMap { y in (0..<grid.width).map { (x: $0, y: y) } }
            .filter { Self.isBraille(grid[$0.x, $0.y].character) }
        let left = try #require(line.min { $0.x < $1.x }), right = try #require(line.max { $0.x < $1.x })
        #expect(left.y > right.y)
    }

    @Test func axisTicksAreRoundAndCoverTheData() {
        let ticks = AxisTicks.ticks(-0.13, 0.97, maxCount: 7)
        #expect(ticks.count <= 7)
        #expect(zip(ticks, [-0.2, 0, 0.2, 0.4, 0.6, 0.8, 1.0]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(AxisTicks.decimals(step: 0.2) == 1)
        #expect(AxisTicks.ticks(0.5, 0.5, maxCount: 5).count >= 2, "one value still gets an axis")
    }
}
