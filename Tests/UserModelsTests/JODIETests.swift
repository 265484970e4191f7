import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// JODIE's gradients, the agreement of its training and prediction paths, t-batches, checkpoints,
/// resume, context honesty and config validation, on tiny synthetic data.
@Suite struct JODIETests {
    static let data = FSVAETestData.make(users: 12, sessionsPerUser: 8, tracks: 200, seed: 3)

    static func config(size: Int = 8, seed: UInt64 = 5) -> JODIEConfig {
        JODIEConfig(
            dynamicSize: size, deviceCount: SyntheticGenerator.deviceNames.count,
            sourceCount: SyntheticGenerator.sourceNames.count, spanInteractions: 128, seed: seed)
    }

    static let options = TrainingOptions(learningRate: 3e-3, maxEpochs: 4, patience: 10, seed: 9)

    func temporaryURL(_ name: String) -> URL {
        TestScratch.url("jodie-\(UUID().uuidString)-\(name)")
    }

    /// `tensor` with `delta` added to one element.
    static func perturbed(_ tensor: Tensor, _ element: Int, _ delta: Float) -> Tensor {
        var scalars = tensor.scalars
        scalars[element] += delta
        return Tensor(shape: tensor.shape, scalars: scalars)
    }

    /// Central differences of `objective` against `analytic` for a few elements of `parameter`;
    /// returns how many elements had a non-negligible gradient.
    static func check(_ name: String, _ parameter: Parameter, analytic: Tensor, objective: () -> Double) -> Int {
        let original = parameter.value
        var nonZero = 0
        for element in stride(from: 0, to: original.count, by: max(1, original.count / 6)) {
            let a = Double(analytic.scalars[element])
            func numeric(_ epsilon: Float) -> Double {
                let plus = Self.perturbed(original, element, epsilon), minus = Self.perturbed(original, element, -epsilon)
                parameter.value = plus
                let up = objective()
                parameter.value = minus
                let down = objective()
                parameter.value = original
                return (up - down) / (2 * Double(epsilon))
            }
            func agrees(_ n: Double) -> Bool { abs(a - n) <= 2e-5 + 2e-2 * max(abs(a), abs(n)) }
            let coarse = numeric(1e-3)
            let passed = agrees(coarse) || agrees(numeric(3e-3))
            #expect(passed, "\(name)[\(element)]: analytic \(a), numeric \(coarse)")
            if abs(a) > 1e-5 { nonZero += 1 }
        }
        return nonZero
    }

    @Test func timeProjectionGradientMatchesFiniteDifferences() throws {
        var random = SeededRandom(seed: 4)
        let projection = JODIETimeProjection(size: 5, scale: 0.5, random: &random)
        let state = Tensor.uniform([3, 5], low: -1, high: 1, using: &random)
        let gap = Tensor(shape: [3, 1], scalars: [0.1, 0.5, 0.9])
        let weights = Tensor.uniform([3, 5], low: -1, high: 1, using: &random)
        // The projection is (1 + W_p·Δ) ∘ u: check its value too, not only its gradient.
        let tape0 = Tape(isTraining: false)
        let projected = projection(tape0.constant(state), gap: tape0.constant(gap)).value
        #expect(projected.shape == [3, 5])
        for r in 0..<3 {
            for j in 0..<5 {
                let expected = state.scalars[r * 5 + j] * (1 + projection.weight.value.scalars[j] * gap.scalars[r])
                #expect(abs(projected.scalars[r * 5 + j] - expected) < 1e-6)
            }
        }
        func objective(_ u: Tensor, _ g: Tensor) -> (Tape, Variable, Variable, Variable) {
            let tape = Tape()
            let uv = tape.variable(u), gv = tape.variable(g)
            return (tape, uv, gv, (projection(uv, gap: gv) * tape.constant(weights)).sum())
        }
        projection.weight.zeroGradient()
        let (tape, uv, gv, loss) = objective(state, gap)
        tape.backward(loss)
        let nonZero = Self.check("W_p", projection.weight, analytic: projection.weight.gradient) {
            Double(objective(state, gap).3.value.scalar)
        }
        #expect(nonZero >= 3)
        // Gradients with respect to the state and the gap.
        for (input, gradient, name) in [(state, tape.gradient(of: uv), "u"), (gap, tape.gradient(of: gv), "Δ")] {
            for element in 0..<input.count {
                let plus = Self.perturbed(input, element, 1e-3), minus = Self.perturbed(input, element, -1e-3)
                let isState = name == "u"
                let up = Double(objective(isState ? plus : state, isState ? gap : plus).3.value.scalar)
                let down = Double(objective(isState ? minus : state, isState ? gap : minus).3.value.scalar)
                let numeric = (up - down) / 2e-3, analytic = Double(gradient.scalars[element])
                #expect(abs(numeric - analytic) <= 1e-4 + 1e-2 * abs(numeric), "\(name)[\(element)]: \(analytic) vs \(numeric)")
            }
        }
    }

