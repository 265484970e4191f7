import Foundation
import Listening
import Tensor
import TrackSpace
import UserModels

/// The default workspace `setlist explore` builds on first run: generate, then two chains side by
/// side, one core each: embed 40-d → train CoSeRNN, and embed 80-d → train FS-VAE. Each step runs
/// only when its output is missing.
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
        /// Embedding and training what is missing, in one chain per model.
        case building([[SetupTask]])
    }

    /// FS-VAE's sample of training examples per epoch.
    static let examplesPerEpoch = 60_000
    /// FS-VAE's fixed sample of validation examples for early stopping: the recurrent model scores
    /// them by running each sampled user's whole timeline, so a sample costs far more than its size.
    static let validationExamples = 5_000
    /// CoSeRNN's LSTM width: half the paper's 400 trains about three times faster and, with a
    /// learning rate of 2e-3, reaches the same best validation loss (0.1372) on the generated data
    /// (Docs/explorer.md).
    static let coSeRNNHidden = 200
    /// CoSeRNN's Adam learning rate.
    static let coSeRNNLearningRate: Float = 2e-3
    /// CoSeRNN's smallest validation-loss gain that counts as better: its two passes cost about twice
    /// the one-pass model's epoch, and the tail of its curve gains little per epoch (Docs/explorer.md).
    static let coSeRNNMinimumImprovement: Float = 0.0005
    /// The seed of both trainings (`setlist train`'s default).
    static let seed: UInt64 = 42
    /// Epochs without a better validation loss before either model stops: none. Both curves are
    /// smooth and flatten within a few epochs, and the best weights are kept; with patience 3
    /// CoSeRNN's extra epochs found nothing better on the default workspace (Docs/explorer.md).
    static let patience = 0
    /// FS-VAE's smallest validation-cosine gain that counts as better: with patience 2, the eight
    /// epochs after the first smaller gain took two minutes for 0.0036 in all (Docs/explorer.md).
    static let fsvaeMinimumImprovement: Float = 0.001
    /// Word2vec passes over the generated sessions, per track-space dimension.
    ///
    /// `setlist embed`'s default (5 on a log this size) leaves the 40-d space crowded (mean pairwise
    /// cosine 0.37, next-play hit rate@10 0.009); 40 passes give 0.10 and 0.049, and a top-50 that
    /// follows a context edit (Docs/explorer.md). FS-VAE's 80-d space is on the first run's critical
    /// path: 30 passes give 0.076 and 0.045 (40: 0.066 and 0.050; 20: 0.105 and 0.030).
    static func embeddingEpochs(dimension: Int) -> Int { dimension == 80 ? 30 : 40 }

    /// Builds whatever the workspace at `path` lacks and returns the trainings' summary lines.
    static func build(at path: String, settings: Settings = Settings(), progress: (Step) -> Void = { _ in }) throws -> [String] {
        if !Workspace.exists(at: path) {
            progress(.generating)
            var config = SyntheticConfig()
            config.users = settings.users
            _ = try GenerateCommand.generate(config: config, csv: nil, workspace: path, threads: 2, replace: false)
        }
        let chains = WorkspaceContext.ModelFile.papers.map { chain(for: $0, in: path) }.filter { !$0.isEmpty }
        guard !chains.isEmpty else { return [] }
        progress(.building(chains))
        return try runChains(chains, in: path, epochs: settings.epochs)
    }

    /// The missing steps of one model's chain: its track space, then the model.
    static func chain(for model: WorkspaceContext.ModelFile, in path: String) -> [SetupTask] {
        let fileManager = FileManager.default
        var tasks: [SetupTask] = []
        if !fileManager.fileExists(atPath: TrackEmbeddingFile.path(in: path, dimension: model.dimension)) {
            tasks.append(.embed(dimension: model.dimension))
        }
        if !fileManager.fileExists(atPath: model.path(in: path)) { tasks.append(.train(model)) }
        return tasks
    }

    /// Runs `chains` at once, one core each (both cores for a chain alone), under one progress line.
    ///
    /// Two chains of one thread each keep both cores busy from the first word2vec pass to the last
    /// training step; one thread also makes each word2vec run bit-reproducible. Both models train on
    /// every user until early stopping; FS-VAE has one example per play (ten times CoSeRNN's
    /// sessions), so each of its epochs is a fresh sample of them and early stopping scores a fixed
    /// sample of validation examples (`setlist train fsvae` without the options uses every example).
    static func runChains(_ chains: [[SetupTask]], in path: String, epochs: Int) throws -> [String] {
        let threads = chains.count > 1 ? 1 : 2
        // OpenBLAS's thread count is global: one each while two chains run, both cores for the
        // last one. The pthreads build reads the count when a product starts, so raising it from the
        // finished chain's thread changes only the other chain's next product.
        setBLASThreads(threads)
        let display = TrainingDisplay(label: "setup", names: chains.flatMap { $0.map(\.displayName) })
        let reporters = display.reporters
        var jobs: [SetupChain] = [], first = 0
        for tasks in chains {
            jobs.append(
                SetupChain(
                    tasks: tasks, reporters: Array(reporters[first..<(first + tasks.count)]), path: path, epochs: epochs, threads: threads))
            first += tasks.count
        }
        return try SetupChain.runAll(jobs) { running in
            if running == 1 { setBLASThreads(2) }
        }.flatMap { $0 }
    }
}

