import Evaluation
import Foundation
import Listening
import Tensor
import Testing
@testable import UserModels

/// The acceptance test of issue 5: on synthetic data with planted context and mood effects, CoSeRNN
/// beats every baseline on session and track ranking by at least 10%, and loses its gain without context.
///
/// Data: 500 users × ~50 sessions × ~10 plays, 1,000 tracks in 16 clusters, seed 11, standard planted
/// parameters, the planted track vectors as the track space; scored with `SessionRankingProtocol` on the
/// test part. Measured in release (same seeds), CoSeRNN vs Context average, the strongest baseline:
/// MRR@9 0.432 vs 0.381 (+13%), MRR@19 0.333 vs 0.239 (+39%), pool MAP 0.141 vs 0.116 (+22%),
/// catalogue MAP 0.062 vs 0.053 (+18%). Without context CoSeRNN falls to MRR@9 0.262.
@Suite struct CoSeRNNRankingTests {
    static let data = CoSeRNNTestData(users: 500, sessionsPerUser: 50, tracks: 1_000, seed: 11)

    struct Scores: CustomStringConvertible {
        var name: String
        var mrr9: Double
        var mrr19: Double
        var poolMAP: Double
        var catalogueMAP: Double
        var description: String {
            String(format: "%@: MRR@9 %.4f, MRR@19 %.4f, pool MAP %.4f, catalogue MAP %.4f", name, mrr9, mrr19, poolMAP, catalogueMAP)
        }
    }

    static func score(_ model: UserModel) -> Scores {
        let summary = RankingSummary(
            SessionRankingProtocol(ks: [9, 19], poolK: 19).evaluate(model, users: data.users, tracks: data.tracks), ks: [9, 19])
        return Scores(name: model.name, mrr9: summary.mrr[9] ?? .nan, mrr19: summary.mrr[19] ?? .nan,
                      poolMAP: summary.pool.map, catalogueMAP: summary.catalogue.map)
    }

    /// Trains three models on 20,000 sessions: about 2 minutes in a debug build on 2 cores, 15 s in release.
    /// Runs in release builds, and in debug ones when `SETLIST_SLOW_TESTS` is set (as `make test` does).
    static var enabled: Bool {
        #if DEBUG
        ProcessInfo.processInfo.environment["SETLIST_SLOW_TESTS"] != nil
        #else
        true
        #endif
    }

    @Test(.enabled(if: enabled, "slow in debug builds: set SETLIST_SLOW_TESTS=1 or run swift test -c release"))
    func coSeRNNBeatsTheBaselinesAndNeedsContext() throws {
        let data = Self.data
        var config = data.config(hidden: 64, dense: 64)
        config.longTermDecay = 0.97
        let options = TrainingOptions(learningRate: 3e-3, batchSize: 32, maxEpochs: 24, patience: 2, seed: 7)
        let model = CoSeRNN(config: config, tracks: data.tracks)
        try model.train(users: data.users, options: options)
        // The ablation and the Vanilla RNN level off within a few epochs of leaving the initial plateau.
        var shorter = options
        shorter.maxEpochs = 12
        let noContext = CoSeRNN(config: config.ablated(.noContext), tracks: data.tracks, name: "CoSeRNN without context")
        try noContext.train(users: data.users, options: shorter)
        let vanilla = VanillaRNNBaseline(config: config, tracks: data.tracks)
        try vanilla.train(users: data.users, options: shorter)

        let split = TimeSplit()
        let trainSessions = data.users.flatMap { $0[split.ranges(of: $0).train] }
        let contextAverage = Self.score(ContextAverageBaseline(tracks: data.tracks))
        let others = [
            PopularityBaseline(tracks: data.tracks, sessions: trainSessions), AverageBaseline(tracks: data.tracks),
            LastSessionBaseline(tracks: data.tracks), RecencyWeightedBaseline(tracks: data.tracks), vanilla,
        ].map(Self.score)
        let ours = Self.score(model), ablated = Self.score(noContext)
        print(([ours, ablated, contextAverage] + others).map(\.description).joined(separator: "\n"))

        // At least 10% better than every baseline, on every metric.
        for other in [contextAverage] + others {
            #expect(ours.mrr9 >= 1.1 * other.mrr9, "\(ours) vs \(other)")
            #expect(ours.mrr19 >= 1.1 * other.mrr19, "\(ours) vs \(other)")
            #expect(ours.poolMAP >= 1.1 * other.poolMAP, "\(ours) vs \(other)")
            #expect(ours.catalogueMAP >= 1.1 * other.catalogueMAP, "\(ours) vs \(other)")
        }

        // Without context most of the gain over the best baseline is gone (in fact all of it).
        #expect(ours.mrr9 - ablated.mrr9 >= 0.5 * (ours.mrr9 - contextAverage.mrr9), "\(ablated)")
        #expect(ours.poolMAP - ablated.poolMAP >= 0.5 * (ours.poolMAP - contextAverage.poolMAP), "\(ablated)")
        #expect(ablated.mrr9 < contextAverage.mrr9 && ablated.poolMAP < contextAverage.poolMAP, "\(ablated)")
    }
}