    @Test func coupledUpdateAndSpanLossGradientsMatchFiniteDifferences() throws {
        let data = CoSeRNNTestData(users: 3, sessionsPerUser: 4, tracks: 60, seed: 5)
        let model = try JODIE(config: Self.config(size: 4, seed: 3), dimension: data.tracks.dimension)
        // A larger W_p so the projection's gradient is not negligible.
        model.projection.weight.value = Tensor(shape: [4, 1], scalars: [0.3, -0.2, 0.5, 0.1])
        let interactions = JODIEInteractions(users: data.users, split: TimeSplit())
        let spans = interactions.spans(length: 30)
        #expect(spans.count >= 2)
        // The second span starts from carried states, so both the carried and the initial rows are exercised.
        let carried = JODIEEpochState(userCount: interactions.userCount, itemCount: data.tracks.count, h: 4, d: model.dimension)
        _ = model.spanLoss(spans[0], data: interactions, tracks: data.tracks, state: carried, tape: Tape(isTraining: false))
        #expect(interactions.tBatches(spans[1]).count > 1)
        func loss(_ tape: Tape) -> Variable {
            model.spanLoss(spans[1], data: interactions, tracks: data.tracks, state: carried.copy(), tape: tape, detachTargets: false)
        }
        for parameter in model.parameters { parameter.zeroGradient() }
        let tape = Tape()
        tape.backward(loss(tape))
        var nonZero = 0
        for (name, parameter) in model.namedParameters {
            nonZero += Self.check(name, parameter, analytic: parameter.gradient) { Double(loss(Tape(isTraining: false)).value.scalar) }
        }
        #expect(nonZero > 25, "only \(nonZero) checked elements had a gradient")
        // With the paper's stop-gradients the RNN weights get a different (smaller) gradient: the check would notice a missing detach.
        for parameter in model.parameters { parameter.zeroGradient() }
        let detached = Tape()
        detached.backward(model.spanLoss(spans[1], data: interactions, tracks: data.tracks, state: carried.copy(), tape: detached))
        #expect(model.userRNN.weight.gradient != Tensor.zeros(model.userRNN.weight.shape))
        #expect(model.initialItem.gradient.scalars.contains { $0 != 0 }, "new items start from the learned initial state")
    }

