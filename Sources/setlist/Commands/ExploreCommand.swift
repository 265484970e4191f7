import ArgumentParser
import Explorer
import Foundation
import Listening
import Tensor
import TrackSpace
import UserModels

/// `setlist explore`: the terminal explorer.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the terminal explorer on a workspace (building the default workspace on first run).",
        discussion: """
            Screens: 1 users, 2 trajectory, 3 recommendations (with a live context editor), 4 compare (CoSeRNN vs FS-VAE), 5 same-context heatmap, 6 context diversity, 7 skips. Press ? for the keys of each screen and q to quit. The terminal must be at least 80×24; NO_COLOR turns colours off and a non-UTF-8 locale switches to ASCII.

            On first use without --workspace, the default workspace (.setlist/default) is built: generate → embed (40-d and 80-d) → train CoSeRNN and FS-VAE; later runs open at once. Without a terminal, --dump SCREEN prints one screen as text.
            """)

    @OptionGroup var workspaceOption: WorkspaceOption
    @Option(
        help: ArgumentHelp(
            "Print a screen as text and exit: \(ExplorerScreen.allCases.map(\.dumpName).joined(separator: ", ")).", valueName: "screen"))
    var dump: String?
    @Option(help: "Width of --dump output.") var width = 100
    @Option(help: "Height of --dump output.") var height = 30
    @Flag(help: "Plain ASCII glyphs.") var ascii = false
    @Option(help: "Most training epochs of each model when building the default workspace (early stopping usually ends sooner).")
    var setupEpochs = 12
    @Option(help: "Users when building the default workspace.") var setupUsers = SyntheticConfig().users

    func validate() throws {
        if let dump, ExplorerScreen.allCases.first(where: { $0.dumpName == dump.lowercased() }) == nil {
            throw ValidationError("unknown screen '\(dump)'; screens: \(ExplorerScreen.allCases.map(\.dumpName).joined(separator: ", "))")
        }
        guard width > 0, height > 0 else { throw ValidationError("--width and --height must be positive") }
        guard setupUsers > 0, setupEpochs > 0 else { throw ValidationError("--setup-users and --setup-epochs must be positive") }
    }

    func run() throws {
        let path = workspaceOption.path
        if dump == nil {
            // Fail before any long work when there is no terminal to draw on.
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        }
        try prepare(path)
        let context = try WorkspaceContext(path: path)
        let (models, notes) = try context.explorerModels()
        for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let data = ExplorerData(
            title: (path as NSString).lastPathComponent, vocabulary: context.vocabulary,
            users: context.users, models: models)
        data.trackSpaceHealth = context.trackSpaceHealth(dimension: models[0].tracks.dimension)
        if let dump, let screen = ExplorerScreen.allCases.first(where: { $0.dumpName == dump.lowercased() }) {
            // Text has no colours, so shaded screens draw block shades instead.
            let app = ExplorerApp(data: data, unicode: !ascii && NcursesTerminal.localeIsUTF8(), colors: false)
            app.show(screen)
            print(app.render(width: width, height: height).text)
            return
        }
        try ExplorerLoop.run { unicode, colors in ExplorerApp(data: data, unicode: unicode && !ascii, colors: colors) }
    }

    /// FS-VAE's sample of training examples per epoch when building the default workspace.
    static let setupExamplesPerEpoch = 60_000
    /// CoSeRNN's LSTM width in the default workspace: half the paper's 400 trains about three times
    /// faster and, with a learning rate of 2e-3, reaches the same best validation loss (0.1372) on the
    /// generated data (Docs/explorer.md).
    static let setupCoSeRNNHidden = 200
    /// CoSeRNN's Adam learning rate in the default workspace.
    static let setupCoSeRNNLearningRate: Float = 2e-3
    /// The seed of both setup trainings (`setlist train`'s default).
    static let setupSeed: UInt64 = 42

    /// Trains `models` on the default workspace at once, one core each, under one progress line.
    ///
    /// Both train on every user until early stopping. FS-VAE has one example per play (ten times
    /// CoSeRNN's sessions), so each of its epochs is a fresh sample of them; that keeps the first
    /// run to minutes (`setlist train fsvae` without the option uses every example each epoch).
    private func trainConcurrently(_ models: [WorkspaceContext.ModelFile], in path: String) throws {
        // Small matrices gain little from a second BLAS thread; a second model gains a whole core.
        setBLASThreads(models.count > 1 ? 1 : 2)
        let display = TrainingDisplay(label: "train", names: models.map(\.displayName))
        let jobs = zip(models, display.reporters).map { model, reporter in
            SetupTraining(model: model, reporter: reporter, path: path, epochs: setupEpochs)
        }
        let lines = try SetupTraining.runAll(jobs)
        for line in lines { print(line) }
    }

    /// Builds whatever the default workspace lacks; a missing non-default workspace is an error.
    private func prepare(_ path: String) throws {
        let isDefault = workspaceOption.workspace == nil
        if !Workspace.exists(at: path) {
            guard isDefault else { throw WorkspaceError.missing(path: path) }
            FileHandle.standardError.write(Data("First run: building the default workspace in \(path) (generate → embed → train).\n".utf8))
            var config = SyntheticConfig()
            config.users = setupUsers
            _ = try GenerateCommand.generate(config: config, csv: nil, workspace: path, threads: 2, replace: false)
        }
        for dimension in [40, 80] where !FileManager.default.fileExists(atPath: TrackEmbeddingFile.path(in: path, dimension: dimension)) {
            guard isDefault else { continue }
            try EmbedCommand.parse(["--workspace", path, "--dimension", String(dimension)]).run()
        }
        let missing = WorkspaceContext.ModelFile.papers.filter { !FileManager.default.fileExists(atPath: $0.path(in: path)) }
        guard isDefault, !missing.isEmpty else { return }
        try trainConcurrently(missing, in: path)
    }
}

