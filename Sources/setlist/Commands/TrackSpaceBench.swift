import ArgumentParser
import Foundation
import Listening
import Tensor
import TrackSpace

/// `setlist bench ann`: HNSW build time, queries/s and recall@10 against exact search.
struct AnnBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ann",
        abstract: "HNSW on clustered vectors: build time, then queries/s and recall@10 at several efSearch values (one thread).")

    @Option(help: "Number of vectors.") var count = 1_000_000
    @Option(help: "Vector dimension.") var dimension = 80
    @Option(help: "Clusters the vectors are drawn around (0: uniform random directions).") var clusters = 1_000
    @Option(help: "Norm of the Gaussian offset from the cluster centre.") var spread: Float = 1
    @Option(help: "Queries (drawn like the data, not in the index).") var queries = 1_000
    @Option(help: "Links per node (M).") var m = HNSWIndex.Parameters().m
    @Option(help: "Candidate list size while building.") var efConstruction = HNSWIndex.Parameters().efConstruction
    @Option(help: "efSearch values, comma-separated.") var ef = "16,32,64,128"
    @Option(help: "Random seed.") var seed: UInt64 = 7
    @Option(help: "Index file: loaded instead of building when it exists, written after the build otherwise.") var index: String?
    @Option(help: "Times each efSearch pass is run; the fastest is reported.") var rounds = 1

    func run() throws {
        let efValues = ef.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !efValues.isEmpty, efValues.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--ef needs positive integers, e.g. 16,32,64")
        }
        let kind = clusters > 0 ? "\(clusters) clusters, spread \(spread)" : "uniform random"
        print(
            "Vectors: \(Format.grouped(count)) × \(dimension) (\(kind)), \(Format.grouped(queries)) queries, M \(m), efConstruction \(efConstruction)"
        )
        let data = BenchVectors.make(count: count + queries, dimension: dimension, clusters: clusters, spread: spread, seed: seed)
        let base = Array(data[0..<count * dimension])
        let queryVectors = Array(data[count * dimension..<(count + queries) * dimension])
        let ids = (0..<Int32(count)).map { $0 }

        let index: HNSWIndex
        if let path = self.index, FileManager.default.fileExists(atPath: path) {
            let loadStart = Date()
            index = try HNSWIndex(contentsOf: path)
            guard index.count == count, index.dimension == dimension else {
                throw ValidationError("\(path) holds \(index.count) × \(index.dimension) vectors, not \(count) × \(dimension)")
            }
            print(
                String(
                    format: "loaded %@ (M %d, efConstruction %d) in %.1f s", path, index.m, index.efConstruction,
                    Date().timeIntervalSince(loadStart)))
        } else {
            index = try HNSWIndex(dimension: dimension, parameters: .init(m: m, efConstruction: efConstruction))
            index.reserveCapacity(count)
            let progress = ProgressBar("build", total: count, unit: "vectors")
            let buildStart = Date()
            let buildCPU = CPUClock.thread()
            let step = 10_000
            for start in stride(from: 0, to: count, by: step) {
                let end = min(count, start + step)
                try index.add(contentsOf: Array(base[start * dimension..<end * dimension]), ids: Array(ids[start..<end]))
                progress.update(end)
            }
            progress.finish(count)
            let buildSeconds = Date().timeIntervalSince(buildStart)
            let buildCPUSeconds = CPUClock.thread() - buildCPU
            print(
                String(
                    format: "build: %.1f s  (%@ vectors/s, one thread; %.1f s CPU, %@ vectors per CPU-second)", buildSeconds,
                    Format.count(Double(count) / buildSeconds), buildCPUSeconds, Format.count(Double(count) / buildCPUSeconds)))
            if let path = self.index { try index.write(to: path) }
        }

        var exact = try ExactIndex(dimension: dimension)
        try exact.add(contentsOf: base, ids: ids)
        let exactStart = Date()
        let truth = try exact.search(queries: queryVectors, k: 10)
        let exactSeconds = Date().timeIntervalSince(exactStart)
        print(
            String(
                format: "exact (BLAS, batched, %d BLAS threads): %@ queries/s", currentBLASThreads(),
                Format.count(Double(queries) / exactSeconds)))

        for value in efValues {
            index.efSearch = value
            var found: [[Neighbour]] = []
            var seconds = Double.infinity
            var cpuSeconds = Double.infinity
            for _ in 0..<max(1, rounds) {
                let start = Date()
                let cpu = CPUClock.thread()
                found = try index.search(queries: queryVectors, k: 10)
                seconds = min(seconds, Date().timeIntervalSince(start))
                cpuSeconds = min(cpuSeconds, CPUClock.thread() - cpu)
            }
            let recall = BenchVectors.recall(found, truth, k: 10)
            print(
                String(
                    format: "efSearch %4d: %@ queries/s  recall@10 %.4f  (%@ queries per CPU-second)", value,
                    Format.count(Double(queries) / seconds), recall, Format.count(Double(queries) / cpuSeconds)))
        }
    }
}

