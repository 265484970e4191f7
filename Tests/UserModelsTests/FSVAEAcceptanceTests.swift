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

    /// FS-VAE (6 epochs max, early stopping) against Average, Popularity and the Vanilla RNN (same budget and sizes);
    /// measured (release): cosine distance 0.6076 vs Vanilla RNN 0.6106, Average 0.6367, Popularity 0.7430;
    /// the margin over the Vanilla RNN is small but holds at 200 and 300 users too (0.6124 vs 0.6140, 0.5955 vs 0.5980);
    /// the two feature ablations train for 2 epochs, which can only make removing slow features look worse.
    @Test func fsvaeBeatsTheBaselinesAndFastFeaturesMatterMoreThanSlow() throws {
        // The small config with a 64-wide LSTM and decoder: with 32 the planted mood (which the window
        // reveals to both models) saturates both, and FS-VAE and the Vanilla RNN tie.
        var config = FSVAETestData.smallConfig()
        config.sequentialHidden = 64
        config.decoderHidden = 64
        let fsvae = cosine(try trained(config))
        let average = cosine(AverageBaseline(tracks: data.tracks))
        let trainSessions = data.users.flatMap { $0[TimeSplit().ranges(of: $0).train] }
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
