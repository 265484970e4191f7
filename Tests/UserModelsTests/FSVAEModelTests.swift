import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// FS-VAE's loss, gradients, features, determinism and checkpoints, on tiny models.
@Suite struct FSVAEModelTests {
    /// A 4-d track space: tracks 0…3 along the axes, 4 diagonal.
    let tracks = TrackVectors(dimension: 4, values: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0])

    func tinyConfig(probabilistic: Bool = true, learnedVariance: Bool = false) -> FSVAEConfig {
        FSVAEConfig(
            window: 3, probabilistic: probabilistic, sequentialHidden: 3, slowHidden: 3, latent: 2,
            decoderHidden: 3, reconstructionVariance: learnedVariance ? nil : 0.5, dropout: 0, batchSize: 4, epochs: 1, seed: 3)
    }

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

    func tinyBatch(_ config: FSVAEConfig) -> FSVAEBatch {
        let examples = FSVAEExamples.build(sessions: history, targets: 0..<3, config: config, tracks: tracks)
        return examples.batch(0..<examples.count, tracks: tracks, config: config)
    }

    func set(_ parameter: Parameter, _ element: Int, _ value: Float) {
        var tensor = parameter.value
        tensor.withUnsafeMutableBufferPointer { $0[element] = value }
        parameter.value = tensor
    }

    @Test(arguments: [false, true])
    func lossGradientMatchesFiniteDifferences(learnedVariance: Bool) throws {
        let config = tinyConfig(learnedVariance: learnedVariance)
        let model = try FSVAE(config: config, dimension: 4)
        let batch = tinyBatch(config)
        // The same tape seed draws the same ε, so the stochastic loss is a fixed function of the weights.
        func lossValue() -> Double { Double(model.loss(batch, tape: Tape(seed: 11)).total.value.scalar) }
        for parameter in model.parameters { parameter.zeroGradient() }
        let tape = Tape(seed: 11)
        let loss = model.loss(batch, tape: tape)
        #expect(loss.kl != nil)
        tape.backward(loss.total)
        let named = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.name, $0.parameter) })
        let checked =
            [
                "fast.lstm.weight_ih_l0", "fast.lstm.weight_hh_l1", "fast.log_variance.weight", "slow.layer0.weight",
                "slow.mean.bias", "decoder.layer0.weight", "decoder.layer1.bias",
            ]
            + (learnedVariance ? ["decoder.log_variance.weight", "decoder.log_variance.bias"] : [])
        #expect((named["decoder.log_variance.weight"] != nil) == learnedVariance)
        let epsilon: Float = 1e-3
        for name in checked {
            let parameter = try #require(named[name])
            for element in stride(from: 0, to: parameter.value.count, by: max(1, parameter.value.count / 5)) {
                let original = parameter.value.scalars[element]
                set(parameter, element, original + epsilon)
                let plus = lossValue()
                set(parameter, element, original - epsilon)
                let minus = lossValue()
                set(parameter, element, original)
                let numeric = (plus - minus) / (2 * Double(epsilon))
                let analytic = Double(parameter.gradient.scalars[element])
                #expect(
                    abs(numeric - analytic) <= 2e-3 + 3e-2 * max(abs(numeric), abs(analytic)),
                    "\(name)[\(element)]: analytic \(analytic), numeric \(numeric)")
            }
        }
    }

    @Test func learnedLikelihoodMatchesHandComputation() throws {
        let model = try FSVAE(config: tinyConfig(learnedVariance: true), dimension: 2)
        let tape = Tape()
        // Prediction (0, 0), σ² = (1, 4), target (1, 2): ½[(1/1 + log 1) + (4/4 + log 4)] = 1 + ½ log 4.
        let prediction = tape.constant(Tensor(shape: [1, 2], scalars: [0, 0]))
        let logVariance = tape.constant(Tensor(shape: [1, 2], scalars: [0, Float(Foundation.log(4.0))]))
        let value = model.reconstruction(prediction, logVariance: logVariance, target: Tensor(shape: [1, 2], scalars: [1, 2])).value.scalar
        #expect(abs(Double(value) - (1 + 0.5 * Foundation.log(4.0))) < 1e-5)
        // A fixed σ² = 0.5 gives ‖x − μ‖²/(2σ²) = 5.
        let fixed = try FSVAE(config: tinyConfig(), dimension: 2)
        #expect(
            abs(fixed.reconstruction(prediction, logVariance: nil, target: Tensor(shape: [1, 2], scalars: [1, 2])).value.scalar - 5) < 1e-5)
    }

    @Test func autoencoderHasNoKLTermAndNoVariance() throws {
        let config = tinyConfig(probabilistic: false)
        let model = try FSVAE(config: config, dimension: 4)
        let loss = model.loss(tinyBatch(config), tape: Tape(seed: 1))
        #expect(loss.kl == nil)
        #expect(loss.total.value.scalar == loss.reconstruction.value.scalar)
        #expect(!model.namedParameters.contains { $0.name.contains("log_variance") })
        let latent = model.latent(history: history, context: .unknown, time: 200_000, tracks: tracks)
        #expect(latent.variance == [Float](repeating: 0, count: 4))
        // Every sample of a deterministic model is the prediction.
        let prediction = model.predictNextTrack(history: history, context: .unknown, time: 200_000, tracks: tracks)
        let samples = model.samples(count: 3, seed: 1, history: history, context: .unknown, time: 200_000, tracks: tracks)
        for sample in samples { #expect(zip(sample, prediction).allSatisfy { abs($0 - $1) < 1e-6 }) }
    }

    @Test func vaeExposesVarianceAndSamplesAroundTheMean() throws {
        let model = try FSVAE(config: tinyConfig(), dimension: 4)
        let latent = model.latent(history: history, context: .unknown, time: 200_000, tracks: tracks)
        #expect(latent.mean.count == 4 && latent.variance.count == 4)
        #expect(latent.variance.allSatisfy { $0 > 0 })
        let a = model.samples(count: 4, seed: 9, history: history, context: .unknown, time: 200_000, tracks: tracks)
        let b = model.samples(count: 4, seed: 9, history: history, context: .unknown, time: 200_000, tracks: tracks)
        #expect(a == b)
        #expect(a[0] != a[1])
    }

    @Test func featuresMatchHandComputedValues() {
        let config = FSVAEConfig(window: 3)
        // Predict the third play of the last session: before it, 3 + 2 + 2 = 7 plays.
        let examples = FSVAEExamples.build(sessions: history, targets: 2..<3, config: config, tracks: tracks)
        #expect(examples.count == 4)
        let i = 2
        #expect(Array(examples.windowTracks[(i * 3)..<(i * 3 + 3)]) == [4, 2, 0])
        // Track 4 started at 36 120 s, the next play (2) at 90 000 s: 53 880 s = 898 min.
        #expect(abs(examples.windowGaps[i * 3] - log1pf(898)) < 1e-4)
        #expect(abs(examples.windowGaps[i * 3 + 2] - log1pf(2)) < 1e-5)
        #expect(examples.slowCount == 6 + 2 * 4)
        let slow = Array(examples.slow[(i * 14)..<(i * 14 + 14)])
        // plays 7, skips 1, distinct 5, sessions 2, mean length 2.5, morning share 5/7; then the taste:
        // tracks 0 1 2 | 3 4 | 2 0 sum to (2, 1, 2, 1) + (1, 1, 0, 0)/√2, and the morning ones 0 1 2 2 0 to (2, 1, 2, 0).
        let h = Float(0.5).squareRoot()
        let taste = VectorOps.normalized([2 + h, 1 + h, 2, 1]), morning = VectorOps.normalized([2, 1, 2, 0])
        let expected: [Float] = [log1pf(7), log1pf(1), log1pf(5), log1pf(2), log1pf(2.5), 5.0 / 7] + taste + morning
        #expect(zip(slow, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(slow) vs \(expected)")
        // The very first play has no history and is not a training example.
        #expect(FSVAEExamples.build(sessions: history, targets: 0..<1, config: config, tracks: tracks).count == 2)
        #expect(examples.windowSkips[(0 * 3)..<(0 * 3 + 3)] == [0, 0, 0])
        #expect(
            Array(FSVAEExamples.build(sessions: history, targets: 0..<1, config: config, tracks: tracks).windowSkips[3..<6]) == [0, 0, 1])
    }

    @Test func trainingIsDeterministicAndCheckpointsRoundTrip() throws {
        let data = FSVAETestData.make(users: 12, sessionsPerUser: 8, tracks: 200, seed: 3)
        var config = FSVAETestData.smallConfig(seed: 5)
        config.epochs = 1
        let first = try FSVAE(config: config, dimension: data.tracks.dimension)
        let second = try FSVAE(config: config, dimension: data.tracks.dimension)
        let r1 = try first.train(users: data.users, tracks: data.tracks)
        let r2 = try second.train(users: data.users, tracks: data.tracks)
        #expect(r1.epochs.map(\.trainingLoss) == r2.epochs.map(\.trainingLoss))
        #expect(first.stateDictionary() == second.stateDictionary())

        let url = TestScratch.url("fsvae-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try first.save(to: url)
        let loaded = try FSVAE.load(from: url)
        #expect(loaded.config == config)
        let a = try FSVAEUserModel(model: first, tracks: data.tracks)
        let b = try FSVAEUserModel(model: loaded, tracks: data.tracks)
        let user = data.users[0]
        #expect(a.predictAll(sessions: user) == b.predictAll(sessions: user))
        #expect(
            a.predictNextTracks(sessions: user, targets: 0..<user.count) == b.predictNextTracks(sessions: user, targets: 0..<user.count))
        // The batched session-start predictions equal one-at-a-time ones.
        let batched = a.predictAll(sessions: user)
        for t in [0, 3, user.count - 1] {
            let single = a.predict(history: user[0..<t], context: user[t].context, time: user[t].start)
            #expect(zip(single, batched[t]).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func invalidConfigsAndCheckpointsAreRejected() throws {
        #expect(throws: ConfigurationError.self) { try FSVAE(config: FSVAEConfig(window: 0, slowFeatures: []), dimension: 4) }
        let url = TestScratch.url("not-fsvae-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsFile(tensors: ["x": Tensor(shape: [1], scalars: [1])]).write(to: url)
        #expect(throws: FSVAEError.self) { try FSVAE.load(from: url) }
    }

    @Test func ablationsAndVanillaRNNHaveTheirParts() throws {
        let paper = FSVAEConfig.paper
        #expect(
            paper.window == 5 && paper.latent == 80 && paper.beta == 0.5 && paper.slowFeatures == SlowFeature.allCases
                && paper.slowWidth(dimension: 4) == 6 + 2 * 4)
        let names = paper.ablations.map(\.name)
        #expect(
            names == [
                "FS-VAE, no fast features", "FS-VAE, shuffled sequence", "FS-VAE, no slow features", "FS-VAE, non-probabilistic",
                "FS-VAE, windowed (no recurrent state)",
            ])
        let noFast = try FSVAE(config: tinyConfig().withoutFastFeatures(), dimension: 4)
        #expect(!noFast.namedParameters.contains { $0.name.hasPrefix("fast.") })
        let vanilla = try FSVAE(config: tinyConfig().vanillaRNN(), dimension: 4)
        #expect(!vanilla.namedParameters.contains { $0.name.hasPrefix("slow.") || $0.name.contains("log_variance") })
        // The paper's Vanilla RNN reads the sequential features (skip flag, time gap) with each track.
        #expect(vanilla.config.fastScalars == FastScalar.skipAndGap)
    }

    @Test func shuffledSequenceKeepsPaddingAndPermutesSteps() {
        var config = FSVAEConfig(window: 3).withShuffledSequence()
        config.seed = 2
        let examples = FSVAEExamples.build(sessions: history, targets: 0..<3, config: config, tracks: tracks)
        let shuffled = examples.batch(0..<examples.count, tracks: tracks, config: config)
        let plain = examples.batch(0..<examples.count, tracks: tracks, config: FSVAEConfig(window: 3))
        #expect(shuffled.mask == plain.mask)
        #expect(shuffled.fast != plain.fast)
        // Same multiset of steps per row.
        let width = config.fastWidth(dimension: 4)
        for row in 0..<examples.count {
            func steps(_ t: Tensor?) -> [[Float]] {
                guard let t else { return [] }
                return (0..<3).map { Array(t.scalars[((row * 3 + $0) * width)..<((row * 3 + $0 + 1) * width)]) }
                    .sorted { $0.lexicographicallyPrecedes($1) }
            }
            #expect(steps(shuffled.fast) == steps(plain.fast))
        }
    }
}
