import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// Saving, loading, resuming, the NaN guard, and prediction paths of CoSeRNN.
@Suite struct CoSeRNNCheckpointTests {
    static let data = CoSeRNNTestData(users: 40, sessionsPerUser: 12, tracks: 300, seed: 21)

    func folder() throws -> URL {
        let url = TestScratch.url("cosernn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func close(_ a: [[Float]], _ b: [[Float]], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in zip(x, y).allSatisfy { abs($0 - $1) <= tolerance } }
    }

    @Test func saveThenLoadGivesIdenticalPredictions() throws {
        let data = Self.data
        let model = try CoSeRNN(config: data.config(hidden: 12, dense: 10), tracks: data.tracks)
        try model.train(users: data.users, options: TrainingOptions(learningRate: 1e-2, batchSize: 8, maxEpochs: 1))
        let url = try folder().appendingPathComponent("model.safetensors")
        try model.save(to: url)
        let loaded = try CoSeRNN.load(from: url, tracks: data.tracks)
        #expect(loaded.config == model.config)
        for sessions in data.users.prefix(5) {
            #expect(loaded.predictAll(sessions: sessions) == model.predictAll(sessions: sessions))
        }
        let file = try SafetensorsFile(contentsOf: url)
        // The context layer maps each pass's row to the LSTM's width.
        #expect(file.tensors["context.weight"]?.shape == [12, model.layout.passWidth])
        #expect(file.tensors["lstm.weight_ih_l0"]?.shape == [48, 12])
        #expect(try TrainingJSON.decode(CoSeRNNConfig.self, from: file.metadata["config"] ?? "") == model.config)
    }

    @Test func resumingFromACheckpointContinuesTheSameRun() throws {
        let data = Self.data
        let config = data.config(hidden: 10, dense: 8)
        let options = TrainingOptions(learningRate: 5e-3, batchSize: 8, maxEpochs: 4, patience: 10, seed: 3)
        let straight = try CoSeRNN(config: config, tracks: data.tracks)
        let straightResult = try straight.train(users: data.users, options: options)

        let url = try folder().appendingPathComponent("run.checkpoint.safetensors")
        var firstHalf = options
        firstHalf.maxEpochs = 2
        let interrupted = try CoSeRNN(config: config, tracks: data.tracks)
        try interrupted.train(users: data.users, options: firstHalf, checkpoint: url)
        let saved = try TrainingCheckpoint(contentsOf: url)
        #expect(saved.state.epoch == 2 && saved.state.history.count == 2)
        // A fresh process: new model object, same config, resumed from the file.
        let resumed = try CoSeRNN(config: config, tracks: data.tracks)
        let resumedResult = try resumed.train(users: data.users, options: options, checkpoint: url, resume: true)
        #expect(resumedResult.state.epoch == 4)
        #expect(resumedResult.state.step == straightResult.state.step)
        #expect(resumedResult.state.history.map(\.validationLoss) == straightResult.state.history.map(\.validationLoss))
        for sessions in data.users.prefix(3) {
            #expect(close(resumed.predictAll(sessions: sessions), straight.predictAll(sessions: sessions)))
        }
        // A checkpoint of another configuration is refused.
        let other = try CoSeRNN(config: data.config(hidden: 11, dense: 8), tracks: data.tracks)
        #expect(throws: TrainingError.self) {
            try other.train(users: data.users, options: options, checkpoint: url, resume: true)
        }
    }

    @Test func aNaNLossStopsWithAMessageNamingTheStep() throws {
        let data = Self.data
        // One track vector holds a NaN: the first batch whose targets include it has a NaN loss.
        var values = data.generator.truth.trackVectors
        values[0] = .nan
        let poisoned = TrackVectors(dimension: data.tracks.dimension, values: values)
        let model = try CoSeRNN(config: data.config(hidden: 6, dense: 6), tracks: poisoned)
        let users =
            [[Session(user: 0, start: 0, context: .unknown, plays: [Play(track: 0, time: 0, skip: .played)])]]
            + data.users.prefix(4)
        do {
            try model.train(users: users, options: TrainingOptions(batchSize: 64, maxEpochs: 1))
            Issue.record("training did not stop")
        } catch let error as NonFiniteError {
            #expect(error.step == 1)
            #expect(error.description.hasPrefix("training stopped at step 1: loss is nan"))
        }
    }

    @Test func predictMatchesPredictAllAndFollowsTheContext() throws {
        let data = Self.data
        let model = try CoSeRNN(config: data.config(hidden: 16, dense: 12), tracks: data.tracks)
        try model.train(users: data.users, options: TrainingOptions(learningRate: 1e-2, batchSize: 8, maxEpochs: 1))
        for sessions in data.users.prefix(4) {
            let all = model.predictAll(sessions: sessions)
            let one = sessions.indices.map {
                model.predict(history: sessions[0..<$0], context: sessions[$0].context, time: sessions[$0].start)
            }
            #expect(close(all, one, tolerance: 1e-4))
        }
        // A history that is no extension of a cached one: the LSTM reads it whole, same result.
        let sessions = data.users[0]
        model.prefixCache.removeAll()
        let direct = model.predict(history: sessions[0..<8], context: sessions[8].context, time: sessions[8].start)
        #expect(close([direct], [model.predictAll(sessions: sessions)[8]], tolerance: 1e-4))
        // A live context change reaches the prediction (cached history, new context).
        let history = sessions[0..<8]
        let morning = model.predict(
            history: history, context: SessionContext(hour: 9, weekday: 1, device: 0, source: 0), time: sessions[8].start)
        let night = model.predict(
            history: history, context: SessionContext(hour: 23, weekday: 1, device: 4, source: 0), time: sessions[8].start)
        #expect(morning != night)
        #expect(abs(VectorOps.cosine(morning, morning) - 1) < 1e-5)
    }

    @Test func unknownContextFieldsAreZeroInputs() throws {
        let data = Self.data
        let model = try CoSeRNN(config: data.config(hidden: 4, dense: 4), tracks: data.tracks)
        let unknown = model.features(of: [], next: (.unknown, 0))
        // Only the constant input of each pass is set for a first session in an unknown context.
        let pass = model.layout.passWidth
        #expect(model.layout.passes == 2 && unknown.inputs.count == 2 * pass)
        #expect(unknown.inputs.enumerated().allSatisfy { $1 == ($0 % pass == 0 ? 1 : 0) })
        // By default (the official inputs) the current session's source is no input: constant, weekday, hour, device per pass.
        let context = SessionContext(hour: 13, weekday: 2, device: 1, source: 3)
        let known = model.features(of: [], next: (context, 0))
        #expect(known.inputs.reduce(0, +) == 8)
        for offset in [0, pass] {
            #expect(
                known.inputs[offset + 1 + 2] == 1 && known.inputs[offset + 1 + 7 + 13] == 1 && known.inputs[offset + 1 + 7 + 24 + 1] == 1)
        }
        // With the current source it follows the device.
        var config = data.config(hidden: 4, dense: 4)
        config.useCurrentSource = true
        let withSource = try CoSeRNN(config: config, tracks: data.tracks).features(of: [], next: (context, 0))
        let devices = data.generator.vocabulary.devices.count
        #expect(withSource.inputs.reduce(0, +) == 10 && withSource.inputs[1 + 7 + 24 + devices + 3] == 1)
    }
}
