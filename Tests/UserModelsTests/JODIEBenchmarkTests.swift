import Evaluation
import Foundation
import Listening
import Testing
@testable import UserModels

/// Throughput of JODIE on the default synthetic workspace's size (2,000 users × 60 sessions × 10 plays).
///
/// Slow (about a minute per epoch): runs only with JODIE_BENCH set, e.g.
/// `JODIE_BENCH=2 .build-test/release/SetlistPackageTests.xctest --testing-library swift-testing --filter JODIEBenchmark`
/// (the value is the number of epochs).
@Suite struct JODIEBenchmarkTests {
    static let epochs = ProcessInfo.processInfo.environment["JODIE_BENCH"].flatMap { Int($0) }

    @Test(.enabled(if: epochs != nil)) func defaultWorkspaceSizeTrainsInMinutes() throws {
        var clock = Date()
        func lap() -> String {
            defer { clock = Date() }
            return String(format: "%.1f s", Date().timeIntervalSince(clock))
        }
        let data = FSVAETestData.make(users: 2_000, sessionsPerUser: 60, tracks: 5_000, seed: 42)
        let plays = data.users.joined().reduce(0) { $0 + $1.plays.count }
        print("generated \(plays) plays in \(lap())")
        let model = try JODIE(config: JODIEConfig(deviceCount: SyntheticGenerator.deviceNames.count,
                                                  sourceCount: SyntheticGenerator.sourceNames.count), dimension: data.tracks.dimension)
        let options = TrainingOptions(learningRate: 3e-3, maxEpochs: Self.epochs ?? 1, patience: 2)
        var trainingStart = Date()
        let result = try model.train(users: data.users, tracks: data.tracks, options: options) { report in
            switch report.phase {
            case .batch where report.batch == report.batchesPerEpoch:
                print(String(format: "epoch %d: %d steps, %.0f interactions/s, training %.1f s", report.epoch, report.batchesPerEpoch,
                             report.sessionsPerSecond, Date().timeIntervalSince(trainingStart)))
                trainingStart = Date()
            case .epochEnd:
                print(String(format: "epoch %d: validation %.4f (replay and validation %.1f s)", report.epoch,
                             report.validationLoss ?? .nan, Date().timeIntervalSince(trainingStart)))
                trainingStart = Date()
            default: break
            }
        }
        print("trained \(result.state.epoch) epochs in \(lap())")
        let user = try JODIEUserModel(model: model, tracks: data.tracks)
        let jodie = NextTrackEvaluation.evaluate(user, users: data.users, tracks: data.tracks, rankCatalogue: false).cosineDistance
        print("test next-track evaluation in \(lap())")
        let average = NextTrackEvaluation.evaluate(AverageBaseline(tracks: data.tracks), users: data.users, tracks: data.tracks, rankCatalogue: false).cosineDistance
        print("test cosine distance: JODIE \(jodie), Average \(average)")
        #expect(jodie < average)
    }
}
