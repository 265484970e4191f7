import Foundation
import Listening
import Testing
import UserModels

/// VAE-CF's throughput on the default 2,000-user synthetic workspace with the paper's sizes, on request:
/// `SETLIST_VAECF_BENCHMARK=1 .build-test/release/SetlistPackageTests.xctest --testing-library swift-testing --filter VAECFBenchmark`.
@Suite struct VAECFBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SETLIST_VAECF_BENCHMARK"] != nil))
    func defaultWorkspaceThroughput() throws {
        let epochs = Int(ProcessInfo.processInfo.environment["SETLIST_VAECF_EPOCHS"] ?? "") ?? 2
        let generator = SyntheticGenerator(config: SyntheticConfig())
        var users = [[Session]](repeating: [], count: generator.config.users)
        generator.generate(users: 0..<generator.config.users) { users[Int($0.user)].append($0) }
        let tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        let split = TimeSplit()
        let model = try VAECF(config: .paper, users: users, trackCount: tracks.count, split: split)
        let trainPlays = split.trainingSessions(of: users).reduce(0) { $0 + $1.plays.count }
        let options = TrainingOptions(learningRate: 1e-3, batchSize: TrainingOptions.batchSize(forUsers: users.count), maxEpochs: epochs, patience: 10)
        let started = Date()
        var trainSeconds = 0.0
        let result = try model.train(users: users, tracks: tracks, split: split, options: options) { report in
            if report.phase == .epochEnd {
                print("epoch \(report.epoch): loss \(report.loss), validation NLL/play \(report.validationLoss ?? .nan), \(Int(report.sessionsPerSecond)) users/s")
            }
        }
        trainSeconds = Date().timeIntervalSince(started)
        let rates = result.state.history.map(\.sessionsPerSecond)
        print("VAE-CF paper sizes, \(users.count) users, catalogue \(model.catalogue.count), batch \(options.batchSize): "
              + "\(epochs) epochs in \(String(format: "%.1f", trainSeconds)) s including validation; training \(rates.map { Int($0) }) users/s "
              + "= \(rates.map { Int($0 * Double(trainPlays) / Double(users.count)) }) training plays/s")
        let bound = try VAECFUserModel(model: model, tracks: tracks)
        let predictStart = Date()
        var predicted = 0
        for sessions in users.prefix(200) {
            let test = split.range(.test, of: sessions)
            predicted += bound.predictNextTracks(sessions: sessions, targets: test).count
        }
        let predictSeconds = Date().timeIntervalSince(predictStart)
        print("next-track prediction (vector): \(predicted) plays of 200 users' test sessions in \(String(format: "%.2f", predictSeconds)) s = \(Int(Double(predicted) / predictSeconds)) plays/s")
        #expect(result.state.epoch == epochs)
    }
}
