import ArgumentParser
import Foundation
import Listening

/// `setlist generate`: seeded synthetic listening logs with planted structure.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate seeded synthetic listening sessions (the bundled default data).",
        discussion: """
            The generator plants genre clusters, per-user taste, context shifts (daypart and device), slow drift and distance-driven skips; Docs/synthetic-data.md documents each effect. The same options and seed always give the same data. By default it writes a workspace; with --output it writes a Spotify-session-log-like CSV instead (or as well, with both).
            """)

    @OptionGroup var workspaceOption: WorkspaceOption

    @Option(help: "Write a session-log CSV to this file (MSSD columns plus user_id, timestamp, device).")
    var output: String?

    @Option(help: "Number of users.") var users = SyntheticConfig().users
    @Option(help: "Mean sessions per user.") var sessions = SyntheticConfig().sessionsPerUser
    @Option(help: "Mean plays per session.") var plays = SyntheticConfig().playsPerSession
    @Option(help: "Catalogue size (tracks).") var tracks = SyntheticConfig().tracks
    @Option(help: "Genre clusters in track space.") var clusters = SyntheticConfig().clusters
    @Option(help: "Random seed.") var seed = SyntheticConfig().seed
    @Option(help: "Generator threads (output is identical for any count).") var threads = 2
    @Option(help: "JSON file of planted-effect constants (see --print-parameters); default: the standard ones.")
    var parameters: String?
    @Flag(help: "Print the standard planted-effect constants as JSON and exit.") var printParameters = false
    @Flag(help: "Replace an existing workspace.") var replace = false

    func validate() throws {
        guard users > 0 else { throw ValidationError("--users must be at least 1") }
        guard sessions > 0, plays > 0 else { throw ValidationError("--sessions and --plays must be at least 1") }
        guard tracks >= clusters, clusters > 0 else {
            throw ValidationError("--tracks must be at least --clusters, and --clusters at least 1")
        }
        guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
    }

    var config: SyntheticConfig {
        SyntheticConfig(users: users, sessionsPerUser: sessions, playsPerSession: plays, tracks: tracks, clusters: clusters, seed: seed)
    }

    func run() throws {
        if printParameters {
            print(try StableJSON.text(SyntheticParameters.standard))
            return
        }
        let planted = try parameters.map(SyntheticParameters.read(from:)) ?? .standard
        let started = Date()
        let result = try Self.generate(
            config: config, parameters: planted, csv: output,
            workspace: output == nil || workspaceOption.workspace != nil ? workspaceOption.path : nil,
            threads: threads, replace: replace)
        let seconds = Date().timeIntervalSince(started)
        print(
            "Generated \(Format.grouped(result.plays)) plays in \(Format.grouped(result.sessions)) sessions of \(Format.grouped(users)) users (seed \(seed)) in \(Format.duration(seconds))."
        )
        if let output { print("CSV: \(output)") }
        if output == nil || workspaceOption.workspace != nil { print("Workspace: \(workspaceOption.path)") }
    }

    /// Generates into a CSV file, a workspace, or both, with a progress bar.
    static func generate(
        config: SyntheticConfig, parameters: SyntheticParameters = .standard, csv: String?, workspace: String?, threads: Int,
        replace: Bool
    ) throws -> WriteSummary {
        let generator = SyntheticGenerator(config: config, parameters: parameters)
        let progress = ProgressBar("generate", total: generator.expectedPlays, unit: "plays")
        var summary = WriteSummary()
        let csvWriter = try csv.map { try SessionLogCSVWriter(path: $0, vocabulary: generator.vocabulary) }
        func feed(_ sink: (Session) throws -> Void) throws {
            try generator.generateParallel(threads: threads) { session in
                try csvWriter?.append(session)
                try sink(session)
                summary.sessions += 1
                summary.plays += session.plays.count
                progress.update(summary.plays)
            }
        }
        if let workspace {
            var metadata = ["origin": "generate", "generator": try StableJSON.text(config)]
            if parameters != .standard { metadata["planted parameters"] = try parameters.changesFromStandard() }
            try Workspace.whileLocked(workspace) {
                try Workspace.create(at: workspace, vocabulary: generator.vocabulary, replace: replace, metadata: metadata) { writer in
                    try feed { try writer.append($0) }
                }
            }
        } else {
            try feed { _ in }
        }
        try csvWriter?.finish()
        progress.finish(summary.plays)
        summary.users = config.users
        summary.tracks = config.tracks
        return summary
    }
}
