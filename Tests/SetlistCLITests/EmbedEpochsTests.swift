import Foundation
import Testing

/// `setlist embed` without `--epochs`: small logs get enough updates, or the warning says the space is degenerate.
@Suite struct EmbedEpochsTests {
    static let lastfm: String? = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let path = url.deletingLastPathComponent().appendingPathComponent("shared/datasets/lastfm-1k-jodie-prefix.csv").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// The "Health" and "Next-play hit rate" figures of an embed run.
    static func figures(_ output: String) -> (cosine: Double, hitRate: Double)? {
        func number(after marker: String) -> Double? {
            guard let range = output.range(of: marker) else { return nil }
            return Double(output[range.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" })
        }
        guard let cosine = number(after: "mean pairwise cosine "), let hit = number(after: "on validation sessions: ") else { return nil }
        return (cosine, hit)
    }

    @Test(.enabled(if: lastfm != nil, "../shared/datasets/lastfm-1k-jodie-prefix.csv is absent"))
    func aSmallRealSliceGetsMoreEpochsAndABetterSpaceThanFive() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The first 5,000 plays of the real log (header included), in a scratch folder only.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try #require(Self.lastfm)))
        var newlines = 0
        let end =
            bytes.firstIndex { byte in
                if byte == UInt8(ascii: "\n") { newlines += 1 }
                return newlines == 5_001
            } ?? bytes.endIndex
        let slice = folder + "/slice.csv"
        try bytes[..<end].write(to: URL(fileURLWithPath: slice))
        #expect(try SetlistBinary.run(["import", slice, "-w", folder + "/auto"]).status == 0)
        #expect(try SetlistBinary.run(["import", slice, "-w", folder + "/five"]).status == 0)

        let auto = try SetlistBinary.run(["embed", "-w", folder + "/auto", "--threads", "1"])
        let five = try SetlistBinary.run(["embed", "-w", folder + "/five", "--threads", "1", "--epochs", "5"])
        #expect(auto.status == 0 && five.status == 0, "\(auto.stderr)\(five.stderr)")
        #expect(auto.stdout.contains("100 epochs for"), "a 4,000-play corpus gets the most epochs:\n\(auto.stdout)")
        let chosen = try #require(Self.figures(auto.stdout), "\(auto.stdout)")
        let baseline = try #require(Self.figures(five.stdout), "\(five.stdout)")
        if chosen.cosine < 0.6 {
            #expect(chosen.hitRate > baseline.hitRate, "auto \(chosen), 5 epochs \(baseline)")
        } else {
            #expect(auto.stderr.contains("warning: the track space is degenerate"))
        }
    }

    @Test func aDegenerateSpaceIsReportedWithAdvice() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let workspace = folder + "/ws"
        // Three-play sessions give word2vec few context pairs: 5 epochs leave every track pointing one way (Docs/track-space.md).
        #expect(
            try SetlistBinary.run(["generate", "--users", "300", "--sessions", "150", "--plays", "3", "--tracks", "800", "-w", workspace])
                .status == 0)
        let run = try SetlistBinary.run(["embed", "-w", workspace, "--epochs", "5", "--threads", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let figures = try #require(Self.figures(run.stdout), "\(run.stdout)")
        #expect(figures.cosine > 0.5)
        #expect(run.stderr.contains("warning: the track space is degenerate") && run.stderr.contains("--epochs"), "\(run.stderr)")
    }
}
