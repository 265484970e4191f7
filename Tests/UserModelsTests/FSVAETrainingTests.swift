import Foundation
import Listening
import Tensor
import Testing

@testable import UserModels

/// FS-VAE on the shared training loop: checkpoints, resume, and NaN losses.
@Suite struct FSVAETrainingTests {
    static let data = FSVAETestData.make(users: 12, sessionsPerUser: 8, tracks: 200, seed: 3)

    /// Four epochs of several batches each; patience high enough that early stopping does not end the run.
    static func config(hidden: Int = 32) -> FSVAEConfig {
        var config = FSVAETestData.smallConfig(seed: 5)
        (config.sequentialHidden, config.batchSize, config.epochs, config.patience) = (hidden, 64, 4, 10)
        return config
    }

    func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fsvae-\(UUID().uuidString)-\(name)")
    }

    @Test func aSampleOfExamplesPerEpochTakesThatManyStepsAndStillLearns() throws {
        let data = Self.data
        var config = Self.config()
        config.examplesPerEpoch = 130  // three batches of 64, 64 and 2
        let model = try FSVAE(config: config, dimension: data.tracks.dimension)
        let report = try model.train(users: data.users, tracks: data.tracks)
        #expect(report.trainingExamples > 130)
        #expect(report.steps == 4 * 3)
        let first = try #require(report.epochs.first?.validationCosineDistance),
            best = try #require(report.epochs.compactMap(\.validationCosineDistance).min())
        #expect(best < first, "validation cosine \(report.epochs.map(\.validationCosineDistance))")
        var invalid = config
        invalid.examplesPerEpoch = 0
        #expect(throws: ConfigurationError.self) { try FSVAE(config: invalid, dimension: data.tracks.dimension) }
    }

    @Test func resumingFromACheckpointEndsLikeAnUninterruptedRun() throws {
        let data = Self.data
        let config = Self.config()
        let straight = try FSVAE(config: config, dimension: data.tracks.dimension)
        let straightReport = try straight.train(users: data.users, tracks: data.tracks)
        #expect(straightReport.epochs.count == 4 && straightReport.resumedEpochs == 0)

        let url = temporaryURL("run.training.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var firstHalf = config
        firstHalf.epochs = 2
        let interrupted = try FSVAE(config: firstHalf, dimension: data.tracks.dimension)
        try interrupted.train(users: data.users, tracks: data.tracks, checkpoint: url)
        let saved = try TrainingCheckpoint(contentsOf: url)
        #expect(saved.state.epoch == 2 && saved.state.history.count == 2)
        #expect(saved.state.history.allSatisfy { $0.metrics?["kl"] != nil })
        #expect(saved.optimizer.keys.contains { $0.hasPrefix("adam.") })

        // A fresh process: a new model object with the same config, resumed from the file.
        let resumed = try FSVAE(config: config, dimension: data.tracks.dimension)
        var epochsSeen: [Int] = []
        let resumedReport = try resumed.train(
            users: data.users, tracks: data.tracks, checkpoint: url, resume: true,
            progress: { epochsSeen.append($0.epoch) })
        #expect(epochsSeen == [3, 4], "only the epochs still to run are reported")
        #expect(resumedReport.resumedEpochs == 2)
        #expect(resumedReport.steps == straightReport.steps)
        #expect(resumedReport.bestEpoch == straightReport.bestEpoch)
        #expect(resumedReport.epochs.map(\.trainingLoss) == straightReport.epochs.map(\.trainingLoss))
        #expect(resumedReport.epochs.map(\.trainingKL) == straightReport.epochs.map(\.trainingKL))
        #expect(resumedReport.epochs.map(\.validationCosineDistance) == straightReport.epochs.map(\.validationCosineDistance))
        #expect(resumed.stateDictionary() == straight.stateDictionary())
        let a = try FSVAEUserModel(model: resumed, tracks: data.tracks)
        let b = try FSVAEUserModel(model: straight, tracks: data.tracks)
        let user = data.users[0]
        #expect(
            a.predictNextTracks(sessions: user, targets: 0..<user.count) == b.predictNextTracks(sessions: user, targets: 0..<user.count))

        // A checkpoint of another configuration is refused with a clear error.
        let other = try FSVAE(config: Self.config(hidden: 16), dimension: data.tracks.dimension)
        #expect(throws: TrainingError.self) {
            try other.train(users: data.users, tracks: data.tracks, checkpoint: url, resume: true)
        }
    }

    @Test func checkpointsAreWrittenEveryEpochAndResumeWithoutOneStartsFresh() throws {
        let data = Self.data
        var config = Self.config()
        config.epochs = 1
        let url = temporaryURL("fresh.training.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        // --resume without a checkpoint: a fresh run, identical to one without resume.
        let resumed = try FSVAE(config: config, dimension: data.tracks.dimension)
        let report = try resumed.train(users: data.users, tracks: data.tracks, checkpoint: url, resume: true)
        let plain = try FSVAE(config: config, dimension: data.tracks.dimension)
        let plainReport = try plain.train(users: data.users, tracks: data.tracks)
        #expect(report.resumedEpochs == 0 && report.epochs.map(\.trainingLoss) == plainReport.epochs.map(\.trainingLoss))
        #expect(FileManager.default.fileExists(atPath: url.path))
        #expect(try TrainingCheckpoint(contentsOf: url).state.epoch == 1)
    }

    @Test func aNaNLossStopsWithOneErrorNamingTheStepAndWritesNothing() throws {
        let data = Self.data
        // One track vector holds a NaN: the first batch whose inputs or targets include it has a NaN loss.
        var values = data.tracks.values
        values[0] = .nan
        let poisoned = TrackVectors(dimension: data.tracks.dimension, values: values)
        var config = Self.config()
        config.batchSize = 4_096  // one batch an epoch, so step 1 holds the poisoned track
        let model = try FSVAE(config: config, dimension: poisoned.dimension)
        let users =
            [
                [
                    Session(
                        user: 0, start: 0, context: .unknown,
                        plays: [Play(track: 1, time: 0, skip: .played), Play(track: 0, time: 60, skip: .played)])
                ]
            ]
            + data.users.prefix(4)
        let url = temporaryURL("nan.training.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            try model.train(users: users, tracks: poisoned, checkpoint: url)
            Issue.record("training did not stop")
        } catch let error as NonFiniteError {
            #expect(error.step == 1)
            #expect(error.description.hasPrefix("training stopped at step 1: loss is nan"))
        }
        #expect(!FileManager.default.fileExists(atPath: url.path), "no checkpoint of a diverged run")
    }

    @Test func theBenchmarkPathStopsAfterItsSteps() throws {
        let data = Self.data
        let config = Self.config()
        var examples = FSVAEExamples(config: config, dimension: data.tracks.dimension)
        for sessions in data.users { examples.walk(sessions: sessions, targets: 0..<sessions.count, config: config, tracks: data.tracks) }
        let model = try FSVAE(config: config, dimension: data.tracks.dimension)
        let empty = FSVAEExamples(config: config, dimension: data.tracks.dimension)
        let report = try model.train(examples: examples, validation: empty, tracks: data.tracks, maximumSteps: 3)
        #expect(report.steps == 3 && report.epochs.count == 1 && report.bestEpoch == 1)
    }
}
