import Evaluation
import Foundation
import Listening
import Testing

@testable import UserModels

/// JODIE's acceptance comparison on the FS-VAE acceptance data: three seeds, the 2-SE rule.
@Suite(.serialized) struct JODIEAcceptanceTests {
    let data = FSVAETestData.standard
    static let seeds: [UInt64] = [1, 2, 3]

    static func config(seed: UInt64) -> JODIEConfig {
        JODIEConfig(
            dynamicSize: 32, deviceCount: SyntheticGenerator.deviceNames.count,
            sourceCount: SyntheticGenerator.sourceNames.count, spanInteractions: 256, seed: seed)
    }

    static let options = TrainingOptions(learningRate: 3e-3, maxEpochs: 4, patience: 2)

    func trained(seed: UInt64) throws -> JODIEUserModel {
        let model = try JODIE(config: Self.config(seed: seed), dimension: data.tracks.dimension)
        var options = Self.options
        options.seed = seed
        let start = Date()
        var rates: [Double] = []
        let result = try model.train(users: data.users, tracks: data.tracks, options: options) { report in
            if report.phase == .epochEnd { rates.append(report.sessionsPerSecond) }
        }
        let history = result.state.history.map { String(format: "%.4f/%.4f", $0.trainLoss, $0.validationLoss) }
        print(
            "JODIE seed \(seed): epochs \(history), best \(result.bestEpoch), \(String(format: "%.1f", Date().timeIntervalSince(start))) s, interactions/s \(rates.map { Int($0) })"
        )
        return try JODIEUserModel(model: model, tracks: data.tracks)
    }

    func cosine(_ model: some NextTrackPredictor) -> Double {
        NextTrackEvaluation.evaluate(model, users: data.users, tracks: data.tracks, rankCatalogue: false).cosineDistance
    }

    @Test func jodieBeatsPopularityAndAverageOnNextTrackCosine() throws {
        let jodie = try Self.seeds.map { cosine(try trained(seed: $0)) }
        let average = cosine(AverageBaseline(tracks: data.tracks))
        let popularity = cosine(PopularityBaseline(tracks: data.tracks, sessions: TimeSplit().trainingSessions(of: data.users)))
        print("next-track cosine distance per seed: JODIE \(jodie); Average \(average), Popularity \(popularity)")
        #expect(FSVAEAcceptanceTests.beats(jodie, [average, average, average]), "JODIE \(jodie) vs Average \(average)")
        #expect(FSVAEAcceptanceTests.beats(jodie, [popularity, popularity, popularity]), "JODIE \(jodie) vs Popularity \(popularity)")
    }
}
