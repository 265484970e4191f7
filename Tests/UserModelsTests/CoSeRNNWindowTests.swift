import Listening
import Tensor
import Testing

@testable import UserModels

/// Long histories: truncated backpropagation through time and step-budgeted validation batches.
@Suite struct CoSeRNNWindowTests {
    @Test func windowsScoreEverySessionOnceAfterAWarmUp() {
        let rows = 450, width = 3, d = 2
        let features = CoSeRNNUserFeatures(
            count: rows, inputs: (0..<(rows * width)).map(Float.init), targets: (0..<(rows * d)).map(Float.init),
            longTerm: (0..<(rows * d)).map { Float(-$0) }, hasTarget: (0..<rows).map { $0 % 7 != 0 })
        let windows = features.trainingWindows(length: 200, warmUp: 50)
        // [0, 200) whole; [150, 400) scored from 200; [350, 450) scored from 400.
        #expect(windows.map(\.features.count) == [200, 250, 100])
        #expect(windows.map(\.scoredFrom) == [0, 50, 50])
        #expect(windows[1].features.inputs.first == Float(150 * width))
        #expect(windows[1].features.longTerm.first == -Float(150 * d))
        #expect(windows[2].features.hasTarget == Array(features.hasTarget[350..<450]))
        var scored = [Int](repeating: 0, count: rows)
        var start = 0
        for window in windows {
            let first = start - window.scoredFrom
            for t in window.scoredFrom..<window.features.count { scored[first + t] += 1 }
            start += window.features.count - window.scoredFrom
        }
        #expect(scored.allSatisfy { $0 == 1 })
        // A short history stays one window.
        #expect(features.slice(0..<150).trainingWindows(length: 200, warmUp: 50).map(\.scoredFrom) == [0])
    }

    @Test func validationBatchesKeepToTheStepBudget() {
        // Longest first: 1 and 3 (100 steps) alone, as two would pad to 200 > 150; then 2 with 0; then 4 (batch full).
        #expect(UserBatches.byLength([5, 100, 20, 100, 1], batchSize: 2, stepBudget: 150) == [[1], [3], [2, 0], [4]])
        // A sequence longer than the budget still gets a batch of its own.
        #expect(UserBatches.byLength([500, 3], batchSize: 8, stepBudget: 100) == [[0], [1]])
        #expect(UserBatches.byLength([], batchSize: 8, stepBudget: 100).isEmpty)
    }

    @Test func windowedTrainingSeesEverySessionAndLearns() throws {
        let data = CoSeRNNTestData(users: 30, sessionsPerUser: 40, tracks: 300, seed: 5)
        let config = data.config(hidden: 12, dense: 10)
        let untrained = try CoSeRNN(config: config, tracks: data.tracks)
        let before = untrained.loss(users: data.users, part: .validation).loss
        var options = TrainingOptions(learningRate: 1e-2, batchSize: 8, maxEpochs: 6, patience: 5, seed: 1)
        options.maxSequenceLength = 7
        options.warmUpLength = 3
        let model = try CoSeRNN(config: config, tracks: data.tracks)
        let result = try model.train(users: data.users, options: options)
        // The same training on whole histories (40 sessions fit in one window of 200).
        var whole = options
        whole.maxSequenceLength = 200
        let reference = try CoSeRNN(config: config, tracks: data.tracks).train(users: data.users, options: whole)
        print(
            "windows of 7 after 3: validation loss \(before) → \(result.bestValidationLoss); whole histories → \(reference.bestValidationLoss)"
        )
        #expect(result.bestValidationLoss < before - 0.03)
        #expect(result.bestValidationLoss < reference.bestValidationLoss + 0.01, "windows learn about as well as whole histories")

        // Every training session with a target is in the loss of exactly one window.
        let split = TimeSplit()
        for sessions in data.users.prefix(5) {
            let features = model.features(of: sessions[split.ranges(of: sessions).train])
            let windows = features.trainingWindows(length: 7, warmUp: 3)
            let scored = windows.reduce(0) { $0 + $1.features.hasTarget[$1.scoredFrom...].filter { $0 }.count }
            #expect(windows.count > 1 && scored == features.hasTarget.filter { $0 }.count)
        }
    }
}
