import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// The official code's architecture (shared-weight passes, the dense context layer) and old model files.
@Suite struct CoSeRNNArchitectureTests {
    static let data = CoSeRNNTestData(users: 12, sessionsPerUser: 10, tracks: 300, seed: 23)

    /// A session with played and skipped tracks, so its all-track and skipped-track embeddings differ.
    static func sessionWithSkips() throws -> (history: [Session], next: Session) {
        let sessions = try #require(data.users.first { $0.contains { $0.plays.contains { $0.skip == .skipped } } })
        let index = try #require(sessions.firstIndex { $0.plays.contains { $0.skip == .skipped } })
        try #require(index + 1 < sessions.count)
        return (Array(sessions[...index]), sessions[index + 1])
    }

    @Test func eachPassReadsTheSharedInputsAndOneEmbedding() throws {
        let data = Self.data
        let model = try CoSeRNN(config: data.config(hidden: 6, dense: 4), tracks: data.tracks)
        let layout = model.layout
        #expect(layout.passes == 2 && layout.width == 2 * layout.passWidth)
        let (history, next) = try Self.sessionWithSkips()
        let features = model.features(of: history[...], next: (next.context, next.start))
        let row = Array(features.inputs.suffix(layout.width))
        let first = Array(row[0..<layout.passWidth]), second = Array(row[layout.passWidth...])
        let previous = SessionEmbeddings(try #require(history.last), tracks: data.tracks)
        // Context, details and the constant are the same in both parts; only the embedding block differs.
        let devices = data.generator.vocabulary.devices.count, d = data.tracks.dimension
        let embedding = (1 + 7 + 24 + devices)..<(1 + 7 + 24 + devices + d)
        #expect(Array(first[embedding]) == previous.all)
        #expect(Array(second[embedding]) == previous.skipped)
        #expect(previous.all != previous.skipped)
        for j in 0..<layout.passWidth where !embedding.contains(j) { #expect(first[j] == second[j]) }
    }

    @Test func thePassesAreOneContextLayerAndLSTMRunOverEachPartWithOutputsSideBySide() throws {
        let data = Self.data
        let model = try CoSeRNN(config: data.config(hidden: 5, dense: 4), tracks: data.tracks)
        let context = try #require(model.contextLayer)
        #expect(context.inputSize == model.layout.passWidth && context.outputSize == 5)
        #expect(model.lstm.layers[0].inputSize == 5)
        let batch = model.batch(data.users.prefix(3).map { model.features(of: $0[...]) }) { _, _ in true }
        let tape = Tape(isTraining: false)
        let inputs = tape.constant(batch.inputs)
        let (hidden, _) = model.recurrent(inputs, mask: batch.mask)
        let w = model.layout.passWidth
        let separately = (0..<2).map { pass in
            model.lstm(context(inputs.slice(axis: 2, (pass * w)..<((pass + 1) * w))), mask: batch.mask).output
        }
        #expect(hidden.shape == [3, batch.inputs.shape[1], 10])
        let expected = Variable.concatenate(separately, axis: 2).value.scalars
        #expect(zip(hidden.value.scalars, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func theEarlierDefaultIsOnePassWithoutContextLayerWithTheCurrentSource() throws {
        let data = Self.data
        let config = data.config(hidden: 6, dense: 4)
        #expect(config.sharedWeightPasses && config.contextLayer && !config.useCurrentSource && config.previousTracks == .allAndSkipped)
        let earlier = config.ablated(.earlierDefault)
        #expect(!earlier.sharedWeightPasses && !earlier.contextLayer && earlier.useCurrentSource)
        #expect(earlier.previousTracks == .allPlayedAndSkipped)
        let model = try CoSeRNN(config: earlier, tracks: data.tracks)
        #expect(model.contextLayer == nil && model.layout.passes == 1)
        #expect(model.lstm.layers[0].inputSize == model.layout.width)
        #expect(!model.namedParameters.contains { $0.name.hasPrefix("context.") })
        // Three shared-weight passes for all, played and skipped tracks.
        var three = config
        three.previousTracks = .allPlayedAndSkipped
        #expect(try CoSeRNN(config: three, tracks: data.tracks).layout.passes == 3)
    }

    /// A config as files written before the shared-weight passes and the context layer hold it.
    static let earlierConfigJSON = """
        {"denseLayers":2,"denseSize":4,"deviceCount":5,"dimension":16,"dropout":0,"hiddenSize":6,"hourEncoding":"hour",\
        "longTermDecay":1,"normalizeShortTerm":false,"previousTracks":"all-played-and-skipped","seed":42,"sourceCount":7,\
        "useContext":true,"useCurrentSource":true,"useGate":true,"useLongTerm":true,"usePreviousSession":true,\
        "usePreviousSessionDetails":true,"useSkipSplit":true}
        """

    @Test func anEarlierConfigDecodesAsTheEarlierArchitecture() throws {
        let config = try TrainingJSON.decode(CoSeRNNConfig.self, from: Self.earlierConfigJSON)
        #expect(!config.sharedWeightPasses && !config.contextLayer)
        #expect(config.useCurrentSource && config.previousTracks == .allPlayedAndSkipped)
        var expected = CoSeRNNConfig(dimension: 16, deviceCount: 5, sourceCount: 7, hiddenSize: 6, denseSize: 4)
        expected = expected.ablated(.earlierDefault)
        #expect(config == expected)
        // Encoded again, it keeps that architecture.
        #expect(try TrainingJSON.decode(CoSeRNNConfig.self, from: TrainingJSON.encode(config)) == config)
    }

    @Test func aModelFileWrittenBeforeTheChangeLoadsAsTheModelItWas() throws {
        let data = Self.data
        let model = try CoSeRNN(config: data.config(hidden: 6, dense: 4).ablated(.earlierDefault), tracks: data.tracks)
        try model.train(users: data.users, options: TrainingOptions(learningRate: 1e-2, batchSize: 4, maxEpochs: 1))
        let folder = TestScratch.url("cosernn-earlier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("model.safetensors")
        try model.save(to: url)
        // Rewrite the config metadata without the keys this change added, as an earlier build wrote it.
        var file = try SafetensorsFile(contentsOf: url)
        let json = try #require(file.metadata["config"])
        var object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        object["sharedWeightPasses"] = nil
        object["contextLayer"] = nil
        file.metadata["config"] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        #expect(file.metadata["config"]?.contains("contextLayer") == false)
        try file.write(to: url)
        let loaded = try CoSeRNN.load(from: url, tracks: data.tracks)
        #expect(loaded.config == model.config)
        for sessions in data.users.prefix(3) {
            #expect(loaded.predictAll(sessions: sessions) == model.predictAll(sessions: sessions))
        }
    }
}
