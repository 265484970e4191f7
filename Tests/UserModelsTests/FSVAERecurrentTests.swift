import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// The recurrent FS-VAE (Eqs. 2–5): gradients through the state, chunking, checkpoints, and what the state adds.
@Suite struct FSVAERecurrentTests {
    /// A 4-d track space: tracks 0…3 along the axes, 4 diagonal.
    let tracks = TrackVectors(dimension: 4, values: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0])

    func tinyConfig(combination: LatentCombination = .cell, slow: Bool = true) -> FSVAEConfig {
        var config = FSVAEConfig(
            window: 3, fastScalars: FastScalar.timeOfDay + [.skipped], slowFeatures: slow ? SlowFeature.allCases : [],
            sequentialHidden: 3, slowHidden: 3, latent: 2, decoderHidden: 3, reconstructionVariance: 0.5, dropout: 0, batchSize: 4,
            epochs: 1, seed: 3)
        config.recurrentHidden = 3
        config.combination = combination
        config.chunkLength = 2
        config.initialLogVariance = -1
        return config
    }

    func session(_ tracks: [Int32], start: Int64, hour: Int8 = 9, skipped: Set<Int> = []) -> Session {
        Session(
            user: 0, start: start, context: SessionContext(hour: hour, weekday: 0, device: 0, source: 0),
            plays: tracks.enumerated().map {
                Play(track: $1, time: start + Int64($0) * 120, skip: skipped.contains($0) ? .skipped : .played)
            })
    }

    var users: [[Session]] {
        [
            [
                session([0, 1, 2], start: 0, skipped: [1]), session([3, 4], start: 36_000, hour: 20), session([2, 0, 1, 4], start: 90_000),
            ],
            [session([4, 4, 1], start: 1_000, hour: 22), session([2, 3], start: 50_000, hour: 7, skipped: [0])],
        ]
    }

    func timelines(_ config: FSVAEConfig) -> FSVAETimelines {
        var timelines = FSVAETimelines(config: config, dimension: 4)
        for sessions in users {
            timelines.appendUser(sessions: sessions, end: sessions.count, targets: 0..<sessions.count, config: config, tracks: tracks)
        }
        return timelines
    }

    /// Checks every parameter's gradient of `loss` against central differences (`ParameterGradientCheck`).
    ///
    /// Biases start at zero and many slow inputs of a first play are zero, which puts pre-activations on
    /// LeakyReLU's kink where central differences are wrong; small distinct biases move them off it.
    func checkGradients(_ model: FSVAE, seed: UInt64, loss: @escaping (Tape) -> Variable) {
        for (name, parameter) in model.namedParameters where name.hasSuffix("bias") && !name.contains("log_variance") {
            let count = parameter.value.count
            parameter.value = Tensor(shape: parameter.shape, scalars: (0..<count).map { 0.1 * sinf(Float($0 + name.count)) })
        }
        // The same tape seed draws the same ε, so the stochastic loss is a fixed function of the weights.
        let checked = ParameterGradientCheck.check(
            model, tape: Tape(seed: seed), evaluationTape: { Tape(seed: seed) }, absolute: 2e-3, relative: 3e-2, loss: loss)
        #expect(checked >= model.namedParameters.count)
    }

    @Test(arguments: [LatentCombination.cell, .concatenation])
    func chunkGradientWithADetachedIncomingStateMatchesFiniteDifferences(combination: LatentCombination) throws {
        let config = tinyConfig(combination: combination)
        let model = try FSVAE(config: config, dimension: 4)
        let timelines = timelines(config)
        // Steps 2…5 of both users (the second has only five), from a state the previous chunk left.
        let chunk = timelines.chunk(
            group: [0, 1], offset: 2, steps: 4, tracks: tracks, config: config, slowNormalization: model.slowNormalization)
        #expect(chunk.advances.contains(0), "the shorter user's last row is padding")
        let incoming = Tensor(shape: [2, 3], scalars: [0.3, -0.2, 0.5, -0.4, 0.1, 0.2])
        checkGradients(model, seed: 11) { tape in model.recurrentLoss(chunk, state: incoming, tape: tape).loss.total }
        let (loss, _) = model.recurrentLoss(chunk, state: incoming, tape: Tape(seed: 11))
        #expect(try #require(loss.kl).value.scalar > 0)
        #expect(model.namedParameters.contains { $0.name.hasPrefix("state.gru") })
        #expect(model.namedParameters.contains { $0.name.hasPrefix("combination") } == (combination == .cell))
    }

    @Test func wholeSequenceAsOneChunkGradientMatchesFiniteDifferences() throws {
        let config = tinyConfig()
        let model = try FSVAE(config: config, dimension: 4)
        let timelines = timelines(config)
        let longest = timelines.users.map(\.count).max() ?? 0
        let chunk = timelines.chunk(
            group: [0, 1], offset: 0, steps: longest, tracks: tracks, config: config, slowNormalization: model.slowNormalization)
        checkGradients(model, seed: 5) { tape in model.recurrentLoss(chunk, state: model.zeroState(users: 2), tape: tape).loss.total }
    }

    @Test func theStateCarriesAcrossChunksSoChunkingDoesNotChangePredictions() throws {
        let config = tinyConfig()
        let model = try FSVAE(config: config, dimension: 4)
        let timelines = timelines(config)
        func predictions(chunkSteps: Int, usersPerBatch: Int) -> [Int: [Float]] {
            var out: [Int: [Float]] = [:]
            model.runTimelines(
                timelines, users: [0, 1], tracks: tracks, usersPerBatch: usersPerBatch, chunkSteps: chunkSteps, include: { _ in true },
                visit: { out[$0] = $1.prediction })
            return out
        }
        let whole = predictions(chunkSteps: 64, usersPerBatch: 2)
        #expect(whole.count == timelines.count)
        for (steps, perBatch) in [(1, 1), (3, 2), (2, 1)] {
            let chunked = predictions(chunkSteps: steps, usersPerBatch: perBatch)
            for (step, prediction) in whole {
                let other = try #require(chunked[step])
                #expect(zip(prediction, other).allSatisfy { abs($0 - $1) < 1e-5 }, "step \(step), chunks of \(steps)")
            }
        }
        // The state matters: the last play of user 0 is predicted differently from a fresh state.
        let user = try FSVAEUserModel(model: model, tracks: tracks)
        let history = users[0]
        let withHistory = user.predictNextTracks(sessions: history, targets: 2..<3)
        #expect(withHistory.count == 4)
        #expect(withHistory[0] == (whole[5] ?? []), "step 5 is the first play of user 0's third session")
    }

    @Test func sessionStartsQueriesAndSamplesAgreeWithTheTimeline() throws {
        let config = tinyConfig()
        let model = try FSVAE(config: config, dimension: 4)
        let user = try FSVAEUserModel(model: model, tracks: tracks)
        let sessions = users[0]
        let starts = user.predictAll(sessions: sessions)
        #expect(starts.count == sessions.count)
        for index in sessions.indices {
            let single = user.predict(history: sessions[..<index], context: sessions[index].context, time: sessions[index].start)
            #expect(zip(single, starts[index]).allSatisfy { abs($0 - $1) < 1e-5 }, "session \(index)")
        }
        let posterior = model.latent(history: sessions[..<2], context: sessions[2].context, time: sessions[2].start, tracks: tracks)
        #expect(posterior.mean.count == 4 && posterior.variance.allSatisfy { $0 > 0 })
        let samples = user.predictSamples(count: 5, seed: 9, history: sessions[..<2], context: sessions[2].context, time: sessions[2].start)
        #expect(samples.count == 5 && Set(samples.map { $0.map { Int($0 * 1e5) } }).count == 5, "samples differ")
        #expect(
            samples
                == user.predictSamples(count: 5, seed: 9, history: sessions[..<2], context: sessions[2].context, time: sessions[2].start))
        // Editing the hour of the query moves the prediction: the fast input carries the time of day.
        var evening = sessions[2].context
        evening.hour = 21
        #expect(user.predict(history: sessions[..<2], context: evening, time: sessions[2].start) != starts[2])
        // The evening query reused the cached state after sessions 0 and 1; a fresh instance with the same
        // weights runs the whole history and agrees.
        let fresh = try FSVAE(config: config, dimension: 4)
        let uncached = fresh.predictNextTrack(history: sessions[..<2], context: evening, time: sessions[2].start, tracks: tracks)
        let cached = user.predict(history: sessions[..<2], context: evening, time: sessions[2].start)
        #expect(zip(uncached, cached).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(user.contextFields == [.hour, .daypart])
        #expect(try FSVAEUserModel(model: FSVAE(config: FSVAEConfig(window: 3), dimension: 4), tracks: tracks).contextFields == [.daypart])
    }

    @Test func saveLoadAndResumeGiveIdenticalPredictionsAndRuns() throws {
        let data = FSVAETestData.make(users: 12, sessionsPerUser: 8, tracks: 200, seed: 3)
        var config = FSVAETestData.smallConfig(seed: 5)
        (config.batchSize, config.epochs, config.patience) = (64, 4, 10)
        config.recurrentHidden = 16
        config.chunkLength = 8
        config.fastScalars = FastScalar.timeOfDay
        let straight = try FSVAE(config: config, dimension: data.tracks.dimension)
        let straightReport = try straight.train(users: data.users, tracks: data.tracks)
        #expect(straightReport.epochs.count == 4)
        let firstLoss = try #require(straightReport.epochs.first?.validationCosineDistance)
        let bestLoss = try #require(straightReport.bestValidationCosine)
        #expect(bestLoss < firstLoss, "the recurrent model learns: \(straightReport.epochs.map(\.validationCosineDistance))")
        #expect(straightReport.epochs.allSatisfy { $0.trainingReconstruction != nil && $0.posterior?.units == 2 * config.latent })

        let url = TestScratch.url("fsvae-recurrent-\(UUID().uuidString).training.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var firstHalf = config
        firstHalf.epochs = 2
        try FSVAE(config: firstHalf, dimension: data.tracks.dimension).train(users: data.users, tracks: data.tracks, checkpoint: url)
        let resumed = try FSVAE(config: config, dimension: data.tracks.dimension)
        let resumedReport = try resumed.train(users: data.users, tracks: data.tracks, checkpoint: url, resume: true)
        #expect(resumedReport.resumedEpochs == 2)
        #expect(resumedReport.epochs.map(\.trainingLoss) == straightReport.epochs.map(\.trainingLoss))
        #expect(resumedReport.epochs.map(\.validationCosineDistance) == straightReport.epochs.map(\.validationCosineDistance))
        #expect(resumed.stateDictionary() == straight.stateDictionary())

        let file = TestScratch.url("fsvae-recurrent-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: file) }
        try straight.save(to: file)
        let loaded = try FSVAE.load(from: file)
        #expect(loaded.config == config && loaded.config.isRecurrent)
        let a = try FSVAEUserModel(model: loaded, tracks: data.tracks)
        let b = try FSVAEUserModel(model: straight, tracks: data.tracks)
        let sessions = data.users[3]
        #expect(
            a.predictNextTracks(sessions: sessions, targets: 0..<sessions.count)
                == b.predictNextTracks(sessions: sessions, targets: 0..<sessions.count))
        #expect(a.latentMeans(sessions: sessions, targets: 5..<6).allSatisfy { $0.count == config.latent })
    }

    @Test func aWindowedConfigKeepsItsOldJSONAndLoadsAsTheWindowedModel() throws {
        let windowed = FSVAEConfig.paper.windowed()
        #expect(!windowed.isRecurrent)
        let json = try StableJSON.text(FSVAEConfig())
        #expect(!json.contains("recurrentHidden") && !json.contains("combination") && !json.contains("hourSine"))
        #expect(FSVAEConfig.paper.isRecurrent && FSVAEConfig.paper.fastScalars == FastScalar.timeOfDay)
        #expect(FSVAEConfig.paper.vanillaRNN().isRecurrent == false && FSVAEConfig.paper.aggregateSequence().isRecurrent == false)
        var bad = FSVAEConfig.paper
        bad.recurrentHidden = 0
        #expect(throws: ConfigurationError.self) { try bad.validate() }
        bad = FSVAEConfig.paper
        bad.reconstructionVariance = nil
        #expect(throws: ConfigurationError.self) { try bad.validate() }
    }

    @Test func posteriorActivityMatchesHandComputation() throws {
        var accumulator = PosteriorActivity.Accumulator()
        // Unit 0's mean varies (values ±0.5: variance 0.25); unit 1's stays at 0.3 (inactive).
        accumulator.add(mean: [0.5, 0.3], variance: [0.04, 1])
        accumulator.add(mean: [-0.5, 0.3], variance: [0.16, 1])
        let activity = try #require(accumulator.activity)
        #expect(activity.units == 2 && activity.activeUnits == 1)
        // σ over the active unit: (0.2 + 0.4) / 2.
        #expect(abs((activity.meanActiveStandardDeviation ?? 0) - 0.3) < 1e-6)
        // KL per example: ½Σ(μ² + σ² − 1 − log σ²), summed over units, averaged over the two examples.
        let kl = 0.5 * ((0.25 + 0.04 - 1 - log(0.04)) + (0.09 + 1 - 1 - 0) + (0.25 + 0.16 - 1 - log(0.16)) + (0.09 + 1 - 1 - 0)) / 2
        #expect(abs(Double(activity.klPerExample) - kl) < 1e-5)
        #expect(PosteriorActivity.Accumulator().activity == nil)
    }
}
