import ArgumentParser
import Foundation
import Listening
import TrackSpace

/// `setlist embed`: word2vec track embeddings of a workspace, their HNSW index, and word2vec text export/import.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Train word2vec track embeddings on the workspace's sessions and index them for nearest-neighbour search.",
        discussion: """
            Skip-gram with negative sampling, one sentence per session. Only the training sessions of the split are read (by default each user's first 80% of sessions; see --split), so no validation or test play shapes the track space; the split is recorded in the file, and `setlist evaluate` refuses to score sessions the space was trained on. Each dimension has its own files, so CoSeRNN's 40-d and FS-VAE's 80-d spaces coexist:

              setlist embed --dimension 40       # tracks-40d.safetensors + tracks-40d.hnsw
              setlist embed --dimension 80       # tracks-80d.safetensors + tracks-80d.hnsw

            Tracks with fewer than --min-count plays get no vector (a zero row, trained = 0 in the file). --export writes the word2vec text format gensim reads (KeyedVectors.load_word2vec_format); --import reads one, matching rows to workspace track keys.
            """)

    @OptionGroup var workspaceOption: WorkspaceOption
    @OptionGroup var splitOption: SplitOption

    @Option(help: "Vector length: 40 for CoSeRNN (the default), 80 for FS-VAE; with --import, the file's.") var dimension: Int?
    @Option(help: "Maximum context distance within a session.") var window = Word2VecConfig().window
    @Option(help: "Negative samples per window (shared by its context tracks).") var negatives = Word2VecConfig().negatives
    @Option(help: "Passes over the sessions (default: enough for about 400,000 token updates, 5 to 100).") var epochs: Int?
    @Option(help: "Tracks with fewer plays get no vector.") var minCount = Word2VecConfig().minCount
    @Option(help: "Subsampling threshold for frequent tracks (0 turns it off).") var sample = Word2VecConfig().sample
    @Option(help: "Initial learning rate (decays linearly).") var learningRate = Word2VecConfig().learningRate
    @Option(help: "Training threads (1 is bit-reproducible).") var threads = Word2VecConfig().threads
    @Option(help: "Random seed.") var seed = Word2VecConfig().seed
    @Option(help: "HNSW links per node.") var m = HNSWIndex.Parameters().m
    @Option(help: "HNSW candidate list size while building.") var efConstruction = HNSWIndex.Parameters().efConstruction
    @Option(help: ArgumentHelp("Write the stored embeddings in word2vec text format to this file (no training).", valueName: "file"))
    var export: String?
    @Option(
        name: .customLong("import"), help: ArgumentHelp("Read embeddings in word2vec text format instead of training.", valueName: "file"))
    var importFile: String?

    func validate() throws {
        guard export == nil || importFile == nil else { throw ValidationError("--export and --import cannot be combined") }
        if let dimension, dimension <= 0 { throw ValidationError("--dimension must be positive") }
        guard window > 0, negatives >= 0, (epochs ?? 1) > 0, minCount > 0, threads > 0, sample >= 0, sample.isFinite, learningRate > 0,
            learningRate.isFinite
        else {
            throw ValidationError(
                "--window, --epochs, --min-count, --threads and --learning-rate must be positive (and finite), --negatives and --sample non-negative"
            )
        }
        guard m >= 2, efConstruction >= 1 else { throw ValidationError("--m must be at least 2 and --ef-construction at least 1") }
    }

    /// What an embed run trains and indexes, as typed values; nil dimension and epochs mean the defaults.
    struct Training {
        var dimension: Int?
        var epochs: Int?
        /// The other word2vec settings (its dimension and epochs come from the two above).
        var word2vec = Word2VecConfig()
        var index = HNSWIndex.Parameters()
        var split = TimeSplit.Specification()
    }

    /// The options as a `Training`.
    func training() throws -> Training {
        Training(
            dimension: dimension, epochs: epochs,
            word2vec: Word2VecConfig(
                window: window, negatives: negatives, minCount: minCount, sample: sample, learningRate: learningRate, threads: threads,
                seed: seed),
            index: .init(m: m, efConstruction: efConstruction), split: try splitOption.specification())
    }

    func run() throws {
        let folder = workspaceOption.path
        if let export {
            let keys = try Workspace(at: folder, readOnly: true).vocabulary().tracks.map(\.key)
            let d = dimension ?? 40
            let embeddings = try TrackEmbeddings.load(workspace: folder, dimension: d)
            try embeddings.exportWord2VecText(to: export, keys: keys)
            print("Exported \(Format.grouped(embeddings.trainedCount)) \(d)-d track vectors to \(export)")
            return
        }
        try Self.embed(folder: folder, training: training(), importFile: importFile)
    }

    /// Trains (or with `importFile` reads) the embeddings of the workspace at `folder`, saves them with
    /// their health, reports the held-out next-play hit rate and writes the HNSW index, printing each step.
    ///
    /// With `reporter` (the default workspace's shared line) progress goes to it and each printed
    /// line becomes a note above it; without, word2vec has a bar of its own and lines go to standard output.
    static func embed(folder: String, training: Training, importFile: String? = nil, reporter: TrainingReporter? = nil) throws {
        let print = lines(to: reporter)
        let (dimension, epochs, m) = (training.dimension, training.epochs, training.index.m)
        let workspace = try Workspace(at: folder, readOnly: true)
        let keys = try workspace.vocabulary().tracks.map(\.key)
        let embeddings: TrackEmbeddings
        if let importFile {
            let (imported, unknown) = try TrackEmbeddings.importWord2VecText(from: importFile, keys: keys, metadata: ["source": importFile])
            if let dimension, dimension != imported.dimension {
                throw TrackSpaceError.dimensionMismatch(expected: dimension, found: imported.dimension)
            }
            embeddings = imported
            print(
                "Imported \(Format.grouped(imported.trainedCount)) \(imported.dimension)-d vectors from \(importFile)"
                    + (unknown > 0 ? " (\(Format.grouped(unknown)) keys not in the workspace were skipped)" : ""))
        } else {
            embeddings = try train(WorkspaceContext(path: folder), training: training, trackCount: keys.count, reporter: reporter)
        }
        var checked = embeddings
        let health = checked.recordHealth()
        try checked.save(workspace: folder)
        print("Embeddings: \(TrackEmbeddingFile.path(in: folder, dimension: embeddings.dimension))")
        print(
            String(
                format: "Health: mean pairwise cosine %.3f over %@ sampled tracks (0 isotropic, 1 all alike)",
                health.meanPairwiseCosine, Format.grouped(health.sampledTracks)))
        if importFile == nil, let context = try? WorkspaceContext(path: folder) {
            // Held-out check: the validation sessions the word2vec run never saw.
            let split = try context.split(training.split)
            let validation = context.users.flatMap { $0[split.range(.validation, of: $0)] }
            let hit = try embeddings.nextPlayHitRate(sessions: validation)
            if hit.pairs > 0 {
                print(
                    String(
                        format:
                            "Next-play hit rate@%d on validation sessions: %.3f over %@ pairs (the next track among a track's %d nearest)",
                        hit.k, hit.rate, Format.grouped(hit.pairs), hit.k))
            }
        }
        if health.isDegenerate {
            let warning = String(
                format:
                    "warning: the track space is degenerate (mean pairwise cosine %.2f: the tracks point almost the same way), so neighbours and recommendations mean little; train longer (for example --epochs %d) or on more plays",
                health.meanPairwiseCosine, max(50, (epochs ?? 5) * 10))
            // Beside a shared progress line, above it like every other line; alone, on standard error.
            if let reporter { reporter.note(warning) } else { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
        }

        let started = Date()
        let index = try embeddings.hnswIndex(parameters: training.index)
        let indexPath = TrackEmbeddingFile.indexPath(in: folder, dimension: embeddings.dimension)
        try index.write(to: indexPath)
        print(
            "Index: \(indexPath) (\(Format.grouped(index.count)) tracks, M \(m), built in \(Format.duration(Date().timeIntervalSince(started))))"
        )
    }

    /// Where an embed run's lines go: notes above the shared progress line, or standard output.
    private static func lines(to reporter: TrainingReporter?) -> (String) -> Void {
        { line in if let reporter { reporter.note(line) } else { Swift.print(line) } }
    }

    static func train(_ context: WorkspaceContext, training: Training, trackCount: Int, reporter: TrainingReporter? = nil) throws
        -> TrackEmbeddings
    {
        let print = lines(to: reporter)
        let split = try context.split(training.split)
        let sessions = split.trainingSessions(of: context.users)
        let corpus = try Word2VecCorpus(sessions: sessions, vocabularySize: trackCount)
        let epochs = training.epochs ?? Word2VecConfig.epochs(forTokens: corpus.tokens.count)
        var config = training.word2vec
        config.dimension = training.dimension ?? 40
        config.epochs = epochs
        let total = corpus.tokens.count * epochs
        let result: Word2VecTraining
        if let reporter {
            result = try Word2Vec.train(corpus, config: config) { reporter.report(fraction: $0) }
        } else {
            let progress = ProgressBar("word2vec", total: total, unit: "words")
            let box = ProgressBox(progress, total: total)
            result = try Word2Vec.train(corpus, config: config) { box.report($0) }
            progress.finish(result.wordsProcessed)
        }
        var embeddings = result.embeddings
        embeddings.recordTraining(split: split, sessions: sessions.count)
        print(
            "Trained \(Format.grouped(embeddings.trainedCount)) of \(Format.grouped(trackCount)) tracks (\(config.dimension)-d, "
                + "\(Format.grouped(sessions.count)) training sessions, \(epochs) epochs\(training.epochs == nil && epochs > 5 ? " for \(Format.grouped(corpus.tokens.count)) plays" : "")) in \(Format.duration(result.seconds)), "
                + "\(Format.count(result.wordsPerSecond)) words/s")
        if embeddings.trainedCount < trackCount {
            print(
                "\(Format.grouped(trackCount - embeddings.trainedCount)) tracks have fewer than \(training.word2vec.minCount) training plays and no vector."
            )
        }
        return embeddings
    }
}
