import Foundation
import Listening
import Testing

@testable import TrackSpace

/// Synthetic sessions shared by the word2vec tests: 16 planted genre clusters over 2,000 tracks.
enum SyntheticCorpus {
    static let generator = SyntheticGenerator(
        config: SyntheticConfig(users: 300, sessionsPerUser: 60, playsPerSession: 10, tracks: 2_000, clusters: 16, seed: 11))

    static let corpus: Word2VecCorpus = {
        var corpus = Word2VecCorpus(vocabularySize: generator.config.tracks)
        generator.generate(users: 0..<generator.config.users) { session in
            try? corpus.append(session)
        }
        return corpus
    }()
}

@Suite struct Word2VecTests {
    @Test func plantedClustersAreNearestNeighbours() throws {
        let corpus = SyntheticCorpus.corpus
        // 20 epochs on one thread: reproducible, and trained enough (5 epochs give 0.59 on these sessions).
        let config = Word2VecConfig(dimension: 40, epochs: 20, minCount: 5, threads: 1, seed: 3)
        let result = try Word2Vec.train(corpus, config: config)
        let labels = SyntheticCorpus.generator.truth.trackCluster
        let purity = try result.embeddings.neighbourPurity(labels: labels, k: 10)
        let clusters = SyntheticCorpus.generator.truth.clusterCount
        // Chance is about 1/16; 20 epochs reach 0.935 on these sessions (Docs/track-space.md).
        #expect(purity > 0.85, "cluster purity@10 \(purity), chance \(1.0 / Double(clusters))")
        #expect(result.wordsProcessed == corpus.tokens.count * config.epochs)
        #expect(result.effectiveWords > 0 && result.effectiveWords <= result.wordsProcessed)
        print("word2vec 40-d purity@10 = \(purity) on \(corpus.tokens.count) plays, \(result.embeddings.trainedCount) trained tracks")
    }

    @Test func oneThreadIsReproducible() throws {
        var corpus = Word2VecCorpus(vocabularySize: 50)
        var rng = TestVectors.Random(seed: 5)
        for _ in 0..<400 { try corpus.append(sentence: (0..<8).map { _ in Int32(rng.next() % 50) }) }
        let config = Word2VecConfig(dimension: 8, epochs: 2, minCount: 1, threads: 1, seed: 9)
        let a = try Word2Vec.train(corpus, config: config).embeddings
        let b = try Word2Vec.train(corpus, config: config).embeddings
        #expect(a.vectors == b.vectors)
        var other = config
        other.seed = 10
        #expect(try Word2Vec.train(corpus, config: other).embeddings.vectors != a.vectors)
    }

    @Test func tracksBelowMinCountGetNoVector() throws {
        var corpus = Word2VecCorpus(vocabularySize: 5)
        // Track 0–2 appear often, track 3 twice, track 4 never.
        for i in 0..<100 { try corpus.append(sentence: [Int32(i % 3), Int32((i + 1) % 3), Int32((i + 2) % 3)]) }
        try corpus.append(sentence: [3, 0, 3])
        let result = try Word2Vec.train(corpus, config: Word2VecConfig(dimension: 4, epochs: 1, minCount: 3, threads: 1))
        let e = result.embeddings
        #expect(e.trained == [true, true, true, false, false])
        #expect(e.vector(of: 3) == nil && e.vector(of: 4) == nil)
        #expect(e.vectors[12..<20].allSatisfy { $0 == 0 })
        #expect(e.vectors[0..<12].contains { $0 != 0 })
        #expect(e.metadata["min_count"] == "3" && e.metadata["vocabulary_size"] == "3")
    }

