import Foundation
import Listening
import Tensor
import TestSupport
import Testing

@testable import UserModels

/// LatentCross's gate gradients, config errors, checkpoints, resume, prediction paths and context honesty.
@Suite struct LatentCrossTests {
    static let data = CoSeRNNTestData(users: 30, sessionsPerUser: 10, tracks: 300, seed: 23)

    func config(hidden: Int = 8, dense: Int = 6, seed: UInt64 = 5) -> LatentCrossConfig {
        LatentCrossConfig(
            hiddenSize: hidden, denseSize: dense, deviceCount: Self.data.generator.vocabulary.devices.count,
            sourceCount: Self.data.generator.vocabulary.sources.count, windowLength: 24, warmUpLength: 8, seed: seed)
    }

    func folder() throws -> URL {
        let url = TestScratch.url("latentcross-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func close(_ a: [[Float]], _ b: [[Float]], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= tolerance } }
    }

    func set(_ tensor: inout Tensor, _ element: Int, _ value: Float) {
        tensor.withUnsafeMutableBufferPointer { $0[element] = value }
    }

    /// Central finite differences of Σ f(·) ⊙ R (accumulated in Double) against the tape's gradient.
    func checkGradient(_ name: String, values: inout Tensor, analytic: Tensor, epsilon: Float = 1e-2, objective: (Tensor) -> Double) -> Int
    {
        var checked = 0
        for element in stride(from: 0, to: values.count, by: max(1, values.count / 40)) {
            let original = values.scalars[element]
            set(&values, element, original + epsilon)
            let plus = objective(values)
            set(&values, element, original - epsilon)
            let minus = objective(values)
            set(&values, element, original)
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let exact = Double(analytic.scalars[element])
            #expect(
                abs(exact - numeric) <= 1e-3 + 1e-2 * max(abs(exact), abs(numeric)),
                "\(name)[\(element)]: analytic \(exact), numeric \(numeric)")
            checked += 1
        }
        return checked
    }

