import Foundation
import Listening
import Tensor

/// Training-throughput benchmark of FS-VAE, printed by `setlist bench train fsvae`.
public enum FSVAEBenchmark {
    /// The figures of one run.
    public struct Result: Sendable, Codable, Equatable {
        /// Users generated.
        public var users: Int
        /// Training examples (next-track targets) available.
        public var trainingExamples: Int
        /// Training sessions those targets come from.
        public var trainingSessions: Int
        /// Optimiser steps timed.
        public var steps: Int
        /// Examples per step.
        public var batchSize: Int
        /// Seconds spent generating the data and building the examples.
        public var preparationSeconds: Double
        /// Seconds spent in the timed steps.
        public var trainingSeconds: Double
        /// Next-track examples trained per second.
        public var examplesPerSecond: Double
        /// Equivalent training sessions per second (examples/s ÷ targets per training session).
        public var sessionsPerSecond: Double
    }

    /// Generates `users` synthetic users (default data, planted 32-d track vectors), builds their
    /// training examples and times `steps` Adam steps of the paper-sized FS-VAE with `threads` BLAS threads.
    public static func measure(users: Int = 10_000, steps: Int = 200, threads: Int = 2, config: FSVAEConfig = .paper) throws -> Result {
        setBLASThreads(threads)
        let prepared = Date()
        let generator = SyntheticGenerator(config: SyntheticConfig(users: users))
        var byUser = [[Session]](repeating: [], count: users)
        generator.generateParallel(threads: threads, chunk: 256) { session in byUser[Int(session.user)].append(session) }
        let tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        var timed = config
        timed.epochs = 1
        let model = try FSVAE(config: timed, dimension: tracks.dimension)
        if config.isRecurrent {
            let preparation = Date().timeIntervalSince(prepared)
            var trained = 0
            let started = Date()
            let report = try model.trainRecurrent(
                users: byUser, tracks: tracks, split: TimeSplit(), checkpoint: nil, resume: false, scoresAllValidation: false,
                maximumSteps: steps, validates: false, countedRows: { trained += $0 }, progress: nil, batchProgress: nil)
            let seconds = Date().timeIntervalSince(started) - (report.preparationSeconds ?? 0)
            let perSession = Double(report.trainingExamples) / Double(max(1, report.trainingSessions))
            return Result(
                users: users, trainingExamples: report.trainingExamples, trainingSessions: report.trainingSessions, steps: steps,
                batchSize: config.batchSize, preparationSeconds: preparation + (report.preparationSeconds ?? 0), trainingSeconds: seconds,
                examplesPerSecond: Double(trained) / seconds, sessionsPerSecond: Double(trained) / seconds / perSession)
        }
        var examples = FSVAEExamples(config: config, dimension: tracks.dimension)
        let split = TimeSplit()
        for sessions in byUser {
            examples.walk(sessions: sessions, targets: split.ranges(of: sessions).train, config: config, tracks: tracks)
        }
        byUser = []
        let preparation = Date().timeIntervalSince(prepared)
        let empty = FSVAEExamples(config: config, dimension: tracks.dimension)
        let started = Date()
        _ = try model.train(examples: examples, validation: empty, tracks: tracks, maximumSteps: steps)
        let seconds = Date().timeIntervalSince(started)
        let trained = Double(min(steps * config.batchSize, examples.count))
        let perSession = Double(examples.count) / Double(max(1, examples.sessionCount))
        return Result(
            users: users, trainingExamples: examples.count, trainingSessions: examples.sessionCount, steps: steps,
            batchSize: config.batchSize, preparationSeconds: preparation, trainingSeconds: seconds,
            examplesPerSecond: trained / seconds, sessionsPerSecond: trained / seconds / perSession)
    }

    /// Runs `measure` and returns the lines to print.
    public static func run(users: Int = 10_000, steps: Int = 200, threads: Int = 2) throws -> [String] {
        let r = try measure(users: users, steps: steps, threads: threads)
        let c = FSVAEConfig.paper
        return [
            "FS-VAE training throughput (\(threads) BLAS threads; build with -c release for meaningful figures)",
            "  data: \(r.users) synthetic users, \(r.trainingExamples) next-track examples from \(r.trainingSessions) training sessions (prepared in \(String(format: "%.1f", r.preparationSeconds)) s)",
            "  model: w = \(c.window), LSTM \(c.sequentialLayers)×\(c.sequentialHidden), slow \(c.slowHidden)×2, K = \(c.latent)×2, decoder \(c.decoderHidden), batch \(r.batchSize)"
                + (c.recurrentHidden.map { ", recurrent state \($0) (\(c.usersPerBatch) users × \(c.stepsPerChunk) steps a batch)" } ?? ""),
            "  \(r.steps) steps in \(String(format: "%.2f", r.trainingSeconds)) s: \(Int(r.examplesPerSecond.rounded())) examples/s, \(Int(r.sessionsPerSecond.rounded())) sessions/s",
        ]
    }
}