    @Test func tapeTrainingPathAndPlainPredictionPathAgree() throws {
        let data = Self.data
        let model = try JODIE(config: Self.config(), dimension: data.tracks.dimension)
        model.projection.weight.value = Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) * 0.1 - 0.3 })
        let interactions = JODIEInteractions(users: data.users, split: TimeSplit())
        // One span over everything: t-batches reorder interactions but keep each user's and item's order,
        // so the final states equal a replay in time order.
        let state = JODIEEpochState(userCount: interactions.userCount, itemCount: data.tracks.count, h: 8, d: model.dimension)
        _ = model.spanLoss(0..<interactions.count, data: interactions, tracks: data.tracks, state: state, tape: Tape(isTraining: false))
        let replayed = model.replayItems(interactions, tracks: data.tracks)
        #expect(replayed.seen == state.items.seen)
        let largest = zip(replayed.states, state.items.states).map { abs($0 - $1) }.max() ?? 0
        #expect(largest < 1e-4, "item states differ by \(largest)")
        #expect(replayed.seen.filter { $0 }.count > 50)
        // The prediction head: the tape's prediction of one interaction equals the kernel's.
        let kernel = JODIEKernel(model)
        var random = SeededRandom(seed: 2)
        func row(_ n: Int) -> [Float] { (0..<n).map { _ in random.uniform(-1, 1) } }
        let (u, i, p) = (row(8), row(8), row(8))
        let (itemStatic, previousStatic, staticUser, features) = (
            row(model.dimension), row(model.dimension), row(model.dimension), row(model.config.featureWidth)
        )
        let tape = Tape(isTraining: false)
        func constant(_ values: [Float]) -> Variable { tape.constant(Tensor(shape: [1, values.count], scalars: values)) }
        let terms = model.interactionLoss(
            user: constant(u), item: constant(i), previous: constant(p), userGap: constant([0.4]), itemGap: constant([0.7]),
            itemStatic: constant(itemStatic), previousStatic: constant(previousStatic), staticUser: constant(staticUser),
            features: constant(features), mask: tape.constant(Tensor(shape: [1], scalars: [1])))
        let expected = kernel.predict(user: u, gap: 0.4, staticUser: staticUser, previous: p, previousStatic: previousStatic)
        #expect(zip(terms.prediction.value.scalars, expected).allSatisfy { abs($0 - $1) < 1e-5 })
        let newUser = kernel.userStep(user: u, item: i, itemStatic: itemStatic, features: features, gap: 0.4)
        #expect(zip(terms.newUser.value.scalars, newUser).allSatisfy { abs($0 - $1) < 1e-5 })
        let newItem = kernel.itemStep(item: i, user: u, features: features, gap: 0.7)
        #expect(zip(terms.newItem.value.scalars, newItem).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func tBatchesNeverRepeatAUserOrAnItemAndKeepEachOnesOrder() {
        let interactions = JODIEInteractions(users: Self.data.users, split: TimeSplit())
        #expect(zip(interactions.time, interactions.time.dropFirst()).allSatisfy { $0 <= $1 }, "merged in time order")
        for span in interactions.spans(length: 300) {
            let batches = interactions.tBatches(span)
            #expect(batches.flatMap { $0 }.sorted() == Array(span))
            var userLast: [Int32: Int] = [:], itemLast: [Int32: Int] = [:]
            for batch in batches {
                #expect(Set(batch.map { interactions.user[$0] }).count == batch.count)
                #expect(Set(batch.map { interactions.track[$0] }).count == batch.count)
                for k in batch {
                    #expect((userLast[interactions.user[k]] ?? -1) < k && (itemLast[interactions.track[k]] ?? -1) < k)
                    userLast[interactions.user[k]] = k
                    itemLast[interactions.track[k]] = k
                }
            }
        }
    }

    @Test func savedAndLoadedModelsPredictTheSameAndForeignFilesAreRejected() throws {
        let data = Self.data
        let model = try JODIE(config: Self.config(), dimension: data.tracks.dimension)
        var options = Self.options
        options.maxEpochs = 1
        try model.train(users: data.users, tracks: data.tracks, options: options)
        let url = temporaryURL("model.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let loaded = try JODIE.load(from: url)
        #expect(loaded.config == model.config && loaded.frozenItems == model.frozenItems)
        #expect(loaded.frozenItems.seen.contains(true))
        let a = try JODIEUserModel(model: model, tracks: data.tracks), b = try JODIEUserModel(model: loaded, tracks: data.tracks)
        for sessions in data.users.prefix(3) {
            #expect(a.predictNextTracks(sessions: sessions, targets: 5..<8) == b.predictNextTracks(sessions: sessions, targets: 5..<8))
            #expect(a.predictAll(sessions: sessions) == b.predictAll(sessions: sessions))
        }
        // Another model's checkpoint.
        let foreign = temporaryURL("fsvae.safetensors")
        defer { try? FileManager.default.removeItem(at: foreign) }
        try FSVAE(config: FSVAETestData.smallConfig(), dimension: data.tracks.dimension).save(to: foreign)
        let error = #expect(throws: JODIEError.self) { try JODIE.load(from: foreign) }
        #expect(error?.description.contains("'FS-VAE'") == true)
        // A damaged file.
        let damaged = temporaryURL("damaged.safetensors")
        defer { try? FileManager.default.removeItem(at: damaged) }
        try Data(try Data(contentsOf: url).prefix(200)).write(to: damaged)
        #expect(throws: (any Error).self) { try JODIE.load(from: damaged) }
        // Non-finite weights are never written.
        model.predictor.weight.value = Self.perturbed(model.predictor.weight.value, 0, .nan)
        #expect(throws: (any Error).self) { try model.save(to: self.temporaryURL("nan.safetensors")) }
    }

    @Test func resumingFromACheckpointEndsLikeAnUninterruptedRun() throws {
        let data = Self.data
        let straight = try JODIE(config: Self.config(), dimension: data.tracks.dimension)
        let straightResult = try straight.train(users: data.users, tracks: data.tracks, options: Self.options)
        #expect(straightResult.state.epoch == 4)
        let url = temporaryURL("run.training.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var half = Self.options
        half.maxEpochs = 2
        try JODIE(config: Self.config(), dimension: data.tracks.dimension)
            .train(users: data.users, tracks: data.tracks, options: half, checkpoint: url)
        let resumed = try JODIE(config: Self.config(), dimension: data.tracks.dimension)
        var epochs: [Int] = []
        let result = try resumed.train(users: data.users, tracks: data.tracks, options: Self.options, checkpoint: url, resume: true) {
            if $0.phase == .epochEnd { epochs.append($0.epoch) }
        }
        #expect(epochs == [3, 4])
        #expect(result.state.step == straightResult.state.step)
        #expect(result.state.history.map(\.trainLoss) == straightResult.state.history.map(\.trainLoss))
        #expect(result.state.history.map(\.validationLoss) == straightResult.state.history.map(\.validationLoss))
        #expect(resumed.stateDictionary() == straight.stateDictionary())
        #expect(resumed.frozenItems == straight.frozenItems)
        // Training moved the weights and lowered the validation loss.
        let losses = straightResult.state.history.map(\.validationLoss)
        #expect(losses.min() ?? .nan < losses[0], "validation \(losses)")
        // A checkpoint of another config is refused.
        var other = Self.config()
        other.dynamicSize = 6
        #expect(throws: TrainingError.self) {
            try JODIE(config: other, dimension: data.tracks.dimension)
                .train(users: data.users, tracks: data.tracks, options: Self.options, checkpoint: url, resume: true)
        }
    }

    @Test func theSessionContextIsNotReadButPastContextsAreFeatures() throws {
        let data = Self.data
        let model = try JODIE(config: Self.config(), dimension: data.tracks.dimension)
        var options = Self.options
        options.maxEpochs = 1
        try model.train(users: data.users, tracks: data.tracks, options: options)
        let user = try JODIEUserModel(model: model, tracks: data.tracks)
        #expect(user.contextFields.isEmpty)
        let sessions = data.users[0]
        let history = sessions[0..<5], target = sessions[5]
        let base = user.predict(history: history, context: target.context, time: target.start)
        for edited in [
            SessionContext(hour: 3, weekday: 6, device: 4, source: 5), .unknown, SessionContext(hour: 15, weekday: 0, device: 0, source: 0),
        ] {
            #expect(user.predict(history: history, context: edited, time: target.start) == base)
        }
        #expect(user.predictAll(sessions: Array(sessions[0...5]))[5] == base, "one pass equals the per-session prediction")
        // A past session's device is an interaction feature: editing it moves the prediction.
        var edited = Array(history)
        edited[4].context.device = (edited[4].context.device + 1) % Int16(SyntheticGenerator.deviceNames.count)
        #expect(user.predict(history: edited[...], context: target.context, time: target.start) != base)
        // The time gap is read through the projection.
        #expect(user.predict(history: history, context: target.context, time: target.start + 86_400 * 30) != base)
    }

    @Test func badConfigsThrowOneLineErrors() {
        var configs: [JODIEConfig] = []
        var c = Self.config()
        c.dynamicSize = 0
        configs.append(c)
        c = Self.config()
        c.deviceCount = -1
        configs.append(c)
        c = Self.config()
        c.userDriftWeight = -1
        configs.append(c)
        c = Self.config()
        c.itemDriftWeight = .nan
        configs.append(c)
        c = Self.config()
        c.spanInteractions = 0
        configs.append(c)
        c = Self.config()
        c.projectionInitScale = .infinity
        configs.append(c)
        for config in configs {
            let error = #expect(throws: ConfigurationError.self) { try JODIE(config: config, dimension: 16) }
            #expect(error?.description.contains("\n") == false)
            #expect(error?.description.hasPrefix("invalid JODIE config: ") == true)
        }
        #expect(throws: ConfigurationError.self) { try JODIE(config: Self.config(), dimension: 0) }
        #expect(throws: JODIEError.self) {
            try JODIE(config: Self.config(), dimension: 7).train(users: Self.data.users, tracks: Self.data.tracks)
        }
    }
}