    @Test func gateGradientMatchesFiniteDifferences() throws {
        let config = config()
        let fields: [LatentCrossField] = [.hour, .weekday, .device, .source]
        var random = SeededRandom(seed: 4)
        let gate = LatentCrossGate(fields: fields, config: config, width: 5, random: &random)
        // Larger embeddings than the initial ±0.05, so the product term matters in the check.
        for table in gate.tables { table.value = .uniform(table.shape, low: -1, high: 1, using: &random) }
        let rows = 7
        // Repeated rows (and the unknown row 0) so the scatter-add of repeated indices is checked too.
        let indices = fields.enumerated().map { f, field in (0..<rows).map { ($0 * 3 + f) % min(5, field.rows(config: config)) } }
        var input = Tensor.uniform([rows, 5], low: -2, high: 2, using: &random)
        let weights = Tensor.uniform([rows, 5], low: -1, high: 1, using: &random)
        func objective(_ x: Tensor) -> Double {
            let out = gate(Tape(isTraining: false).constant(x), indices: indices).value
            return zip(out.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        for table in gate.tables { table.zeroGradient() }
        let tape = Tape()
        let x = tape.variable(input)
        tape.backward((gate(x, indices: indices) * tape.constant(weights)).sum())
        var checked = checkGradient("input", values: &input, analytic: tape.gradient(of: x), objective: objective)
        // The forward value: (1 + Σ_f E_f[i_f]) ∘ x, by hand.
        let out = gate(Tape(isTraining: false).constant(input), indices: indices).value
        for r in 0..<rows {
            for j in 0..<5 {
                let w = zip(gate.tables, indices).reduce(Float(0)) { $0 + $1.0.value.scalars[$1.1[r] * 5 + j] }
                #expect(abs(out.scalars[r * 5 + j] - (1 + w) * input.scalars[r * 5 + j]) < 1e-5)
            }
        }
        for (f, table) in gate.tables.enumerated() {
            var values = table.value
            checked += checkGradient("table \(fields[f])", values: &values, analytic: table.gradient) { perturbed in
                let saved = table.value
                table.value = perturbed
                defer { table.value = saved }
                return objective(input)
            }
        }
        #expect(checked > 100)
    }

    @Test func fullLossGradientMatchesFiniteDifferences() throws {
        let data = Self.data
        let model = try LatentCross(config: config(hidden: 5, dense: 4), dimension: data.tracks.dimension)
        // Generic point: non-zero biases keep ReLUs off their kinks; larger embeddings make the crosses matter.
        var random = SeededRandom(seed: 9)
        for (name, parameter) in model.namedParameters where name.hasSuffix("bias") || name.hasSuffix("embedding") {
            parameter.value = .uniform(parameter.shape, low: -0.3, high: 0.3, using: &random)
        }
        let sequences = data.users.prefix(3).map { LatentCrossSequence(sessions: $0.prefix(3)) }
        let windows = sequences.indices.map {
            LatentCrossWindow(sequence: $0, steps: 0..<sequences[$0].count, scored: 2..<sequences[$0].count)
        }
        let batch = model.batch(windows, sequences: sequences, tracks: data.tracks)
        let checked = ParameterGradientCheck.check(model) { model.loss(batch, tape: $0) }
        #expect(model.namedParameters.contains { $0.name == "cross.input.hour.embedding" })
        #expect(model.namedParameters.contains { $0.name == "cross.output.source.embedding" })
        #expect(checked > 50)
    }

    @Test func badConfigsThrowOneLineErrors() throws {
        var bad: [LatentCrossConfig] = []
        var c = config()
        c.hiddenSize = 0
        bad.append(c)
        c = config()
        c.windowLength = 0
        bad.append(c)
        c = config()
        c.windowsPerEpoch = 0
        bad.append(c)
        c = config()
        c.deviceCount = -1
        bad.append(c)
        c = LatentCrossConfig(hourField: .none, useWeekday: false, deviceCount: 0, sourceCount: 0)
        bad.append(c)
        for config in bad {
            do {
                _ = try LatentCross(config: config, dimension: 8)
                Issue.record("accepted \(config)")
            } catch let error as ConfigurationError {
                #expect(!error.description.contains("\n"))
                #expect(error.description.hasPrefix("invalid LatentCross config: "))
            }
        }
        #expect(throws: ConfigurationError.self) { try LatentCross(config: config(), dimension: 0) }
        // Without crosses no field is needed, and none is read.
        let plain = try LatentCross(
            config: LatentCrossConfig(
                hourField: .none, useWeekday: false, deviceCount: 0, sourceCount: 0,
                crossInput: false, crossOutput: false), dimension: 8)
        #expect(plain.contextFields.isEmpty)
    }

    @Test func saveThenLoadGivesIdenticalPredictionsAndForeignFilesAreRefused() throws {
        let data = Self.data
        let model = try LatentCross(config: config(), dimension: data.tracks.dimension)
        try model.train(users: data.users, tracks: data.tracks, options: TrainingOptions(learningRate: 1e-2, batchSize: 8, maxEpochs: 1))
        let dir = try folder()
        let url = dir.appendingPathComponent("model.safetensors")
        try model.save(to: url)
        let loaded = try LatentCross.load(from: url)
        #expect(loaded.config == model.config)
        let a = try LatentCrossUserModel(model: model, tracks: data.tracks),
            b = try LatentCrossUserModel(model: loaded, tracks: data.tracks)
        for sessions in data.users.prefix(4) {
            #expect(a.predictAll(sessions: sessions) == b.predictAll(sessions: sessions))
            #expect(a.predictNextTracks(sessions: sessions, targets: 8..<10) == b.predictNextTracks(sessions: sessions, targets: 8..<10))
        }
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata["model"] == "LatentCross")
        #expect(file.metadata["dimension"] == String(data.tracks.dimension))
        // Another model's file, a file without config, and a damaged file are refused with a clear error.
        let foreign = dir.appendingPathComponent("fsvae.safetensors")
        try FSVAE(config: FSVAEConfig(sequentialHidden: 4, slowHidden: 4, latent: 2, decoderHidden: 4), dimension: 4).save(to: foreign)
        #expect(throws: LatentCrossError.badCheckpoint("its model is 'FS-VAE'")) { try LatentCross.load(from: foreign) }
        let noConfig = dir.appendingPathComponent("noconfig.safetensors")
        try SafetensorsFile(tensors: model.stateDictionary(), metadata: ["model": "LatentCross", "dimension": "16"]).write(to: noConfig)
        #expect(throws: LatentCrossError.badCheckpoint("no 'latentcross_config' metadata")) { try LatentCross.load(from: noConfig) }
        var tensors = model.stateDictionary()
        tensors["gru.weight_hh"] = nil
        let missing = dir.appendingPathComponent("missing.safetensors")
        try SafetensorsFile(tensors: tensors, metadata: file.metadata).write(to: missing)
        #expect(throws: LatentCrossError.self) { try LatentCross.load(from: missing) }
        let damaged = dir.appendingPathComponent("damaged.safetensors")
        try Data(try Data(contentsOf: url).prefix(100)).write(to: damaged)
        #expect(throws: (any Error).self) { try LatentCross.load(from: damaged) }
        // Non-finite weights are never written.
        set(&model.output.weight.value, 0, .nan)
        #expect(throws: (any Error).self) { try model.save(to: dir.appendingPathComponent("nan.safetensors")) }
    }

    @Test func resumingFromACheckpointEndsWithTheSameWeights() throws {
        let data = Self.data
        var config = config()
        config.windowsPerEpoch = 30
        let options = TrainingOptions(learningRate: 5e-3, batchSize: 8, maxEpochs: 4, patience: 10, seed: 3)
        let straight = try LatentCross(config: config, dimension: data.tracks.dimension)
        let straightResult = try straight.train(users: data.users, tracks: data.tracks, options: options)
        let url = try folder().appendingPathComponent("run.checkpoint.safetensors")
        var firstHalf = options
        firstHalf.maxEpochs = 2
        try LatentCross(config: config, dimension: data.tracks.dimension)
            .train(users: data.users, tracks: data.tracks, options: firstHalf, checkpoint: url)
        #expect(try TrainingCheckpoint(contentsOf: url).state.epoch == 2)
        let resumed = try LatentCross(config: config, dimension: data.tracks.dimension)
        let resumedResult = try resumed.train(users: data.users, tracks: data.tracks, options: options, checkpoint: url, resume: true)
        #expect(resumedResult.state.epoch == 4 && resumedResult.state.step == straightResult.state.step)
        #expect(resumedResult.state.history.map(\.validationLoss) == straightResult.state.history.map(\.validationLoss))
        #expect(resumed.stateDictionary() == straight.stateDictionary())
        // A checkpoint of another configuration is refused.
        let other = try LatentCross(config: self.config(hidden: 9), dimension: data.tracks.dimension)
        #expect(throws: TrainingError.self) {
            try other.train(users: data.users, tracks: data.tracks, options: options, checkpoint: url, resume: true)
        }
    }