/// CPU time, so figures stay meaningful on a machine shared with other jobs.
enum CPUClock {
    /// CPU seconds used by the calling thread.
    static func thread() -> Double { read(CLOCK_THREAD_CPUTIME_ID) }
    /// CPU seconds used by every thread of the process.
    static func process() -> Double { read(CLOCK_PROCESS_CPUTIME_ID) }

    private static func read(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

/// Seeded test vectors for the benchmarks.
enum BenchVectors {
    /// Gaussian vectors around `clusters` random unit centres (or plain Gaussian when `clusters` is 0), row-major.
    static func make(count: Int, dimension: Int, clusters: Int, spread: Float, seed: UInt64) -> [Float] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func gaussian() -> Float {
            let u = max(Float(next() >> 40) * 0x1p-24, 1e-7)
            let v = Float(next() >> 40) * 0x1p-24
            return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
        }
        var centres = [Float](repeating: 0, count: max(clusters, 1) * dimension)
        for c in 0..<clusters {
            var norm: Float = 0
            for d in 0..<dimension {
                let x = gaussian()
                centres[c * dimension + d] = x
                norm += x * x
            }
            for d in 0..<dimension { centres[c * dimension + d] /= norm.squareRoot() }
        }
        let scale = clusters > 0 ? spread / Float(dimension).squareRoot() : 1
        var vectors = [Float](repeating: 0, count: count * dimension)
        for i in 0..<count {
            let c = clusters > 0 ? Int(next() % UInt64(clusters)) : 0
            for d in 0..<dimension { vectors[i * dimension + d] = centres[c * dimension + d] + scale * gaussian() }
        }
        return vectors
    }

    /// Mean share of the exact top-k that the approximate lists found.
    static func recall(_ approximate: [[Neighbour]], _ exact: [[Neighbour]], k: Int) -> Double {
        var hits = 0
        var total = 0
        for (a, e) in zip(approximate, exact) {
            let truth = Set(e.prefix(k).map(\.id))
            hits += a.prefix(k).filter { truth.contains($0.id) }.count
            total += truth.count
        }
        return total == 0 ? 0 : Double(hits) / Double(total)
    }
}

/// `setlist bench embed`: word2vec words/s on a generated corpus.
struct EmbedBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "word2vec skip-gram words/s on generated sessions (about 10M plays by default).")

    @Option(help: "Users to generate (50 sessions of 10 plays each on average).") var users = 20_000
    @Option(help: "Catalogue size.") var tracks = 50_000
    @Option(help: "Vector dimension.") var dimension = 40
    @Option(help: "Epochs.") var epochs = 1
    @Option(help: "Training threads.") var threads = 2

    func run() throws {
        let config = SyntheticConfig(users: users, sessionsPerUser: 50, playsPerSession: 10, tracks: tracks, clusters: 32, seed: 7)
        let generator = SyntheticGenerator(config: config)
        print("Generating about \(Format.grouped(generator.expectedPlays)) plays ...")
        var corpus = Word2VecCorpus(vocabularySize: tracks)
        try generator.generateParallel(threads: 2) { try corpus.append($0) }
        print(
            "Corpus: \(Format.grouped(corpus.tokens.count)) plays in \(Format.grouped(corpus.sentenceCount)) sessions, \(Format.grouped(tracks)) tracks"
        )
        let w2v = Word2VecConfig(dimension: dimension, epochs: epochs, threads: threads)
        let progress = ProgressBar("word2vec", total: corpus.tokens.count * epochs, unit: "words")
        let box = ProgressBox(progress, total: corpus.tokens.count * epochs)
        let cpu = CPUClock.process()
        let result = try Word2Vec.train(corpus, config: w2v) { box.report($0) }
        let cpuSeconds = CPUClock.process() - cpu
        progress.finish(result.wordsProcessed)
        print(
            String(
                format: "CPU: %.2f s over %d threads, %@ words per CPU-second (%@ words/s if each thread had a core of its own)",
                cpuSeconds, threads, Format.count(Double(result.wordsProcessed) / cpuSeconds),
                Format.count(Double(result.wordsProcessed) * Double(threads) / cpuSeconds)))
        print(
            String(
                format:
                    "word2vec %dd, window %d, %d negatives, %d epoch(s), %d threads: %.2f s  %@ words/s  (%@ effective words/s after subsampling)",
                dimension, w2v.window, w2v.negatives, epochs, threads, result.seconds,
                Format.count(result.wordsPerSecond), Format.count(Double(result.effectiveWords) / result.seconds)))
    }
}

/// Lets a training thread update a progress bar: only thread 0 reports, so calls never overlap.
final class ProgressBox: @unchecked Sendable {
    private let bar: ProgressBar
    private let total: Int

    init(_ bar: ProgressBar, total: Int) {
        self.bar = bar
        self.total = total
    }

    func report(_ fraction: Double) { bar.update(Int(fraction * Double(total))) }
}