/// One model's training while the default workspace is built, run beside the others on a thread of its own.
///
/// Sendable because each job opens its own workspace context and model, and reports through a locked display.
struct SetupTraining: @unchecked Sendable {
    let model: WorkspaceContext.ModelFile
    let reporter: TrainingReporter
    let path: String
    let epochs: Int

    /// Trains, saves and records the model; returns its summary lines.
    func run() throws -> String {
        let context = try WorkspaceContext(path: path)
        let split = TimeSplit()
        let output = URL(fileURLWithPath: model.path(in: path))
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        switch model {
        case .cosernn:
            let config = { (dimension: Int) in
                CoSeRNNConfig(
                    dimension: dimension, deviceCount: context.vocabulary.devices.count, sourceCount: context.vocabulary.sources.count,
                    hiddenSize: ExploreCommand.setupCoSeRNNHidden, seed: ExploreCommand.setupSeed)
            }
            let options = { (users: Int) in
                TrainingOptions(
                    learningRate: ExploreCommand.setupCoSeRNNLearningRate, batchSize: TrainingOptions.batchSize(forUsers: users),
                    maxEpochs: epochs, seed: ExploreCommand.setupSeed)
            }
            return try TrainCommand.trainCoSeRNN(
                context, split: split, users: nil, output: output, resume: false, started: RunRecord.now,
                reporter: reporter, config: config, options: options)
        case .fsvae:
            var config = FSVAEConfig()
            config.seed = ExploreCommand.setupSeed
            config.epochs = epochs
            config.examplesPerEpoch = ExploreCommand.setupExamplesPerEpoch
            return try TrainCommand.trainFSVAE(
                context, split: split, config: config, users: nil, output: output,
                resume: false, started: RunRecord.now, reporter: reporter)
        case .jodie, .latentcross, .vaecf:
            throw CommandError(
                "the default workspace trains CoSeRNN and FS-VAE only; train \(model.rawValue) with `setlist train \(model.rawValue)`")
        }
    }

    /// Runs every job at once and returns their summary lines in order; the first error is rethrown after all end.
    static func runAll(_ jobs: [SetupTraining]) throws -> [String] {
        let results = SetupResults(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            results.set(index, Result { try jobs[index].run() })
        }
        return try results.values().map { try $0.get() }
    }
}

/// The results of concurrent setup jobs, written under a lock.
private final class SetupResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<String, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<String, any Error>) { lock.withLock { results[index] = result } }

    func values() -> [Result<String, any Error>] {
        lock.withLock { results.map { $0 ?? .failure(CommandError("a setup job did not run")) } }
    }
}