    @Test func subsamplingAndNegativeSamplingFollowTheirFormulas() throws {
        var corpus = Word2VecCorpus(vocabularySize: 3)
        // Counts 900, 90, 10 of 1,000 words.
        try corpus.append(sentence: [Int32](repeating: 0, count: 900) + [Int32](repeating: 1, count: 90) + [Int32](repeating: 2, count: 10))
        let config = Word2VecConfig(dimension: 4, minCount: 1, sample: 0.01, threads: 1)
        let model = try Word2VecModel(corpus: corpus, config: config)
        defer { model.deallocate() }
        // gensim: threshold count t·N = 10; keep(c) = (√(c/10) + 1)·10/c, at most 1.
        let keep0 = Double(model.keepThreshold[0]) / 4_294_967_296
        #expect(abs(keep0 - ((900.0 / 10).squareRoot() + 1) * 10 / 900) < 1e-6)
        #expect(abs(Double(model.keepThreshold[2]) / 4_294_967_296 - 1) < 1e-9)
        // The alias table implies P(t) = (accept(t) + Σ_{s: alias(s) = t} (1 − accept(s))) / n ∝ count^0.75.
        let shares = Self.aliasShares(model)
        let expected = Self.expected([900, 90, 10])
        for t in 0..<3 { #expect(abs(shares[t] - expected[t]) < 1e-6, "track \(t): \(shares[t]) vs \(expected[t])") }
    }

    @Test func untrainedTracksAreNeverNegatives() throws {
        var corpus = Word2VecCorpus(vocabularySize: 6)
        try corpus.append(sentence: [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 5, 5, 5, 5, 5])
        let model = try Word2VecModel(corpus: corpus, config: Word2VecConfig(dimension: 4, minCount: 3, threads: 1))
        defer { model.deallocate() }
        let shares = Self.aliasShares(model)
        #expect(shares[1] == 0 && shares[3] == 0 && shares[4] == 0)
        let expected = Self.expected([3, 0, 4, 0, 0, 5])
        for t in 0..<6 { #expect(abs(shares[t] - expected[t]) < 1e-6) }
    }

    /// Sampling probabilities implied by the model's alias table.
    static func aliasShares(_ model: Word2VecModel) -> [Double] {
        let n = model.trackCount
        var shares = [Double](repeating: 0, count: n)
        for s in 0..<n {
            let accept = Double(model.aliasProbability[s]) / 16_777_216
            shares[s] += accept / Double(n)
            shares[Int(model.alias[s])] += (1 - accept) / Double(n)
        }
        return shares
    }

    /// count^0.75, normalised.
    static func expected(_ counts: [Double]) -> [Double] {
        let powers = counts.map { Foundation.pow($0, 0.75) }
        let sum = powers.reduce(0, +)
        return powers.map { $0 / sum }
    }

    @Test func invalidInputsAreRejected() throws {
        var corpus = Word2VecCorpus(vocabularySize: 3)
        #expect(throws: TrackSpaceError.self) { try corpus.append(sentence: [0, 3]) }
        try corpus.append(sentence: [0, 1])
        #expect(throws: ConfigurationError.self) { try Word2Vec.train(corpus, config: Word2VecConfig(dimension: 0)) }
        #expect(throws: TrackSpaceError.self) { try Word2Vec.train(corpus, config: Word2VecConfig(minCount: 10)) }
        for rate in [Float.infinity, .nan] {
            #expect(throws: ConfigurationError.self) { try Word2Vec.train(corpus, config: Word2VecConfig(learningRate: rate)) }
        }
    }

    /// A finite but absurd learning rate overflows the vectors: one error, no crash on a NaN table index.
    @Test func aDivergedRunIsAnErrorNotACrash() throws {
        var corpus = Word2VecCorpus(vocabularySize: 50)
        var rng = TestVectors.Random(seed: 5)
        for _ in 0..<400 { try corpus.append(sentence: (0..<8).map { _ in Int32(rng.next() % 50) }) }
        let config = Word2VecConfig(dimension: 8, epochs: 2, minCount: 1, learningRate: 1e30, threads: 1)
        #expect(throws: TrackSpaceError.diverged(learningRate: 1e30)) { try Word2Vec.train(corpus, config: config) }
    }
}
