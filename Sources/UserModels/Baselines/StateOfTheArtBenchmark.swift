import Foundation
import Listening
import Tensor

/// Training and prediction throughput of a state-of-the-art baseline, printed by `setlist bench train <model>`.
public enum StateOfTheArtBenchmark {
    /// Generates `users` synthetic users (default data, planted track vectors), trains `baseline` for
    /// `epochs` epochs with the evaluation's budget (validation included, as in a real run), then
    /// predicts every test session's plays; returns the lines to print.
    public static func run(_ baseline: StateOfTheArtBaseline, users: Int = 2_000, epochs: Int = 1, threads: Int = 2) throws -> [String] {
        setBLASThreads(threads)
        let generator = SyntheticGenerator(config: SyntheticConfig(users: users))
        var byUser = [[Session]](repeating: [], count: users)
        generator.generateParallel(threads: threads, chunk: 256) { session in byUser[Int(session.user)].append(session) }
        let tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        let split = TimeSplit()
        let trainingPlays = byUser.reduce(0) { total, sessions in
            total + sessions[split.ranges(of: sessions).train].reduce(0) { $0 + $1.plays.count }
        }
        let options = TrainingOptions(
            learningRate: TrainingOptions.recommendedLearningRate,
            batchSize: TrainingOptions.batchSize(forUsers: users), maxEpochs: epochs, patience: epochs, seed: 1)
        let started = Date()
        let trained = try baseline.train(users: byUser, tracks: tracks, vocabulary: generator.vocabulary, split: split, options: options)
        let trainingSeconds = Date().timeIntervalSince(started)
        let predicted = Date()
        var testPlays = 0
        for sessions in byUser {
            let targets = split.range(.test, of: sessions)
            testPlays += trained.predictor.predictNextTracks(sessions: sessions, targets: targets).count
        }
        let predictionSeconds = Date().timeIntervalSince(predicted)
        let history = trained.result.state.history
        return [
            "\(baseline.name) throughput (\(threads) BLAS threads, kernels \(BLASKernel.current); build with -c release for meaningful figures)",
            "  data: \(users) synthetic users, \(trainingPlays) training plays, \(tracks.count) tracks × \(tracks.dimension)",
            String(
                format: "  training: %d epoch(s) in %.1f s, validation included (%.0f training plays/s); validation loss %@",
                history.count, trainingSeconds, Double(trainingPlays * history.count) / trainingSeconds,
                history.map { String(format: "%.4f", $0.validationLoss) }.joined(separator: ", ")),
            String(
                format: "  next-track prediction: %d test plays in %.1f s (%.0f plays/s)", testPlays, predictionSeconds,
                Double(testPlays) / max(predictionSeconds, 1e-9)),
        ]
    }
}
