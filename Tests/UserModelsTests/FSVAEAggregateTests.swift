import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// The learned Aggregate sequence baseline: an FS-VAE whose fast encoder reads the mean of the window.
@Suite struct FSVAEAggregateTests {
    /// A 4-d track space: tracks 0…3 along the axes, 4 diagonal.
    let tracks = TrackVectors(dimension: 4, values: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0])

    func session(_ tracks: [Int32], start: Int64, hour: Int8 = 9, skipped: Set<Int> = []) -> Session {
        Session(
            user: 0, start: start, context: SessionContext(hour: hour, weekday: 0, device: 0, source: 0),
            plays: tracks.enumerated().map {
                Play(track: $1, time: start + Int64($0) * 120, skip: skipped.contains($0) ? .skipped : .played)
            })
    }

    var history: [Session] {
        [session([0, 1, 2], start: 0, skipped: [1]), session([3, 4], start: 36_000, hour: 20), session([2, 0, 1, 4], start: 90_000)]
    }

    /// A tiny deterministic model: window 3, no dropout.
    func tinyConfig() -> FSVAEConfig {
        FSVAEConfig(
            window: 3, sequentialHidden: 3, slowHidden: 3, latent: 2, decoderHidden: 3,
            reconstructionVariance: 0.5, dropout: 0, batchSize: 4, epochs: 1, seed: 3)
    }

    /// A config as `FSVAE.save` wrote it before `aggregatesWindow` existed (the paper's settings).
    static let legacyConfigJSON = """
        {"batchSize":256,"beta":0.5,"decoderHidden":128,"dropout":0.1,"epochs":10,"fastScalars":["skipped","logTimeGap"],\
        "klWarmupSteps":2000,"latent":80,"learningRate":0.001,"maxGradientNorm":5,"name":"FS-VAE","patience":2,\
        "probabilistic":true,"reconstructionVariance":0.0001,"seed":1,"sequentialHidden":128,"sequentialLayers":2,\
        "shuffleSequence":false,"slowFeatures":["totalPlays","skips","distinctTracks","sessions","meanSessionLength","daypartShare"],\
        "slowHidden":64,"window":5}
        """

    @Test func configsSavedBeforeTheSettingDecodeAndEncodeAsBefore() throws {
        let legacy = try JSONDecoder().decode(FSVAEConfig.self, from: Data(Self.legacyConfigJSON.utf8))
        #expect(!legacy.aggregatesWindow)
        // The file's six scalar slow features stay its features (the taste vectors came later).
        // The paper config of then is today's windowed default.
        var paperOfThen = FSVAEConfig()
        paperOfThen.slowFeatures = SlowFeature.scalars
        #expect(legacy == paperOfThen)
        // Configs without the setting encode to the same text, so training checkpoints written before it still resume.
        #expect(try TrainingJSON.encode(paperOfThen) == Self.legacyConfigJSON)

        let aggregate = FSVAEConfig.paper.aggregateSequence()
        let json = try TrainingJSON.encode(aggregate)
        #expect(json.contains("\"aggregatesWindow\":true"))
        let decoded = try TrainingJSON.decode(FSVAEConfig.self, from: json)
        #expect(decoded == aggregate && decoded.aggregatesWindow)
        // Switching the setting off again gives back the plain config.
        var off = aggregate
        off.aggregatesWindow = false
        #expect(try !TrainingJSON.encode(off).contains("aggregatesWindow"))
    }

    @Test func theTransformAveragesTheWindowKeepsTheSlowEncoderAndDropsTheKL() throws {
        let config = FSVAEConfig.paper.aggregateSequence()
        #expect(config.name == "Aggregate sequence" && config.aggregatesWindow && !config.probabilistic)
        #expect(config.window == 5 && config.slowFeatures == SlowFeature.allCases && config.fastScalars == FastScalar.timeOfDay)
        #expect(FSVAEConfig.paper.withoutFastFeatures().aggregateSequence().window == 5)
        #expect(throws: ConfigurationError.self) { try FSVAEConfig(window: 0, aggregatesWindow: true).validate() }
        #expect(!config.vanillaRNN().aggregatesWindow)

        let tiny = tinyConfig().aggregateSequence()
        let model = try FSVAE(config: tiny, dimension: 4)
        let names = model.namedParameters.map(\.name)
        #expect(names.contains("fast.aggregate.weight") && names.contains("fast.aggregate.bias"))
        #expect(names.contains("fast.mean.weight") && names.contains("slow.layer0.weight"))
        #expect(!names.contains { $0.hasPrefix("fast.lstm") || $0.contains("log_variance") })
        let examples = FSVAEExamples.build(sessions: history, targets: 0..<3, config: tiny, tracks: tracks)
        let loss = model.loss(examples.batch(0..<examples.count, tracks: tracks, config: tiny), tape: Tape(seed: 1))
        #expect(loss.kl == nil && loss.total.value.scalar == loss.reconstruction.value.scalar)
    }

    @Test func theWindowMeanLeavesPaddingOut() {
        // Two rows of three 2-wide steps; row 0 has one padding step in front, row 1 is all padding.
        let fast = Tensor(shape: [2, 3, 2], scalars: [9, 9, 1, 2, 3, 6, 5, 5, 5, 5, 5, 5])
        let mask = Tensor(shape: [2, 3], scalars: [0, 1, 1, 0, 0, 0])
        let mean = FSVAE.windowMean(fast, mask: mask)
        #expect(mean.shape == [2, 2])
        #expect(mean.scalars == [2, 4, 0, 0])
        let unmasked: [Float] = [13.0 / 3, 17.0 / 3, 5, 5]
        #expect(zip(FSVAE.windowMean(fast, mask: nil).scalars, unmasked).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    /// Predictions (latent means decoded) for the window in its order and with each window's real steps permuted.
    func predictionsInBothOrders(_ model: FSVAE) -> (plain: [Float], shuffled: [Float]) {
        let config = model.config
        let examples = FSVAEExamples.build(sessions: history, targets: 0..<3, config: config, tracks: tracks)
        var shuffledConfig = config
        shuffledConfig.shuffleSequence = true
        shuffledConfig.seed = 2
        let plain = examples.batch(0..<examples.count, tracks: tracks, config: config)
        let shuffled = examples.batch(0..<examples.count, tracks: tracks, config: shuffledConfig)
        precondition(plain.fast != shuffled.fast, "the permutation must change some window")
        func predict(_ batch: FSVAEBatch) -> [Float] {
            model.decode(model.encode(batch, tape: Tape(isTraining: false)).mean).value.scalars
        }
        return (predict(plain), predict(shuffled))
    }

    @Test func theAggregateIsBlindToTheWindowsOrderAndTheLSTMIsNot() throws {
        let aggregate = try FSVAE(config: tinyConfig().aggregateSequence(), dimension: 4)
        let (plain, shuffled) = predictionsInBothOrders(aggregate)
        #expect(zip(plain, shuffled).allSatisfy { abs($0 - $1) < 1e-5 }, "\(plain) vs \(shuffled)")

        let lstm = try FSVAE(config: tinyConfig().nonProbabilistic(), dimension: 4)
        let (lstmPlain, lstmShuffled) = predictionsInBothOrders(lstm)
        #expect(zip(lstmPlain, lstmShuffled).contains { abs($0 - $1) > 1e-5 }, "the LSTM reads the order")
    }

    /// The small shared dataset's validation examples, as `FSVAE.train` builds them.
    func validationExamples(_ data: FSVAETestData.Dataset, config: FSVAEConfig) -> FSVAEExamples {
        var validation = FSVAEExamples(config: config, dimension: data.tracks.dimension)
        for sessions in data.users {
            validation.walk(
                sessions: sessions, targets: TimeSplit().ranges(of: sessions).validation, config: config,
                tracks: data.tracks, isTarget: data.tracks.hasVector)
        }
        return validation
    }

    @Test func itTrainsAndBeatsItsUntrainedInitialisation() throws {
        let data = FSVAETestData.make(users: 12, sessionsPerUser: 8, tracks: 200, seed: 3)
        var config = FSVAETestData.smallConfig(seed: 5).aggregateSequence()
        (config.batchSize, config.epochs, config.patience) = (64, 4, 10)
        let validation = validationExamples(data, config: config)
        #expect(validation.count > 0)
        let untrained = try FSVAE(config: config, dimension: data.tracks.dimension).meanCosineDistance(validation, tracks: data.tracks)

        let model = try FSVAE(config: config, dimension: data.tracks.dimension)
        let report = try model.train(users: data.users, tracks: data.tracks)
        let losses = report.epochs.map(\.trainingLoss)
        let cosines = report.epochs.compactMap(\.validationCosineDistance)
        #expect(losses.count == 4 && cosines.count == 4)
        #expect(report.epochs.allSatisfy { $0.trainingKL == 0 })
        #expect(try #require(losses.last) < losses[0], "training loss \(losses)")
        #expect(try #require(cosines.min()) < cosines[0], "validation cosine \(cosines)")
        // The kept weights are the best epoch's.
        let trained = model.meanCosineDistance(validation, tracks: data.tracks)
        #expect(abs(trained - cosines[report.bestEpoch - 1]) < 1e-5)
        #expect(trained < untrained - 0.05, "trained \(trained), untrained \(untrained)")
    }

    @Test func checkpointsRoundTripWithIdenticalPredictions() throws {
        let data = FSVAETestData.make(users: 12, sessionsPerUser: 8, tracks: 200, seed: 3)
        var config = FSVAETestData.smallConfig(seed: 5).aggregateSequence()
        config.epochs = 1
        let model = try FSVAE(config: config, dimension: data.tracks.dimension)
        try model.train(users: data.users, tracks: data.tracks)

        let url = TestScratch.url("fsvae-aggregate-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        #expect(try SafetensorsFile(contentsOf: url).tensors.keys.contains("fast.aggregate.weight"))
        let loaded = try FSVAE.load(from: url)
        #expect(loaded.config == config && loaded.config.aggregatesWindow)
        #expect(loaded.stateDictionary() == model.stateDictionary())
        let a = try FSVAEUserModel(model: model, tracks: data.tracks)
        let b = try FSVAEUserModel(model: loaded, tracks: data.tracks)
        let user = data.users[0]
        #expect(a.predictAll(sessions: user) == b.predictAll(sessions: user))
        #expect(
            a.predictNextTracks(sessions: user, targets: 0..<user.count) == b.predictNextTracks(sessions: user, targets: 0..<user.count))
    }
}