    @Test func onePassPredictionsEqualThePerQueryOnes() throws {
        let data = Self.data
        let model = try LatentCross(config: config(), dimension: data.tracks.dimension)
        try model.train(users: data.users, tracks: data.tracks, options: TrainingOptions(learningRate: 1e-2, batchSize: 8, maxEpochs: 1))
        let user = try LatentCrossUserModel(model: model, tracks: data.tracks)
        let sessions = data.users[3]
        let all = user.predictAll(sessions: sessions)
        let single = sessions.indices.map {
            user.predict(history: sessions[0..<$0], context: sessions[$0].context, time: sessions[$0].start)
        }
        #expect(close(all, single, tolerance: 1e-4))
        // Next-track: each play of sessions 7…9 from the history and the session's earlier plays.
        let next = user.predictNextTracks(sessions: sessions, targets: 7..<10)
        var slow: [[Float]] = []
        for s in 7..<10 {
            for (i, play) in sessions[s].plays.enumerated() {
                slow.append(
                    model.predictNextTrack(
                        history: sessions[0..<s], current: Array(sessions[s].plays[0..<i]),
                        context: sessions[s].context, time: play.time, tracks: data.tracks))
            }
        }
        #expect(close(next, slow, tolerance: 1e-4))
        // The session-start prediction is the first play's next-track prediction.
        #expect(close([all[7]], [next[0]], tolerance: 1e-4))
    }

    @Test func contextFieldsAreExactlyTheFieldsRead() throws {
        let data = Self.data
        var daypartOnly = config()
        daypartOnly.hourField = .daypart
        daypartOnly.useWeekday = false
        daypartOnly.sourceCount = 0
        let variants: [(LatentCrossConfig, Set<ContextField>)] = [
            (config(), [.hour, .weekday, .device, .source]),
            (daypartOnly, [.daypart, .device]),
            (config().withoutContext(), []),
        ]
        let sessions = data.users[5]
        for (config, fields) in variants {
            let model = try LatentCross(config: config, dimension: data.tracks.dimension)
            // Trained embeddings are not needed: random ones already make every read field matter.
            var random = SeededRandom(seed: 2)
            for (name, parameter) in model.namedParameters where name.hasSuffix("embedding") {
                parameter.value = .uniform(parameter.shape, low: -1, high: 1, using: &random)
            }
            let user = try LatentCrossUserModel(model: model, tracks: data.tracks)
            #expect(user.contextFields == fields)
            let history = sessions[0..<6], base = sessions[6].context, time = sessions[6].start
            let reference = user.predict(history: history, context: base, time: time)
            func edited(_ change: (inout SessionContext) -> Void) -> [Float] {
                var context = base
                change(&context)
                return user.predict(history: history, context: context, time: time)
            }
            // An hour in the same daypart changes only models that read the hour; one in another daypart, both kinds.
            let daypart = Daypart(hour: Int(base.hour))
            let sameDaypartHour = try #require((0..<24).first { $0 != Int(base.hour) && Daypart(hour: $0) == daypart })
            let otherDaypartHour = try #require((0..<24).first { Daypart(hour: $0) != daypart })
            let edits: [(ContextField, [Float])] = [
                (.hour, edited { $0.hour = Int8(sameDaypartHour) }),
                (.daypart, edited { $0.hour = Int8(otherDaypartHour) }),
                (.weekday, edited { $0.weekday = ($0.weekday + 1) % 7 }),
                (.device, edited { $0.device = ($0.device + 1) % 5 }),
                (.source, edited { $0.source = ($0.source + 1) % 6 }),
            ]
            for (field, prediction) in edits {
                let reads = fields.contains(field) || (field == .daypart && fields.contains(.hour))
                #expect((prediction != reference) == reads, "\(config.name): editing \(field) changed it: \(prediction != reference)")
            }
        }
    }
}
