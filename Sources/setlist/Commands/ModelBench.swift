import ArgumentParser
import Evaluation
import Explorer
import Foundation
import Listening
import Tensor
import TrackSpace
import UserModels

/// `setlist bench train [cosernn|fsvae|jodie|latentcross|vaecf]`: training throughput on generated users.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Training throughput of CoSeRNN or FS-VAE on 10,000 generated users, or of JODIE, LatentCross or VAE-CF on 2,000 (one epoch with validation, then prediction)."
    )

    enum Model: String, ExpressibleByArgument, CaseIterable { case cosernn, fsvae, jodie, latentcross, vaecf }

    @Argument(help: "cosernn, fsvae, jodie, latentcross or vaecf.") var model: Model = .cosernn
    @Option(help: "Generated users (default: 10,000 for CoSeRNN and FS-VAE, 2,000 for the others).") var users: Int?
    @Option(help: "Epochs of the state-of-the-art baselines.") var epochs = 1
    @Option(help: "BLAS threads.") var threads = 2

    func validate() throws {
        if let users, users < 1 { throw ValidationError("--users must be at least 1") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        switch model {
        case .cosernn:
            let bar = ProgressBar("bench train \(model.rawValue)", total: 1, unit: "batches")
            let lines = try CoSeRNNBenchmark.run(users: users ?? 10_000, threads: threads) { p in
                bar.update(
                    p.batch, total: p.batchesPerEpoch, detail: String(format: "loss %.4f  %.0f sessions/s", p.loss, p.sessionsPerSecond))
            }
            bar.finish(0)
            for line in lines { print(line) }
        case .fsvae:
            for line in try FSVAEBenchmark.run(users: users ?? 10_000, threads: threads) { print(line) }
        case .jodie, .latentcross, .vaecf:
            guard let baseline = StateOfTheArtBaseline(rawValue: model.rawValue) else { return }
            for line in try StateOfTheArtBenchmark.run(baseline, users: users ?? 2_000, epochs: epochs, threads: threads) { print(line) }
        }
    }
}

/// `setlist bench analyze`: each analysis on a generated 10,000-user workspace.
struct AnalyzeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Time of each analysis on 10,000 generated users (target: under 10 s each).")

    @Option(help: "Generated users.") var users = 10_000

    func run() throws {
        let generator = SyntheticGenerator(config: SyntheticConfig(users: users))
        var grouped: [[Session]] = Array(repeating: [], count: generator.totalUsers)
        generator.generateParallel(threads: 2) { grouped[Int($0.user)].append($0) }
        let tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        let sessions = grouped.flatMap { $0 }
        print("\(users) users, \(sessions.count) sessions, \(generator.truth.dimension)-d planted track vectors")
        func time(_ name: String, _ body: () -> Void) {
            let start = Date()
            body()
            print(
                "  " + name.padding(toLength: 26, withPad: " ", startingAt: 0) + String(format: "%6.2f s", Date().timeIntervalSince(start)))
        }
        for dimension in ContextDimension.allCases {
            time("diversity by \(dimension.rawValue)") {
                _ = ContextDiversity(sessions: sessions, tracks: tracks, vocabulary: generator.vocabulary, dimension: dimension)
            }
        }
        for dimension in [ContextDimension.daypart, .device] {
            time("heatmap by \(dimension.rawValue)") {
                _ = SameContextHeatmap(users: grouped, tracks: tracks, vocabulary: generator.vocabulary, dimension: dimension)
            }
        }
        time("skips") { _ = SkipSimilarity(users: grouped, tracks: tracks) }
        time("movement (Average)") { _ = RepresentationMovement(models: [AverageBaseline(tracks: tracks)], users: grouped) }
    }
}

