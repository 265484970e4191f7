import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// The model-agnostic training utilities: batches, padding, early stopping, checkpoints, run records.
@Suite struct TrainingUtilityTests {
    @Test func userBatchesAreDeterministicPermutations() {
        let a = UserBatches.shuffled(count: 23, batchSize: 5, seed: 9, epoch: 1)
        #expect(a == UserBatches.shuffled(count: 23, batchSize: 5, seed: 9, epoch: 1))
        #expect(a != UserBatches.shuffled(count: 23, batchSize: 5, seed: 9, epoch: 2))
        #expect(a.map(\.count) == [5, 5, 5, 5, 3])
        #expect(a.flatMap { $0 }.sorted() == Array(0..<23))
        #expect(UserBatches.inOrder([4, 5, 6], batchSize: 2) == [[4, 5], [6]])
        #expect(UserBatches.shuffled(count: 0, batchSize: 4, seed: 1, epoch: 1).isEmpty)
    }

    @Test func sequenceBatchPadsAndMasks() {
        let batch = SequenceBatch(lengths: [2, 0, 3])
        #expect(batch.steps == 3)
        #expect(batch.mask.scalars == [1, 1, 0, 0, 0, 0, 1, 1, 1])
        let padded = batch.pad(width: 2, rows: [[1, 2, 3, 4], [], [5, 6, 7, 8, 9, 10]])
        #expect(padded.shape == [3, 3, 2])
        #expect(padded.scalars == [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 7, 8, 9, 10])
        let lastOnly = batch.stepMask { row, t in t == batch.lengths[row] - 1 }
        #expect(lastOnly.scalars == [0, 1, 0, 0, 0, 0, 0, 0, 1])
        #expect(SequenceBatch(lengths: []).mask.shape == [0, 1])
    }

    @Test func earlyStoppingWaitsForPatience() {
        var monitor = EarlyStopping(patience: 2, minimumImprovement: 0.01)
        #expect(monitor.record(epoch: 1, loss: 0.5) == .improved)
        #expect(monitor.record(epoch: 2, loss: 0.495) == .wait)  // below the minimum improvement
        #expect(monitor.record(epoch: 3, loss: 0.4) == .improved)
        #expect(monitor.record(epoch: 4, loss: 0.45) == .wait)
        #expect(monitor.record(epoch: 5, loss: .nan) == .wait)
        #expect(monitor.record(epoch: 6, loss: 0.41) == .stop)
        #expect(monitor.bestEpoch == 3 && monitor.bestLoss == 0.4)
    }

    /// A one-parameter model: fit w so that w·x ≈ y.
    final class Scalar: Layer {
        let w = Parameter(Tensor(shape: [1], scalars: [0]))
        var namedParameters: [(name: String, parameter: Parameter)] { [("w", w)] }
    }

    @Test func theLoopStopsEarlyAndKeepsTheBestWeights() throws {
        let model = Scalar()
        var reports: [TrainingProgress] = []
        // Validation gets worse after epoch 2 whatever happens: with patience 1 the loop stops after epoch 4.
        var validations: [Float] = [0.5, 0.3, 0.4, 0.45, 0.5, 0.6]
        var bestValue: Float = .nan
        let loop = try TrainingLoop(
            model: model, options: TrainingOptions(learningRate: 0.1, batchSize: 2, maxEpochs: 10, patience: 1),
            config: "{}"
        ) { reports.append($0) }
        let result = try loop.run(
            userCount: 4,
            trainBatch: { users, tape in
                let w = tape.parameter(model.w)
                let loss = (w - 1).squared().sum()
                return BatchLoss(loss: loss, sessions: users.count)
            },
            validate: {
                if validations.count == 5 { bestValue = model.w.value.scalars[0] }
                return ValidationLoss(loss: validations.removeFirst(), sessions: 1)
            })
        #expect(result.state.epoch == 4 && result.state.stopped)
        #expect(result.bestEpoch == 2 && result.bestValidationLoss == 0.3)
        #expect(model.w.value.scalars[0] == bestValue)
        #expect(reports.filter { $0.phase == .epochEnd }.count == 4)
        #expect(reports.filter { $0.phase == .batch }.map(\.batch) == [1, 2, 1, 2, 1, 2, 1, 2])
        #expect(reports.allSatisfy { $0.sessionsPerSecond > 0 && $0.batchesPerEpoch == 2 })
    }

    @Test func runRecordsRoundTripThroughTheWorkspace() throws {
        let folder = TestScratch.url("runs-\(UUID().uuidString)").path
        _ = try Workspace.create(at: folder, vocabulary: Vocabulary(tracks: [TrackInfo(key: "t")], users: ["u"])) { _ in }
        let workspace = try Workspace(at: folder)
        let record = RunRecord(
            kind: "train", model: "CoSeRNN", config: #"{"hiddenSize":400}"#, seed: .max,
            metrics: #"{"loss":0.5}"#, startedAt: 1_700_000_000, finishedAt: 1_700_000_100)
        let id = try workspace.recordRun(record)
        #expect(id == 1)
        try workspace.recordRun(RunRecord(kind: "evaluate", model: "Average", config: "{}", seed: 1, metrics: "{}", startedAt: 5))
        #expect(
            try workspace.runRecords() == [
                record, RunRecord(kind: "evaluate", model: "Average", config: "{}", seed: 1, metrics: "{}", startedAt: 5),
            ])
        #expect(try workspace.summary().runs == 2)

        // A training run's record carries the model config, the options and the per-epoch history.
        var state = TrainingState(options: TrainingOptions(seed: 3))
        state.epoch = 1
        state.history = [EpochRecord(epoch: 1, trainLoss: 0.4, validationLoss: 0.35, sessionsPerSecond: 1000)]
        let training = try RunRecord.training(
            model: "CoSeRNN", config: ["hiddenSize": 400], options: TrainingOptions(seed: 3),
            result: TrainingResult(state: state), startedAt: 10, finishedAt: 20)
        #expect(training.kind == "train" && training.seed == 3 && training.finishedAt == 20)
        #expect(training.config.hasPrefix(#"{"model":{"hiddenSize":400},"training":{"#))
        #expect(training.metrics.contains(#""epochs":1"#) && training.metrics.contains(#""validationLoss":0.35"#))
        try workspace.recordRun(training)
        #expect(try workspace.runRecords().last == training)
    }

    @Test func jsonSpellsInfinityAndNaN() throws {
        let state = TrainingState(options: TrainingOptions())
        let text = try TrainingJSON.encode(state)
        #expect(text.contains("\"inf\""))
        #expect(try TrainingJSON.decode(TrainingState.self, from: text) == state)
    }

    @Test func batchSizeIsThePowerOfTwoThatGivesAboutFiftyStepsAnEpoch() {
        let cases = [(1, 8), (271, 8), (799, 8), (800, 16), (2_000, 32), (10_000, 128), (12_800, 256), (1_000_000, 256)]
        for (users, size) in cases { #expect(TrainingOptions.batchSize(forUsers: users) == size, "\(users) users") }
    }
}
