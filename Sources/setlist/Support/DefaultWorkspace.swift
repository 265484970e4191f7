import Foundation
import Listening
import Tensor
import TrackSpace
import UserModels

/// The default workspace `setlist explore` builds on first run: generate → embed (40-d and 80-d) →
/// train CoSeRNN and FS-VAE, each step only when its output is missing.
///
/// It lives in the setlist target because no library depends on the generator, TrackSpace and
/// UserModels together; putting it in one would add a dependency edge. It calls the commands'
/// typed entry points, never their argument parsers.
enum DefaultWorkspace {
    /// What the caller may change; everything else is fixed so that every first run trains the same models.
    struct Settings {
        /// Generated users.
        var users = SyntheticConfig().users
        /// Most training epochs of each model (early stopping usually ends sooner).
        var epochs = 12
    }

    /// A step of the build, reported before it starts.
    enum Step: Equatable {
        /// Generating the synthetic workspace.
        case generating
        /// Training word2vec embeddings of one dimension and their index.
        case embedding(dimension: Int)
        /// Training the models that are missing, side by side.
        case training([WorkspaceContext.ModelFile])
    }

    /// FS-VAE's sample of training examples per epoch.
    static let examplesPerEpoch = 60_000
    /// CoSeRNN's LSTM width: half the paper's 400 trains about three times faster and, with a
    /// learning rate of 2e-3, reaches the same best validation loss (0.1372) on the generated data
    /// (Docs/explorer.md).
    static let coSeRNNHidden = 200
    /// CoSeRNN's Adam learning rate.
    static let coSeRNNLearningRate: Float = 2e-3
    /// The seed of both trainings (`setlist train`'s default).
    static let seed: UInt64 = 42
    /// The track spaces the models read: CoSeRNN's 40-d and FS-VAE's 80-d.
    static let dimensions = [40, 80]
    /// Word2vec passes over the generated sessions. `setlist embed`'s default (5 on a log this size)
    /// leaves the space crowded (mean pairwise cosine 0.37, next-play hit rate@10 0.009); 40 passes
    /// give 0.10 and 0.042, and a top-50 that follows a context edit (Docs/explorer.md).
    static let embeddingEpochs = 40

    /// Builds whatever the workspace at `path` lacks and returns the trainings' summary lines.
    static func build(at path: String, settings: Settings = Settings(), progress: (Step) -> Void = { _ in }) throws -> [String] {
        if !Workspace.exists(at: path) {
            progress(.generating)
            var config = SyntheticConfig()
            config.users = settings.users
            _ = try GenerateCommand.generate(config: config, csv: nil, workspace: path, threads: 2, replace: false)
        }
        for dimension in dimensions where !FileManager.default.fileExists(atPath: TrackEmbeddingFile.path(in: path, dimension: dimension)) {
            progress(.embedding(dimension: dimension))
            try EmbedCommand.embed(folder: path, training: .init(dimension: dimension, epochs: embeddingEpochs))
        }
        let missing = WorkspaceContext.ModelFile.papers.filter { !FileManager.default.fileExists(atPath: $0.path(in: path)) }
        guard !missing.isEmpty else { return [] }
        progress(.training(missing))
        return try trainConcurrently(missing, in: path, epochs: settings.epochs)
    }

    /// Trains `models` at once, one core each, under one progress line.
    ///
    /// Both train on every user until early stopping. FS-VAE has one example per play (ten times
    /// CoSeRNN's sessions), so each of its epochs is a fresh sample of them; that keeps the first
    /// run to minutes (`setlist train fsvae` without the option uses every example each epoch).
    static func trainConcurrently(_ models: [WorkspaceContext.ModelFile], in path: String, epochs: Int) throws -> [String] {
        // Small matrices gain little from a second BLAS thread; a second model gains a whole core.
        setBLASThreads(models.count > 1 ? 1 : 2)
        let display = TrainingDisplay(label: "train", names: models.map(\.displayName))
        let jobs = zip(models, display.reporters).map { model, reporter in
            SetupTraining(model: model, reporter: reporter, path: path, epochs: epochs)
        }
        return try SetupTraining.runAll(jobs)
    }
}

/// One model's training while the default workspace is built, run beside the others on a thread of its own.
///
/// Each job opens its own workspace context and model, and reports through a locked display.
struct SetupTraining: Sendable {
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
                    hiddenSize: DefaultWorkspace.coSeRNNHidden, seed: DefaultWorkspace.seed)
            }
            let options = { (users: Int) in
                TrainingOptions(
                    learningRate: DefaultWorkspace.coSeRNNLearningRate, batchSize: TrainingOptions.batchSize(forUsers: users),
                    maxEpochs: epochs, seed: DefaultWorkspace.seed)
            }
            return try TrainCommand.trainCoSeRNN(
                context, split: split, users: nil, output: output, resume: false, started: RunRecord.now,
                reporter: reporter, config: config, options: options)
        case .fsvae:
            var config = FSVAEConfig()
            config.seed = DefaultWorkspace.seed
            config.epochs = epochs
            config.examplesPerEpoch = DefaultWorkspace.examplesPerEpoch
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