/// One piece of the default workspace's build.
enum SetupTask: Equatable, Sendable {
    /// Word2vec track embeddings of one dimension and their index.
    case embed(dimension: Int)
    /// One of the two paper models.
    case train(WorkspaceContext.ModelFile)

    /// Its name on the progress line.
    var displayName: String {
        switch self {
        case .embed(let dimension): "\(dimension)-d space"
        case .train(let model): model.displayName
        }
    }
}

/// One model's chain of the default workspace's build, run beside the other on a thread of its own.
///
/// Each step opens its own workspace context, and reports through the shared, locked display.
struct SetupChain: Sendable {
    let tasks: [SetupTask]
    let reporters: [TrainingReporter]
    let path: String
    let epochs: Int
    /// Word2vec threads (BLAS threads are set once for every chain).
    let threads: Int

    /// Runs the steps in order; returns the trainings' summary lines.
    func run() throws -> [String] {
        var lines: [String] = []
        for (task, reporter) in zip(tasks, reporters) {
            switch task {
            case .embed(let dimension):
                var training = EmbedCommand.Training(dimension: dimension, epochs: DefaultWorkspace.embeddingEpochs(dimension: dimension))
                training.word2vec.threads = threads
                try EmbedCommand.embed(folder: path, training: training, reporter: reporter)
                reporter.finish("")
            case .train(let model):
                lines.append(try train(model, reporter: reporter))
            }
        }
        return lines
    }

    /// Trains, saves and records `model`; returns its summary lines.
    func train(_ model: WorkspaceContext.ModelFile, reporter: TrainingReporter) throws -> String {
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
                    maxEpochs: epochs, patience: DefaultWorkspace.patience,
                    minimumImprovement: DefaultWorkspace.coSeRNNMinimumImprovement, seed: DefaultWorkspace.seed)
            }
            return try TrainCommand.trainCoSeRNN(
                context, split: split, users: nil, output: output, resume: false, started: RunRecord.now,
                reporter: reporter, config: config, options: options)
        case .fsvae:
            var config = FSVAEConfig.paper
            config.seed = DefaultWorkspace.seed
            config.epochs = epochs
            config.examplesPerEpoch = DefaultWorkspace.examplesPerEpoch
            config.validationExamples = DefaultWorkspace.validationExamples
            config.patience = DefaultWorkspace.patience
            config.minimumImprovement = DefaultWorkspace.fsvaeMinimumImprovement
            // Scoring every validation example once more would add 9 s to the first run; the sample's
            // figure matched it to 1e-4 when measured (Docs/explorer.md).
            return try TrainCommand.trainFSVAE(
                context, split: split, config: config, users: nil, output: output,
                resume: false, started: RunRecord.now, reporter: reporter, scoresAllValidation: false)
        case .jodie, .latentcross, .vaecf:
            throw CommandError(
                "the default workspace trains CoSeRNN and FS-VAE only; train \(model.rawValue) with `setlist train \(model.rawValue)`")
        }
    }

    /// Runs every chain at once and returns their lines in order; the first error is rethrown after all end.
    ///
    /// `chainEnded` is called on the finished chain's thread with the number of chains still running.
    static func runAll(_ chains: [SetupChain], chainEnded: @Sendable (_ running: Int) -> Void = { _ in }) throws -> [[String]] {
        let results = SetupResults(count: chains.count)
        DispatchQueue.concurrentPerform(iterations: chains.count) { index in
            chainEnded(results.set(index, Result { try chains[index].run() }))
        }
        return try results.values().map { try $0.get() }
    }
}

/// The results of concurrent setup jobs, written under a lock.
private final class SetupResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[String], any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    /// Records a job's result and returns how many jobs have none yet.
    func set(_ index: Int, _ result: Result<[String], any Error>) -> Int {
        lock.withLock {
            results[index] = result
            return results.filter { $0 == nil }.count
        }
    }

    func values() -> [Result<[String], any Error>] {
        lock.withLock { results.map { $0 ?? .failure(CommandError("a setup job did not run")) } }
    }
}
