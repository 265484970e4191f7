import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// VAE-CF's parts: the loss and its gradients, the catalogue, fold-in, scoring, checkpoints, resume, config.
@Suite struct VAECFTests {
    static let data = VAECFTestData(users: 16, sessionsPerUser: 8, tracks: 200, seed: 3)

    static func model(_ config: VAECFConfig = VAECFTestData.smallConfig()) throws -> VAECF {
        try VAECF(config: config, users: data.users, trackCount: data.tracks.count)
    }

    func temporaryURL(_ name: String) -> URL {
        TestScratch.url("vaecf-\(UUID().uuidString)-\(name)")
    }

    // MARK: The loss

    @Test func multinomialLikelihoodMatchesADirectComputationAndItsGradientIsSoftmaxTimesCountMinusCounts() throws {
        var random = SeededRandom(seed: 4)
        let (rows, width) = (3, 7)
        let logits = Tensor.normal([rows, width], standardDeviation: 3, using: &random)
        var counts = Tensor.zeros([rows, width])
        counts.withUnsafeMutableBufferPointer { x in
            for i in x.indices where i % 3 != 1 { x[i] = Float(i % 4) }
        }
        let tape = Tape()
        let variable = tape.variable(logits)
        let nll = VAECF.multinomialNLL(logits: variable, counts: counts)
        tape.backward(nll)
        let gradient = tape.gradient(of: variable)
        var expected = 0.0
        for r in 0..<rows {
            let row = (0..<width).map { Double(logits.scalars[r * width + $0]) }
            let x = (0..<width).map { Double(counts.scalars[r * width + $0]) }
            let m = row.max() ?? 0
            let logSumExp = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
            let n = x.reduce(0, +)
            for i in 0..<width {
                expected -= x[i] * (row[i] - logSumExp) / Double(rows)
                // ∂/∂ℓᵢ = (n·softmaxᵢ − xᵢ) / rows.
                let analytic = (n * Foundation.exp(row[i] - logSumExp) - x[i]) / Double(rows)
                #expect(abs(Double(gradient.scalars[r * width + i]) - analytic) < 1e-5, "row \(r) item \(i)")
            }
        }
        #expect(abs(Double(nll.value.scalar) - expected) < 1e-4 * max(1, abs(expected)))
        // Far-apart logits: a plain log(softmax) would give log 0 = −∞ here; the shifted form stays finite.
        let extreme = Tape()
        let wide = extreme.variable(Tensor(shape: [1, 3], scalars: [0, -200, 300]))
        let loss = VAECF.multinomialNLL(logits: wide, counts: Tensor(shape: [1, 3], scalars: [1, 1, 0]))
        extreme.backward(loss)
        #expect(loss.value.scalar.isFinite && abs(loss.value.scalar - 800) < 1e-2)
        #expect(extreme.gradient(of: wide).isFinite)
    }

    @Test func fullLossGradientMatchesFiniteDifferences() throws {
        // Tiny sizes; dropout and the reparameterisation draw from the tape's seed, so every
        // evaluation of the objective sees the same mask and noise.
        let config = VAECFConfig(hidden: 5, latent: 3, dropout: 0.5, betaMax: 0.2, annealingSteps: 0, maxCatalogue: 12, seed: 3)
        let model = try Self.model(config)
        var random = SeededRandom(seed: 9)
        for (name, parameter) in model.namedParameters where name.hasSuffix("bias") {
            parameter.value = Tensor(
                shape: parameter.value.shape,
                scalars: parameter.value.scalars.map { $0 + Float.random(in: -0.2...0.2, using: &random) })
        }
        let bags = VAECFBags(users: Self.data.users, split: TimeSplit(), catalogue: model.catalogue)
        let counts = bags.counts(Array(0..<4), items: model.catalogue.count)
        func loss(_ tape: Tape) -> Variable { model.loss(counts: counts, tape: tape, beta: 0.2).total }
        // The same dropout mask and noise on every evaluation (seed 17).
        let checked = ParameterGradientCheck.check(
            model, tape: Tape(isTraining: true, seed: 17), evaluationTape: { Tape(isTraining: true, seed: 17) },
            samplesPerParameter: 5, epsilons: [1e-2], absolute: 2e-2, loss: loss)
        #expect(checked > 25)
    }

