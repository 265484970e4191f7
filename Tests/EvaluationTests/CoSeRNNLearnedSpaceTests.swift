import Foundation
import Listening
import Testing
import TrackSpace
import UserModels

@testable import Evaluation

/// CoSeRNN's acceptance through the pipeline a user runs: generated logs, a word2vec track space
/// fitted on the training sessions (as `setlist embed`), then the session-ranking evaluation
/// (as `setlist evaluate`) with the command's training defaults.
///
/// The planted-vector acceptance test is `CoSeRNNRankingTests`; the issue that added this one
/// found CoSeRNN 42% behind the Context average here while that test passed.
@Suite struct CoSeRNNLearnedSpaceTests {
    /// Nine trainings on 800 users (about 2 minutes optimised on 2 idle cores); slow in debug builds.
    static var enabled: Bool {
        #if DEBUG
        ProcessInfo.processInfo.environment["SETLIST_SLOW_TESTS"] != nil
        #else
        true
        #endif
    }

    @Test(.enabled(if: enabled, "slow in debug builds: set SETLIST_SLOW_TESTS=1 or run swift test -c release"))
    func coSeRNNLeadsInALearnedTrackSpaceWithTheDefaultTraining() throws {
        let config = SyntheticConfig(users: 800, sessionsPerUser: 40, playsPerSession: 10, tracks: 1_000, clusters: 16, seed: 5)
        let generator = SyntheticGenerator(config: config)
        var users = [[Session]](repeating: [], count: config.users)
        generator.generate(users: 0..<config.users) { users[Int($0.user)].append($0) }
        let split = TimeSplit()
        let corpus = try Word2VecCorpus(sessions: split.trainingSessions(of: users), vocabularySize: config.tracks)
        // 40 epochs, as the default workspace trains its track spaces (Docs/explorer.md).
        let embeddings = try Word2Vec.train(corpus, config: Word2VecConfig(dimension: 40, epochs: 40, threads: 1, seed: 3)).embeddings
        let tracks = TrackVectors(dimension: embeddings.dimension, values: embeddings.vectors)

        let vocabulary = generator.vocabulary
        let model = CoSeRNNConfig(
            dimension: 40, deviceCount: vocabulary.devices.count, sourceCount: vocabulary.sources.count,
            hiddenSize: 64, denseSize: 64)
        // The defaults of `setlist evaluate`: Adam 1e-3, the batch size rule, 30 epochs, patience 3.
        let training = TrainingOptions(
            learningRate: TrainingOptions.recommendedLearningRate,
            batchSize: TrainingOptions.batchSize(forUsers: users.count))
        // The simple baselines of the #13 acceptance; the state-of-the-art rows are compared in Docs/results.
        let options = SessionRankingExperiment.Options(
            config: model, training: training, seeds: [1, 2, 3], split: split,
            stateOfTheArt: [], ks: [9], poolK: 9)
        let comparison = try SessionRankingExperiment.run(users: users, tracks: tracks, vocabulary: vocabulary, options: options)
        print(comparison.markdown(title: "CoSeRNN in a learned track space"))
        let ours = try #require(comparison.models.first { $0.name == "CoSeRNN" })
        for metric in ["MRR@9", "cat MAP"] {
            let c = try #require(ours.versusBestBaseline[metric])
            #expect(c.beats, "\(metric) vs \(c.baseline): per seed \(c.perSeed), per session t = \(c.perSession.t)")
        }
    }
}
