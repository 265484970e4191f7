import ArgumentParser
import Foundation
import Listening
import TrackSpace
import UserModels

/// `setlist info`: what a workspace holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarise a workspace: users, tracks, sessions, plays, skips, time span and contexts.")

    @OptionGroup var workspaceOption: WorkspaceOption
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() throws {
        let workspace = try Workspace(at: workspaceOption.path, readOnly: true)
        let summary = try workspace.summary()
        let curves = Self.latestCurves(try workspace.runRecords())
        let spaces = try TrackEmbeddingFile.dimensions(in: workspaceOption.path).map { dimension in
            TrackSpaceSummary(try TrackEmbeddings.load(workspace: workspaceOption.path, dimension: dimension))
        }
        if json {
            print(try StableJSON.text(InfoReport(workspace: summary, trackSpaces: spaces, models: curves), pretty: true))
        } else {
            print(Self.render(summary, path: workspaceOption.path))
            for space in spaces {
                print(
                    "  " + "track space".padding(toLength: 16, withPad: " ", startingAt: 0)
                        + "\(space.dimension)-d: \(Format.grouped(space.trainedTracks)) tracks with a vector, trained on "
                        + (space.split.map { "the training part of the \($0)" } ?? "unknown sessions (imported or unrecorded)")
                        + (space.trainingSessions.map { ", \(Format.grouped($0)) sessions" } ?? "")
                        + (space.meanPairwiseCosine.map {
                            String(
                                format: "; mean pairwise cosine %.3f%@", $0, $0 > TrackSpaceHealth.degenerateCosine ? " (degenerate)" : "")
                        } ?? ""))
            }
            let unicode = NcursesTerminal.localeIsUTF8()
            for curve in curves {
                print("  " + "model".padding(toLength: 16, withPad: " ", startingAt: 0) + Self.describe(curve, unicode: unicode))
                if let posterior = curve.posterior {
                    print("  " + "".padding(toLength: 16, withPad: " ", startingAt: 0) + "  posterior at that epoch: " + posterior.summary)
                }
            }
        }
    }

    /// The validation curve of the latest training run of each model, in the order the models were first trained.
    static func latestCurves(_ records: [RunRecord]) -> [ValidationCurve] {
        var latest: [String: ValidationCurve] = [:]
        var order: [String] = []
        for record in records {
            guard let curve = record.validationCurve else { continue }
            if latest[curve.model] == nil { order.append(curve.model) }
            latest[curve.model] = curve
        }
        return order.compactMap { latest[$0] }
    }

    /// "cosernn: validation 0.2586 → 0.2369 at epoch 16 of 20 ▇▆▅▄…" (the sparkline runs from the worst to the best loss).
    static func describe(_ curve: ValidationCurve, unicode: Bool) -> String {
        let measured = curve.losses.compactMap { $0 }
        guard let first = measured.first, let best = curve.bestLoss, let low = measured.min(), let high = measured.max() else {
            return "\(curve.model): \(curve.losses.count) epochs, no validation loss"
        }
        let levels = unicode ? Array("▁▂▃▄▅▆▇█") : Array("_.-=+*#@")
        let line = String(
            curve.losses.map { loss -> Character in
                guard let loss else { return " " }
                let position = high > low ? (loss - low) / (high - low) : 0
                return levels[min(levels.count - 1, Int(position * Float(levels.count)))]
            })
        return String(
            format: "%@: validation %.4f %@ %.4f at epoch %d of %d  ", curve.model, first, unicode ? "→" : "->", best,
            curve.bestEpoch, curve.losses.count) + line + (curve.examples.map { "  (\(Format.grouped($0)) examples)" } ?? "")
    }

    /// The summary as an aligned text report.
    static func render(_ s: WorkspaceSummary, path: String) -> String {
        var lines = ["Workspace \(path)"]
        func row(_ name: String, _ value: String) { lines.append("  " + name.padding(toLength: 16, withPad: " ", startingAt: 0) + value) }
        row("users", Format.grouped(s.users))
        row("tracks", Format.grouped(s.tracks))
        row("sessions", Format.grouped(s.sessions) + String(format: "  (%.1f plays each)", s.meanSessionLength))
        row("plays", Format.grouped(s.plays))
        if let rate = s.skipRate {
            row("skips", String(format: "%.1f%% of %@ plays with a known skip state", rate * 100, Format.grouped(s.playsWithSkipState)))
        } else {
            row("skips", "unknown (the log has no skip information)")
        }
        if let first = s.firstTime, let last = s.lastTime {
            row(
                "time span", "\(Format.time(first)) to \(Format.time(last)) (\(String(format: "%.1f", Double(last - first) / 86_400)) days)"
            )
        }
        func distribution(_ name: String, _ counts: [String: Int]) {
            let total = max(counts.values.reduce(0, +), 1)
            let parts = counts.sorted { $0.value > $1.value }
                .map { "\($0.key) \(String(format: "%.0f%%", Double($0.value) * 100 / Double(total)))" }
            row(name, parts.joined(separator: ", "))
        }
        let daypartOrder = Daypart.allCases.map(\.description) + ["unknown"]
        let dayparts = daypartOrder.compactMap { name in s.sessionsByDaypart[name].map { (name, $0) } }
        let total = max(s.sessions, 1)
        row("dayparts", dayparts.map { "\($0.0) \(String(format: "%.0f%%", Double($0.1) * 100 / Double(total)))" }.joined(separator: ", "))
        distribution("devices", s.sessionsByDevice)
        distribution("sources", s.sessionsBySource)
        if !s.imports.isEmpty { row("imported", s.imports.joined(separator: "\n" + String(repeating: " ", count: 18))) }
        if let origin = s.meta["origin"] { row("origin", origin) }
        if let planted = s.meta["planted parameters"] { row("planted", "\(planted), the rest standard (Docs/synthetic-data.md)") }
        row("runs", String(s.runs))
        return lines.joined(separator: "\n")
    }
}

/// One track space as `setlist info` shows it: what it holds and which sessions it was fitted on.
struct TrackSpaceSummary: Encodable {
    var dimension: Int
    var trainedTracks: Int
    /// The split whose training part the vectors saw, in words (nil when unknown).
    var split: String?
    var trainingSessions: Int?
    /// The health figure measured when the space was saved (nil for older files).
    var meanPairwiseCosine: Double?

    init(_ embeddings: TrackEmbeddings) {
        dimension = embeddings.dimension
        trainedTracks = embeddings.trainedCount
        split = embeddings.trainingSplit?.description
        trainingSessions = embeddings.metadata["training_sessions"].flatMap { Int($0) }
        meanPairwiseCosine = embeddings.recordedMeanPairwiseCosine ?? embeddings.health().meanPairwiseCosine
    }
}

/// `setlist info --json`: the workspace summary's fields, plus the track spaces.
struct InfoReport: Encodable {
    var workspace: WorkspaceSummary
    var trackSpaces: [TrackSpaceSummary]
    /// The latest training run's validation curve of each model.
    var models: [ValidationCurve]

    func encode(to encoder: Encoder) throws {
        try workspace.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(trackSpaces, forKey: Key(stringValue: "trackSpaces"))
        try container.encode(models, forKey: Key(stringValue: "models"))
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
