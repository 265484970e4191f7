import Evaluation
import Foundation
import Listening
import Tensor
import Testing

@testable import UserModels

/// LatentCross's acceptance on synthetic data with planted daypart and device shifts: a trained
/// model loses when its context is shuffled, over three seeds with the 2-SE rule, and its place
/// beside Average, Popularity and the Context average on the next-track task (FS-VAE's Table 1).
@Suite(.serialized) struct LatentCrossAcceptanceTests {
    /// FS-VAE's acceptance data (`FSVAETestData.standard`: 100 users of about 24 sessions of about 10 plays,
    /// planted vectors as the track space), built through `CoSeRNNTestData` for the context vocabularies.
    static let data = CoSeRNNTestData(users: 100, sessionsPerUser: 24, tracks: 1_000, seed: 7)
    static let seeds: [UInt64] = [1, 2, 3]

    static func config(seed: UInt64) -> LatentCrossConfig {
        LatentCrossConfig(
            hiddenSize: 64, denseSize: 64, deviceCount: data.generator.vocabulary.devices.count,
            sourceCount: data.generator.vocabulary.sources.count, seed: seed)
    }

    static func options(seed: UInt64) -> TrainingOptions {
        TrainingOptions(learningRate: 3e-3, batchSize: 16, maxEpochs: 6, patience: 2, seed: seed)
    }

    static func trained(_ config: LatentCrossConfig) throws -> LatentCrossUserModel {
        let model = try LatentCross(config: config, dimension: data.tracks.dimension)
        let start = Date()
        let result = try model.train(users: data.users, tracks: data.tracks, options: options(seed: config.seed))
        let seconds = Date().timeIntervalSince(start)
        let plays = result.state.history.map(\.sessionsPerSecond)
        print(
            "\(config.name) seed \(config.seed): epochs \(result.state.epoch), best \(result.bestEpoch) (validation \(result.bestValidationLoss)), \(String(format: "%.1f", seconds)) s, trained plays/s per epoch \(plays.map { Int($0) })"
        )
        return try LatentCrossUserModel(model: model, tracks: data.tracks)
    }

    static func cosine(_ model: some NextTrackPredictor, users: [[Session]] = data.users) -> Double {
        NextTrackEvaluation.evaluate(model, users: users, tracks: data.tracks, rankCatalogue: false).cosineDistance
    }

    /// The users with the contexts of all test sessions permuted among them (seeded), across users.
    static func shuffledTestContexts(seed: UInt64) -> [[Session]] {
        var users = data.users
        let split = TimeSplit()
        var slots: [(user: Int, session: Int)] = []
        for (u, sessions) in users.enumerated() {
            for s in split.range(.test, of: sessions) { slots.append((u, s)) }
        }
        var contexts = slots.map { users[$0.user][$0.session].context }
        var random = SeededRandom(seed: seed &+ 1000)
        contexts.shuffle(using: &random)
        for (slot, context) in zip(slots, contexts) { users[slot.user][slot.session].context = context }
        return users
    }

    /// a beats b (lower cosine distance) by more than twice the standard error of the per-seed differences.
    static func beats(_ a: [Double], _ b: [Double]) -> Bool {
        let d = SampleSummary(zip(b, a).map { $0 - $1 })
        return d.mean > 2 * d.standardError
    }

    /// The three seeds' trained weights, shared by the tests of this suite (trained once, on first use).
    ///
    /// Models are not Sendable (training updates them in place), so the suite shares their weights
    /// and each test loads its own copies.
    static let trainedWeights: [[String: Tensor]] = seeds.map { seed in
        // Training failures are test failures; a force-try is acceptable in tests.
        try! trained(config(seed: seed)).model.stateDictionary()
    }

    /// Fresh models holding the three seeds' trained weights.
    static var models: [LatentCrossUserModel] {
        zip(seeds, trainedWeights).map { seed, weights in
            let model = try! LatentCross(config: config(seed: seed), dimension: data.tracks.dimension)
            try! model.loadStateDictionary(weights)
            return try! LatentCrossUserModel(model: model, tracks: data.tracks)
        }
    }
    static let real = models.map { cosine($0) }

