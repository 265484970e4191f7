import Explorer
import Foundation
import Testing

/// Every screen of the explorer, drawn on the fixture, compared with text snapshots in Snapshots/.
///
/// Run with SETLIST_RECORD_SNAPSHOTS=1 to write new snapshots after an intended change, then review the diff.
@Suite struct ExplorerSnapshotTests {
    func check(_ name: String, _ text: String) throws {
        let path = ExplorerFixture.snapshotFolder + "/\(name).txt"
        if ProcessInfo.processInfo.environment["SETLIST_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(atPath: ExplorerFixture.snapshotFolder, withIntermediateDirectories: true)
            try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let stored = try #require(try? String(contentsOfFile: path, encoding: .utf8), "missing snapshot \(name).txt; record it:\n\(text)")
        #expect(stored == text + "\n", "snapshot \(name) differs; got:\n\(text)")
    }

    @Test(arguments: ExplorerScreen.allCases)
    func screen(_ screen: ExplorerScreen) throws {
        let app = ExplorerApp(data: ExplorerFixture.data(), unicode: true)
        app.show(screen)
        try check("\(screen.dumpName)-unicode", app.render(width: 100, height: 30).text)
    }

    @Test(arguments: ExplorerScreen.allCases)
    func asciiScreen(_ screen: ExplorerScreen) throws {
        let app = ExplorerApp(data: ExplorerFixture.data(), unicode: false)
        app.show(screen)
        let text = app.render(width: 80, height: 24).text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII outside UTF-8:\n\(text)")
        try check("\(screen.dumpName)-ascii", text)
    }

    /// The path with a narrow window in mid-history and the full path behind it.
    @Test(arguments: [true, false])
    func trajectoryWindow(unicode: Bool) throws {
        let app = ExplorerApp(data: ExplorerFixture.data(), unicode: unicode)
        app.show(.trajectory)
        for _ in 0..<3 { app.handle(.left) }
        for _ in 0..<3 { app.handle(.character("[")) }
        app.handle(.character("f"))
        let text = unicode ? app.render(width: 100, height: 30).text : app.render(width: 80, height: 24).text
        try check("trajectory-window-\(unicode ? "unicode" : "ascii")", text)
    }

    /// Without colour the heatmap shades its cells with block glyphs.
    @Test func heatmapWithoutColour() throws {
        let app = ExplorerApp(data: ExplorerFixture.data(), unicode: true, colors: false)
        app.show(.heatmap)
        try check("heatmap-nocolor", app.render(width: 100, height: 30).text)
    }

    @Test func helpOverlay() throws {
        let app = ExplorerApp(data: ExplorerFixture.data())
        app.show(.recommendations)
        app.handle(.character("?"))
        try check("help-recommendations", app.render(width: 100, height: 30).text)
    }

    @Test func tooSmall() throws {
        let app = ExplorerApp(data: ExplorerFixture.data())
        let text = app.render(width: 60, height: 20).text
        #expect(text.contains("Terminal too small: 60×20."))
        #expect(text.contains("at least 80×24"))
    }
}

/// The recommendations screen with CoSeRNN and FS-VAE: an edited context, the gate split, and posterior samples.
@Suite struct ExplorerRecommendSnapshotTests {
    /// CoSeRNN after a device change (arrows, shift, gate, mix before and after), then FS-VAE sampling.
    @Test(arguments: [true, false])
    func editedAndSampled(unicode: Bool) throws {
        let app = ExplorerApp(data: try ExplorerFixture.modelData(), unicode: unicode)
        let (width, height) = unicode ? (100, 30) : (80, 24)
        let suffix = unicode ? "unicode" : "ascii"
        app.show(.recommendations)
        app.handle(.character("v"))
        let edited = app.render(width: width, height: height).text
        #expect(unicode || edited.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII outside UTF-8:\n\(edited)")
        try ExplorerSnapshotTests().check("recommend-edited-\(suffix)", edited)
        app.handle(.character("u"))
        let sampled = app.render(width: width, height: height).text
        #expect(unicode || sampled.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII outside UTF-8:\n\(sampled)")
        try ExplorerSnapshotTests().check("recommend-samples-\(suffix)", sampled)
    }
}
