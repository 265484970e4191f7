import Foundation
import Listening
import Tensor
import TestSupport
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
        TestScratch.url("fsvae-\(UUID().uuidString)-\(name)")
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

    /// Every example of the users' sessions in `part` of the default split, built as training builds them.
    static func examples(_ part: SplitPart, config: FSVAEConfig) -> FSVAEExamples {
        var examples = FSVAEExamples(config: config, dimension: data.tracks.dimension)
        for sessions in data.users {
            examples.walk(
                sessions: sessions, targets: TimeSplit().range(part, of: sessions), config: config, tracks: data.tracks,
                isTarget: data.tracks.hasVector)
        }
        return examples
    }

    @Test func aSampleOfExamplesIsASeededSubsetInTheirOrder() throws {
        let examples = Self.examples(.train, config: Self.config())
        let sample = examples.sample(50, seed: 9)
        #expect(examples.count > 100 && sample.count == 50)
        #expect(examples.sample(50, seed: 9).targets == sample.targets, "the same seed draws the same sample")
        #expect(examples.sample(50, seed: 10).targets != sample.targets, "another seed draws another")
        #expect(examples.sample(examples.count + 5, seed: 9).count == examples.count)
        // Each sampled row equals a later row of the original than the one before it.
        let (w, s) = (examples.window, examples.slowCount)
        func same(_ j: Int, _ i: Int) -> Bool {
            sample.targets[j] == examples.targets[i]
                && sample.windowTracks[(j * w)..<((j + 1) * w)] == examples.windowTracks[(i * w)..<((i + 1) * w)]
                && sample.windowSkips[(j * w)..<((j + 1) * w)] == examples.windowSkips[(i * w)..<((i + 1) * w)]
                && sample.windowGaps[(j * w)..<((j + 1) * w)] == examples.windowGaps[(i * w)..<((i + 1) * w)]
                && sample.slow[(j * s)..<((j + 1) * s)] == examples.slow[(i * s)..<((i + 1) * s)]
        }
        var i = 0
        for j in 0..<sample.count {
            while i < examples.count, !same(j, i) { i += 1 }
            #expect(i < examples.count, "sampled row \(j) is a row of the examples, in order")
            i += 1
        }
    }

    @Test func aFixedValidationSampleDrivesEarlyStoppingAndTheKeptWeightsAreScoredOnEverything() throws {
        var config = Self.config()
        config.epochs = 2
        config.validationExamples = 40
        let validation = Self.examples(.validation, config: config)
        #expect(validation.count > 40)
        let model = try FSVAE(config: config, dimension: Self.data.tracks.dimension)
        let report = try model.train(users: Self.data.users, tracks: Self.data.tracks)
        #expect(report.validationExamples == 40)
        let all = try #require(report.allValidationCosineDistance)
        #expect(abs(model.meanCosineDistance(validation, tracks: Self.data.tracks) - all) < 1e-6)
        let sampled = try #require(report.bestValidationCosine)
        #expect(sampled != all, "the sample's figure is its own")
        let skipped = try FSVAE(config: config, dimension: Self.data.tracks.dimension)
            .train(users: Self.data.users, tracks: Self.data.tracks, scoresAllValidation: false)
        #expect(skipped.allValidationCosineDistance == nil && skipped.bestValidationCosine == sampled)

        config.validationExamples = nil
        let unsampled = try FSVAE(config: config, dimension: Self.data.tracks.dimension).train(
            users: Self.data.users, tracks: Self.data.tracks)
        #expect(unsampled.validationExamples == validation.count && unsampled.allValidationCosineDistance == nil)
        for change in [
            { (c: inout FSVAEConfig) in c.validationExamples = 0 }, { $0.minimumImprovement = -0.1 }, { $0.minimumImprovement = .nan },
        ] {
            var invalid = config
            change(&invalid)
            #expect(throws: ConfigurationError.self) { try FSVAE(config: invalid, dimension: Self.data.tracks.dimension) }
        }
    }

    @Test func aMinimumImprovementStopsOnTheFirstSmallGain() throws {
        var config = Self.config()
        (config.epochs, config.patience, config.minimumImprovement) = (4, 0, 10)
        let report = try FSVAE(config: config, dimension: Self.data.tracks.dimension).train(
            users: Self.data.users, tracks: Self.data.tracks)
        // No epoch can gain 10 in cosine distance: the first is kept and the second stops the run.
        #expect(report.epochs.count == 2 && report.bestEpoch == 1)
    }
}