    @Test func shufflingTheContextAtPredictionTimeHurts() throws {
        let shuffled = Self.seeds.indices.map { Self.cosine(Self.models[$0], users: Self.shuffledTestContexts(seed: Self.seeds[$0])) }
        let contextAverage = Self.cosine(LatentCrossContextAverage(tracks: Self.data.tracks))
        let contextAverageShuffled = Self.cosine(
            LatentCrossContextAverage(tracks: Self.data.tracks), users: Self.shuffledTestContexts(seed: 1))
        print(
            """
            LatentCross next-track cosine distance on the test sessions, 3 seeds:
              real context     \(Self.real)  \(SampleSummary(Self.real))
              shuffled context \(shuffled)  \(SampleSummary(shuffled))
              shuffled − real  \(SampleSummary(zip(shuffled, Self.real).map { $0 - $1 }))
              Context average real \(contextAverage), shuffled \(contextAverageShuffled)
            """)
        #expect(Self.beats(Self.real, shuffled), "real \(Self.real) vs shuffled \(shuffled)")
        // The data check: the planted daypart and device shifts matter to a plain context average too.
        #expect(
            contextAverageShuffled > contextAverage + 0.01, "Context average real \(contextAverage) vs shuffled \(contextAverageShuffled)")
    }

    @Test func theLatentCrossesBeatTheSameGRUWithoutContext() throws {
        let blind = try Self.seeds.map { Self.cosine(try Self.trained(Self.config(seed: $0).withoutContext())) }
        print(
            "LatentCross \(SampleSummary(Self.real)) vs no context (both crosses off) \(blind) \(SampleSummary(blind)); difference \(SampleSummary(zip(blind, Self.real).map { $0 - $1 }))"
        )
        #expect(Self.beats(Self.real, blind), "LatentCross \(Self.real) vs no context \(blind)")
    }

    @Test func latentCrossBeatsAveragePopularityAndTheContextAverage() throws {
        let data = Self.data
        // The same sessions as FS-VAE's acceptance tests, so Docs/fsvae.md's figures compare directly.
        #expect(data.users == FSVAETestData.standard.users)
        let average = Self.cosine(AverageBaseline(tracks: data.tracks))
        let popularity = Self.cosine(PopularityBaseline(tracks: data.tracks, sessions: TimeSplit().trainingSessions(of: data.users)))
        let contextAverage = Self.cosine(LatentCrossContextAverage(tracks: data.tracks))
        print(
            "next-track cosine distance: LatentCross \(SampleSummary(Self.real)), Average \(average), Popularity \(popularity), Context average \(contextAverage)"
        )
        for (name, value) in [("Average", average), ("Popularity", popularity), ("Context average", contextAverage)] {
            #expect(Self.beats(Self.real, [value, value, value]), "LatentCross \(Self.real) vs \(name) \(value)")
        }
        // The session-start prediction (the session-ranking table's), reported beside the session baselines.
        let ranking = SessionRankingProtocol(ks: [9])
        func scores(_ model: some UserModel) -> (mrr: Double, cosine: Double) {
            let outcomes = ranking.evaluate(model, users: data.users, tracks: data.tracks)
            let mrr = outcomes.compactMap { $0.sessionRanks[9] }.map { 1 / Double($0) }
            return (
                mrr.reduce(0, +) / Double(max(1, mrr.count)), outcomes.map(\.targetCosine).reduce(0, +) / Double(max(1, outcomes.count))
            )
        }
        let latentCross = Self.models.map { scores($0) }
        let sessionContextAverage = scores(ContextAverageBaseline(tracks: data.tracks)),
            sessionAverage = scores(AverageBaseline(tracks: data.tracks))
        print(
            """
            session start (test sessions), MRR@9 / cosine to the session's played tracks:
              LatentCross \(SampleSummary(latentCross.map(\.mrr))) / \(SampleSummary(latentCross.map(\.cosine)))
              Context average \(sessionContextAverage), Average \(sessionAverage)
            """)
    }
}

/// The Context average on the next-track task: the unit mean of the user's earlier plays in sessions
/// of the same daypart and device (the current session's earlier plays included), falling back to
/// the same daypart, then to every earlier play. Test-only; the session form is `ContextAverageBaseline`.
struct LatentCrossContextAverage: NextTrackPredictor {
    let tracks: TrackVectors
    var name: String { "Context average" }
    var dimension: Int { tracks.dimension }

    func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        struct Key: Hashable {
            var daypart: Daypart?
            var device: Int16
        }
        var both: [Key: [Float]] = [:], byDaypart: [Int8: [Float]] = [:]
        var all = [Float](repeating: 0, count: dimension)
        var out: [[Float]] = []
        for (index, session) in sessions.enumerated() where index < targets.upperBound {
            let key = Key(daypart: session.context.daypart, device: session.context.device)
            let daypart = session.context.daypart?.rawValue ?? -1
            for play in session.plays {
                if targets.contains(index) {
                    out.append(VectorOps.normalized(both[key] ?? byDaypart[daypart] ?? all))
                }
                let v = tracks.vector(play.track)
                guard v.contains(where: { $0 != 0 }) else { continue }
                for j in 0..<dimension { all[j] += v[j] }
                both[key, default: [Float](repeating: 0, count: dimension)].withUnsafeMutableBufferPointer { b in
                    for j in 0..<dimension { b[j] += v[j] }
                }
                byDaypart[daypart, default: [Float](repeating: 0, count: dimension)].withUnsafeMutableBufferPointer { b in
                    for j in 0..<dimension { b[j] += v[j] }
                }
            }
        }
        return out
    }
}
