import Listening
import Testing

@testable import UserModels

/// Nothing a model fits may depend on its test sessions: they never reach training.
///
/// Each model is trained twice with the same seed: on the data as it is, and with every test
/// session's plays replaced by other tracks, skip states and times. Training must end identically.
@Suite struct LeakFreeTrainingTests {
    static let data = FSVAETestData.make(users: 24, sessionsPerUser: 12, tracks: 300, seed: 3)

    /// The users with each test session's plays rewritten (other tracks, flipped skips, shifted times).
    static func withTestSessionsRewritten(_ users: [[Session]], split: TimeSplit) -> [[Session]] {
        users.map { sessions in
            var sessions = sessions
            for t in split.ranges(of: sessions).test {
                sessions[t].plays = sessions[t].plays.map { play in
                    Play(track: (play.track &+ 101) % 300, time: play.time + 7, skip: play.skip == .skipped ? .played : .skipped)
                }
            }
            return sessions
        }
    }

    @Test func coSeRNNTrainingNeverReadsTestSessions() throws {
        let split = TimeSplit()
        let rewritten = Self.withTestSessionsRewritten(Self.data.users, split: split)
        #expect(rewritten.map { $0.flatMap(\.plays) } != Self.data.users.map { $0.flatMap(\.plays) }, "the rewrite changes the data")
        func train(_ users: [[Session]]) throws -> (TrainingResult, [Float]) {
            let config = CoSeRNNConfig(
                dimension: Self.data.tracks.dimension, deviceCount: 5, sourceCount: 5,
                hiddenSize: 8, denseSize: 8, seed: 5)
            let model = try CoSeRNN(config: config, tracks: Self.data.tracks)
            let result = try model.train(users: users, split: split, options: TrainingOptions(batchSize: 8, maxEpochs: 2, seed: 5))
            // A prediction from training history only.
            let history = users[0][0..<4]
            return (result, model.predict(history: history, context: users[0][4].context, time: users[0][4].start))
        }
        let (a, pa) = try train(Self.data.users)
        let (b, pb) = try train(rewritten)
        #expect(a.state.history.map(\.trainLoss) == b.state.history.map(\.trainLoss), "same training losses")
        #expect(a.state.history.map(\.validationLoss) == b.state.history.map(\.validationLoss), "same validation losses")
        #expect(a.bestEpoch == b.bestEpoch && a.state.step == b.state.step)
        #expect(pa == pb, "same weights")
    }

    @Test func fsvaeTrainingNeverReadsTestSessions() throws {
        let split = TimeSplit()
        let rewritten = Self.withTestSessionsRewritten(Self.data.users, split: split)
        func train(_ users: [[Session]]) throws -> FSVAETrainingReport {
            var config = FSVAETestData.smallConfig(seed: 2)
            config.epochs = 2
            let model = try FSVAE(config: config, dimension: Self.data.tracks.dimension)
            return try model.train(users: users, tracks: Self.data.tracks, split: split)
        }
        let a = try train(Self.data.users), b = try train(rewritten)
        #expect(a.trainingExamples == b.trainingExamples)
        #expect(a.epochs.map(\.validationCosineDistance) == b.epochs.map(\.validationCosineDistance))
        #expect(a.epochs.map(\.trainingLoss) == b.epochs.map(\.trainingLoss))
    }

    @Test func targetsWithoutAVectorAreNotTrainedOn() throws {
        // Zero the vectors of half the tracks: their plays stay history, never targets.
        var values = Self.data.tracks.values
        let d = Self.data.tracks.dimension
        for track in stride(from: 0, to: 300, by: 2) { for j in 0..<d { values[track * d + j] = 0 } }
        let tracks = TrackVectors(dimension: d, values: values)
        #expect(!tracks.hasVector(0) && tracks.hasVector(1))
        var config = FSVAETestData.smallConfig(seed: 2)
        config.epochs = 1
        let report = try FSVAE(config: config, dimension: d).train(users: Self.data.users, tracks: tracks)
        let all = try FSVAE(config: config, dimension: d).train(users: Self.data.users, tracks: Self.data.tracks)
        let split = TimeSplit()
        let trainingPlays = Self.data.users.flatMap { $0[split.ranges(of: $0).train].flatMap(\.plays) }
        let withVector = trainingPlays.filter { $0.track % 2 == 1 }.count
        #expect(report.trainingExamples < all.trainingExamples)
        #expect(report.trainingExamples <= withVector, "only plays of tracks with a vector are targets")
        #expect(report.trainingExamples >= withVector - Self.data.users.count, "all of them but each user's first play")
    }
}