/// `setlist bench explore`: context change to redrawn frame with a 1M-track catalogue, and warm start to first frame.
struct ExploreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Explorer latency: context change → redrawn frame over a 1M-track HNSW index, and warm start → first frame.")

    @Option(help: "Catalogue size behind the index.") var tracks = 1_000_000
    @Option(help: "Context changes to time.") var changes = 200
    @Option(help: "Workspace for the warm-start figure (default: the default workspace, if built).") var workspace: String?

    func run() throws {
        // A planted catalogue of the requested size: the generator's clusters, more tracks.
        let generator = SyntheticGenerator(config: SyntheticConfig(users: 200, sessionsPerUser: 30, tracks: tracks, clusters: 32))
        var grouped: [[Session]] = Array(repeating: [], count: generator.totalUsers)
        generator.generate(users: 0..<generator.totalUsers) { grouped[Int($0.user)].append($0) }
        let vectors = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        print("catalogue: \(Format.grouped(vectors.count)) tracks × \(vectors.dimension)")
        let buildStart = Date()
        let index = try HNSWIndex(dimension: vectors.dimension)
        index.reserveCapacity(vectors.count)
        let bar = ProgressBar("build HNSW", total: vectors.count, unit: "tracks")
        let chunk = 10_000
        for start in stride(from: 0, to: vectors.count, by: chunk) {
            let end = min(vectors.count, start + chunk)
            try index.add(
                contentsOf: Array(vectors.values[(start * vectors.dimension)..<(end * vectors.dimension)]),
                ids: (start..<end).map(Int32.init))
            bar.update(end)
        }
        bar.finish(vectors.count)
        print(String(format: "HNSW build: %.1f s", Date().timeIntervalSince(buildStart)))
        let data = ExplorerData(
            title: "bench", vocabulary: generator.vocabulary, users: grouped,
            models: [
                ModelEntry(model: ContextAverageBaseline(tracks: vectors), tracks: vectors, search: HNSWSearch(index: index)),
                ModelEntry(model: AverageBaseline(tracks: vectors), tracks: vectors, search: HNSWSearch(index: index)),
            ])
        let samples = Self.timeContextChanges(ExplorerApp(data: data), changes: changes)
        let box = BoxplotSummary(samples)
        print(
            String(
                format: "context change → frame (recommendations, 120×40): median %.2f ms, p75 %.2f ms, max %.2f ms over %d changes",
                box.median, box.upperQuartile, samples.max() ?? 0, changes))

        let path = workspace ?? WorkspaceOption.defaultPath
        guard Workspace.exists(at: path) else {
            print("warm start: no workspace at \(path) (run `make run` once, or pass --workspace)")
            return
        }
        let start = Date()
        let context = try WorkspaceContext(path: path)
        let (models, _) = try context.explorerModels()
        let warm = ExplorerApp(data: ExplorerData(title: "bench", vocabulary: context.vocabulary, users: context.users, models: models))
        _ = warm.render(width: 120, height: 40)
        print(String(format: "warm start → first frame (%@, %d users): %.2f s", path, context.users.count, Date().timeIntervalSince(start)))

        // The trained models' own panels: CoSeRNN's gate split, FS-VAE's posterior samples and stability.
        for (index, entry) in models.enumerated() where entry.gate != nil || entry.sampler != nil {
            let app = ExplorerApp(data: ExplorerData(title: "bench", vocabulary: context.vocabulary, users: context.users, models: models))
            for _ in 0..<index { app.handle(.character("m")) }
            let panel = entry.gate != nil ? "gate split" : "posterior samples"
            let timed = Self.timeContextChanges(app, changes: changes, sampling: entry.sampler != nil)
            let box = BoxplotSummary(timed)
            print(
                String(
                    format: "context change → frame, %@ with its %@ (%@ tracks): median %.2f ms, p75 %.2f ms, max %.2f ms",
                    entry.name, panel, Format.grouped(entry.tracks.count), box.median, box.upperQuartile, timed.max() ?? 0))
        }
    }

    /// Milliseconds from each context edit on the Recommend screen to its redrawn 120×40 frame.
    ///
    /// The edits cycle device, daypart, weekday and source, and move to the next session every 25, so that
    /// no frame repeats the one before.
    static func timeContextChanges(_ app: ExplorerApp, changes: Int, sampling: Bool = false) -> [Double] {
        app.handle(.character("3"))
        if sampling { app.handle(.character("u")) }
        _ = app.render(width: 120, height: 40)
        var samples: [Double] = []
        let keys: [Character] = ["v", "d", "w", "o"]
        for i in 0..<changes {
            let start = DispatchTime.now().uptimeNanoseconds
            app.handle(.character(keys[i % keys.count]))
            _ = app.render(width: 120, height: 40)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            if i % 25 == 24 { app.handle(.right) }
        }
        return samples
    }
}
