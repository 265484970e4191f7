import Testing

@testable import Evaluation

/// Text plots as exact snapshots.
@Suite struct TextPlotTests {
    @Test func boxplotRowSnapshotASCII() {
        let box = BoxplotSummary([0, 0.25, 0.5, 0.75, 1])
        let lines = TextPlot(unicode: false).boxplots([(label: "night", box: box)], range: 0...1, width: 21)
        #expect(
            lines == [
                "night |----[====|====]----|",
                "      0.00    0.50     1.00",
            ])
    }

    @Test func boxplotRowSnapshotUnicode() {
        let box = BoxplotSummary([0, 0.25, 0.5, 0.75, 1])
        let lines = TextPlot(unicode: true).boxplots([(label: "a", box: box)], range: 0...1, width: 11)
        // Quartiles at 2.5 and 7.5 round to columns 3 and 8.
        #expect(lines[0] == "a ├──▐█┃██▌─┤")
    }

    @Test func heatmapShadesByMagnitudeAndSign() {
        let lines = TextPlot(unicode: false).heatmap(
            rowLabels: ["am", "pm"], columnLabels: ["am", "pm"],
            values: [[0.4, -0.1], [-0.4, 0.2]], cellWidth: 7)
        #expect(
            lines == [
                "   am     pm     ",
                "am #+0.40 .-0.10 ",
                "pm ~-0.40 :+0.20 ",
            ])
    }

    @Test func scatterPlacesPointsAtTheCorners() {
        let lines = TextPlot(unicode: false).scatter([(x: 0, y: 0), (x: 1, y: 1)], width: 5, height: 3, xLabel: "x", yLabel: "y")
        #expect(
            lines == [
                "y",
                "1.00|    @",
                "    |     ",
                "0.00|@    ",
                "    +-----",
                "     0.00 x 1.00",
            ])
        #expect(TextPlot().scatter([]) == ["(no points)"])
    }
}
