import Evaluation
import Foundation
import Listening
import Tensor
import Testing
@testable import UserModels

/// LatentCross's training and prediction throughput on a default-sized workspace (2,000 users, about
/// 1.2M plays). Minutes long, so it runs only when SETLIST_LATENTCROSS_BENCH is set;
/// SETLIST_LATENTCROSS_WINDOWS (default 4,000) and SETLIST_LATENTCROSS_EPOCHS (default 2) set the budget.
@Suite struct LatentCrossBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SETLIST_LATENTCROSS_BENCH"] != nil,
                   "a minutes-long timing run; set SETLIST_LATENTCROSS_BENCH=1"))
    func trainingThroughputOnADefaultSizedWorkspace() throws {
        let data = CoSeRNNTestData(users: 2_000, sessionsPerUser: 60, tracks: 5_000, seed: 42)
        let plays = data.users.reduce(0) { $0 + $1.reduce(0) { $0 + $1.plays.count } }
        let environment = ProcessInfo.processInfo.environment
        let windowsPerEpoch = Int(environment["SETLIST_LATENTCROSS_WINDOWS"] ?? "") ?? 4_000
        let epochs = Int(environment["SETLIST_LATENTCROSS_EPOCHS"] ?? "") ?? 2
        let config = LatentCrossConfig(deviceCount: data.generator.vocabulary.devices.count,
                                       sourceCount: data.generator.vocabulary.sources.count, windowsPerEpoch: windowsPerEpoch, seed: 1)
        let model = try LatentCross(config: config, dimension: data.tracks.dimension)
        let options = TrainingOptions(learningRate: 3e-3, batchSize: TrainingOptions.batchSize(forUsers: 2_000), maxEpochs: epochs, patience: 2, seed: 1)
        let start = Date()
        let result = try model.train(users: data.users, tracks: data.tracks, options: options)
        let seconds = Date().timeIntervalSince(start)
        let user = try LatentCrossUserModel(model: model, tracks: data.tracks)
        let evaluationStart = Date()
        let metrics = NextTrackEvaluation.evaluate(user, users: data.users, tracks: data.tracks, rankCatalogue: false)
        let evaluationSeconds = Date().timeIntervalSince(evaluationStart)
        print("""
            LatentCross benchmark: \(data.users.count) users, \(plays) plays; hidden \(config.hiddenSize), window \(config.windowLength)+\(config.warmUpLength), \(windowsPerEpoch) windows an epoch, batch \(options.batchSize)
              training: \(String(format: "%.1f", seconds)) s for \(result.state.epoch) epochs (including validation); scored plays/s per epoch \(result.state.history.map { Int($0.sessionsPerSecond) })
              validation loss per epoch \(result.state.history.map(\.validationLoss))
              next-track evaluation of \(metrics.count) test plays: \(String(format: "%.1f", evaluationSeconds)) s (\(Int(Double(metrics.count) / evaluationSeconds)) plays/s), cosine distance \(metrics.cosineDistance)
            """)
        #expect(result.state.epoch >= 1 && result.state.epoch <= epochs)
    }
}
