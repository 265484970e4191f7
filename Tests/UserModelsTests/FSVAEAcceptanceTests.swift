import Evaluation
import Foundation
import Listening
import Testing
@testable import UserModels

/// The issue's acceptance comparisons on default-structured synthetic data, with fixed seeds.
@Suite(.serialized) struct FSVAEAcceptanceTests {
    let data = FSVAETestData.standard

    func trained(_ config: FSVAEConfig) throws -> FSVAEUserModel {
        let model = try FSVAE(config: config, dimension: data.tracks.dimension)
        let start = Date()
        let report = try model.train(users: data.users, tracks: data.tracks)
        print("\(config.name): \(report.trainingExamples) examples, epochs \(report.epochs.count), best \(report.bestEpoch), \(String(format: "%.1f", Date().timeIntervalSince(start))) s, val cos \(report.epochs.map { $0.validationCosineDistance ?? .nan })")
        return try FSVAEUserModel(model: model, tracks: data.tracks)
    }

    func cosine(_ model: some NextTrackPredictor) -> Double {
        let metrics = NextTrackEvaluation.evaluate(model, users: data.users, tracks: data.tracks, rankCatalogue: false)
        print("\(model.name): cosine \(metrics.cosineDistance), L2 \(metrics.l2Distance), n \(metrics.count)")
        return metrics.cosineDistance
    }

    /// FS-VAE (6 epochs max, early stopping) against Average, Popularity and the Vanilla RNN (same budget);
    /// the two feature ablations train for 2 epochs, which can only make removing slow features look worse.
    @Test func fsvaeBeatsTheBaselinesAndFastFeaturesMatterMoreThanSlow() throws {
        let config = FSVAETestData.smallConfig()
        let fsvae = cosine(try trained(config))
        let average = cosine(AverageBaseline(tracks: data.tracks))
        let trainSessions = data.users.flatMap { $0[TimeSplit().ranges(count: $0.count).train] }
        let popularity = cosine(PopularityBaseline(tracks: data.tracks, sessions: trainSessions))
        let vanilla = cosine(try trained(config.vanillaRNN()))
        #expect(fsvae < average)
        #expect(fsvae < popularity)
        #expect(fsvae < vanilla)

        var ablation = config
        ablation.epochs = 2
        let noFast = cosine(try trained(ablation.withoutFastFeatures()))
        let noSlow = cosine(try trained(ablation.withoutSlowFeatures()))
        #expect(noFast - fsvae > noSlow - fsvae)
        #expect(noFast > fsvae)
    }
}