    @Test func betaGrowsLinearlyToItsCapThenStays() {
        let config = VAECFConfig(betaMax: 0.2, annealingSteps: 100)
        #expect(config.beta(step: 0) == 0)
        #expect(abs(config.beta(step: 50) - 0.1) < 1e-6)
        #expect(config.beta(step: 100) == 0.2 && config.beta(step: 10_000) == 0.2)
        #expect(VAECFConfig(betaMax: 0.3, annealingSteps: 0).beta(step: 0) == 0.3)
    }

    // MARK: Catalogue and fold-in

    @Test func theCatalogueHoldsTheMostPlayedTrainingTracksOnlyUpToItsCap() throws {
        let data = Self.data
        let split = TimeSplit()
        let full = try VAECFCatalogue.build(users: data.users, split: split, trackCount: data.tracks.count, maximumSize: 100_000)
        var trainPlays = [Int](repeating: 0, count: data.tracks.count)
        for sessions in data.users {
            for session in sessions[split.range(.train, of: sessions)] { for play in session.plays { trainPlays[Int(play.track)] += 1 } }
        }
        #expect(Set(full.tracks.map(Int.init)) == Set(trainPlays.indices.filter { trainPlays[$0] > 0 }))
        #expect(zip(full.tracks, full.tracks.dropFirst()).allSatisfy { trainPlays[Int($0)] >= trainPlays[Int($1)] })
        let capped = try VAECFCatalogue.build(users: data.users, split: split, trackCount: data.tracks.count, maximumSize: 10)
        #expect(capped.tracks == Array(full.tracks.prefix(10)))
        // A track played only in validation or test sessions is not in the catalogue.
        let heldOut = Set(data.users.flatMap { s in s[split.range(.validation, of: s).lowerBound...].flatMap(\.plays).map(\.track) })
        for track in heldOut where trainPlays[Int(track)] == 0 { #expect(full.item(track) == nil) }
        #expect(throws: VAECFError.self) { try VAECFCatalogue(tracks: [3, 3], trackCount: 10) }
        #expect(throws: VAECFError.self) { try VAECFCatalogue(tracks: [10], trackCount: 10) }
    }

    @Test func incrementalFoldInEqualsTheDenseNormalisedBagTimesTheFirstLayer() throws {
        let model = try Self.model()
        let plays = Self.data.users[0].flatMap(\.plays)
        var state = VAECFFoldIn(hidden: model.config.hidden)
        var counts = [Float](repeating: 0, count: model.catalogue.count)
        for play in plays {
            state.add(play.track, model: model)
            if let item = model.catalogue.item(play.track) { counts[item] += 1 }
        }
        var incremental: [Float] = []
        state.appendInput(to: &incremental)
        let tape = Tape(isTraining: false)
        let normalised = VAECF.l2NormalisedRows(Tensor(shape: [1, counts.count], scalars: counts))
        let dense = tape.constant(normalised).matmul(tape.parameter(model.inputWeight)).value.scalars
        #expect(zip(incremental, dense).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(state.plays == Int(counts.reduce(0, +)))
    }

    @Test func perPlayPredictionsUseOnlyEarlierPlaysAndMatchSingleQueries() throws {
        let model = try Self.model()
        let bound = try VAECFUserModel(model: model, tracks: Self.data.tracks)
        let sessions = Self.data.users[1]
        let targets = (sessions.count - 2)..<sessions.count
        let batched = bound.predictNextTracks(sessions: sessions, targets: targets)
        #expect(batched.count == sessions[targets].reduce(0) { $0 + $1.plays.count })
        // The first play of the first target session is predicted from the sessions before it alone.
        let single = bound.predict(history: sessions[..<targets.lowerBound], context: .unknown, time: 0)
        #expect(zip(batched[0], single).allSatisfy { abs($0 - $1) < 1e-5 })
        // Changing a later play leaves every earlier prediction unchanged.
        var edited = sessions
        let lastSession = sessions.count - 1
        edited[lastSession].plays[edited[lastSession].plays.count - 1].track = model.catalogue.tracks[0]
        let after = bound.predictNextTracks(sessions: edited, targets: targets)
        #expect(Array(after.dropLast()) == Array(batched.dropLast()))
        let starts = bound.predictAll(sessions: sessions)
        #expect(starts.count == sessions.count)
        #expect(zip(starts[targets.lowerBound], batched[0]).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func catalogueScoresAreLogProbabilitiesInTrackIdOrder() throws {
        let model = try VAECF(
            config: {
                var c = VAECFTestData.smallConfig()
                c.maxCatalogue = 50
                return c
            }(),
            users: Self.data.users, trackCount: Self.data.tracks.count)
        let bound = try VAECFUserModel(model: model, tracks: Self.data.tracks)
        let sessions = Self.data.users[2]
        let targets = (sessions.count - 1)..<sessions.count
        var rows = 0
        bound.nextTrackCatalogueScores(sessions: sessions, targets: targets) { row, scores in
            #expect(row == rows && scores.count == Self.data.tracks.count)
            rows += 1
            var total = 0.0
            for track in 0..<scores.count {
                if model.catalogue.item(Int32(track)) == nil {
                    #expect(scores[track] == -.infinity)
                } else {
                    total += exp(Double(scores[track]))
                }
            }
            #expect(abs(total - 1) < 1e-3)
        }
        #expect(rows == sessions[targets.lowerBound].plays.count)
        let starts = bound.sessionCatalogueScores(sessions: sessions, targets: targets)
        let firstPlay = Array(bound.nextTrackCatalogueScores(sessions: sessions, targets: targets).prefix(Self.data.tracks.count))
        // The first play of a session is scored from the same history as its start (BLAS may round a 1-row product differently).
        #expect(starts.count == firstPlay.count && zip(starts, firstPlay).allSatisfy { $0 == $1 || abs($0 - $1) < 1e-5 })
    }

    // MARK: Context, checkpoints, config

    @Test func predictionsReadNoContextField() throws {
        let bound = try VAECFUserModel(model: try Self.model(), tracks: Self.data.tracks)
        #expect(bound.contextFields.isEmpty && bound.name == "VAE-CF")
        let sessions = Self.data.users[3]
        let history = sessions[..<(sessions.count - 1)]
        let base = bound.predict(history: history, context: sessions.last?.context ?? .unknown, time: 1_000)
        var other = sessions.last?.context ?? .unknown
        other.hour = (max(other.hour, 0) + 7) % 24
        other.weekday = (max(other.weekday, 0) + 3) % 7
        other.device += 1
        other.source += 2
        #expect(bound.predict(history: history, context: other, time: 9_999_999) == base)
        #expect(bound.predict(history: history, context: .unknown, time: 0) == base)
    }

    @Test func saveThenLoadGivesIdenticalPredictionsAndForeignFilesAreRefused() throws {
        let data = Self.data
        let model = try Self.model()
        try model.train(users: data.users, tracks: data.tracks, options: TrainingOptions(learningRate: 1e-3, batchSize: 4, maxEpochs: 1))
        let url = temporaryURL("model.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let loaded = try VAECF.load(from: url)
        #expect(loaded.config == model.config && loaded.catalogue == model.catalogue)
        #expect(loaded.stateDictionary() == model.stateDictionary())
        let a = try VAECFUserModel(model: model, tracks: data.tracks), b = try VAECFUserModel(model: loaded, tracks: data.tracks)
        let user = data.users[0]
        #expect(
            a.predictNextTracks(sessions: user, targets: 0..<user.count) == b.predictNextTracks(sessions: user, targets: 0..<user.count))
        #expect(
            a.sessionCatalogueScores(sessions: user, targets: 0..<user.count)
                == b.sessionCatalogueScores(sessions: user, targets: 0..<user.count))

        // Another model's file, a file without the catalogue, a truncated file.
        let foreign = temporaryURL("foreign.safetensors"), damaged = temporaryURL("damaged.safetensors")
        defer { for u in [foreign, damaged] { try? FileManager.default.removeItem(at: u) } }
        var file = try SafetensorsFile(contentsOf: url)
        file.metadata["model"] = "FS-VAE"
        try file.write(to: foreign)
        #expect(throws: VAECFError.self) { try VAECF.load(from: foreign) }
        file.metadata["model"] = "VAE-CF"
        file.tensors[VAECF.catalogueKey] = nil
        try file.write(to: foreign)
        #expect(throws: VAECFError.self) { try VAECF.load(from: foreign) }
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: damaged)
        #expect(throws: (any Error).self) { try VAECF.load(from: damaged) }
        // Bound to another track table: refused.
        let smaller = TrackVectors(dimension: data.tracks.dimension, values: Array(data.tracks.values.prefix(data.tracks.dimension * 10)))
        #expect(throws: VAECFError.self) { try VAECFUserModel(model: loaded, tracks: smaller) }
        // Non-finite weights are never written.
        model.decoderOutput.bias?.value.withUnsafeMutableBufferPointer { $0[0] = .nan }
        #expect(throws: NonFiniteError.self) { try model.save(to: temporaryURL("nan.safetensors")) }
    }

    @Test func resumingFromACheckpointEndsLikeAnUninterruptedRun() throws {
        let data = Self.data
        let options = TrainingOptions(learningRate: 1e-3, batchSize: 4, maxEpochs: 4, patience: 10, seed: 5)
        let straight = try Self.model()
        let straightResult = try straight.train(users: data.users, tracks: data.tracks, options: options)
        #expect(straightResult.state.epoch == 4)

        let url = temporaryURL("run.training.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var firstHalf = options
        firstHalf.maxEpochs = 2
        try Self.model().train(users: data.users, tracks: data.tracks, options: firstHalf, checkpoint: url)
        #expect(try TrainingCheckpoint(contentsOf: url).state.epoch == 2)
        let resumed = try Self.model()
        var epochsSeen = Set<Int>()
        let resumedResult = try resumed.train(
            users: data.users, tracks: data.tracks, options: options, checkpoint: url, resume: true,
            progress: { epochsSeen.insert($0.epoch) })
        #expect(epochsSeen == [3, 4])
        #expect(resumedResult.state.step == straightResult.state.step)
        #expect(resumedResult.state.history.map(\.trainLoss) == straightResult.state.history.map(\.trainLoss))
        #expect(resumedResult.state.history.map(\.validationLoss) == straightResult.state.history.map(\.validationLoss))
        #expect(resumed.stateDictionary() == straight.stateDictionary())
        #expect(resumedResult.state.history.allSatisfy { $0.metrics?["kl"] != nil && $0.metrics?["nll"] != nil })

        // A checkpoint of another configuration is refused.
        var otherConfig = VAECFTestData.smallConfig()
        otherConfig.hidden = 32
        #expect(throws: TrainingError.self) {
            try Self.model(otherConfig).train(users: data.users, tracks: data.tracks, options: options, checkpoint: url, resume: true)
        }
    }

    @Test func trainingLowersTheValidationLoss() throws {
        let data = Self.data
        let model = try Self.model()
        let before = model.loss(users: data.users, part: .validation)
        let result = try model.train(
            users: data.users, tracks: data.tracks,
            options: TrainingOptions(learningRate: 3e-3, batchSize: 4, maxEpochs: 8, patience: 8, seed: 2))
        let after = model.loss(users: data.users, part: .validation)
        #expect(before.sessions > 0 && after.sessions == before.sessions)
        #expect(after.loss < before.loss - 0.1, "validation NLL per play \(before.loss) → \(after.loss)")
        #expect(result.bestValidationLoss == after.loss)
    }

    @Test func badConfigsThrowOneLineErrors() throws {
        let bad: [VAECFConfig] = [
            VAECFConfig(hidden: 0), VAECFConfig(latent: 0), VAECFConfig(dropout: 1), VAECFConfig(dropout: -0.1),
            VAECFConfig(betaMax: -1), VAECFConfig(betaMax: .nan), VAECFConfig(annealingSteps: -1), VAECFConfig(maxCatalogue: 0),
        ]
        for config in bad {
            do {
                _ = try Self.model(config)
                Issue.record("accepted \(config)")
            } catch let error as ConfigurationError {
                #expect(!error.description.contains("\n") && error.description.hasPrefix("invalid VAE-CF config: "))
            }
        }
        var tiny = VAECFTestData.smallConfig()
        tiny.maxCatalogue = 5
        let model = try Self.model(tiny)
        let outside = try #require((0..<Int32(Self.data.tracks.count)).first { model.catalogue.item($0) == nil })
        let strangers = [[Session(user: 0, start: 0, context: .unknown, plays: [Play(track: outside, time: 0, skip: .played)])]]
        #expect(throws: VAECFError.noTrainingData) {
            try model.train(users: strangers, tracks: Self.data.tracks, options: TrainingOptions(maxEpochs: 1))
        }
    }
}
