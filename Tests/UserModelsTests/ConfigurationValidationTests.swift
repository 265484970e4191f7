import Foundation
import Listening
import Testing
import UserModels

/// Every user-settable config throws one `ConfigurationError` naming the field, where it is used, instead of trapping.
@Suite struct ConfigurationValidationTests {
    static let tracks = TrackVectors(dimension: 2, values: [1, 0, 0, 1, 0.6, 0.8])

    static func expectOneLine(_ error: ConfigurationError?, field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.field == field, sourceLocation: sourceLocation)
        #expect(error.map { !$0.description.contains("\n") && $0.description.contains(field) } == true, sourceLocation: sourceLocation)
    }

    @Test func trainingOptionsMutatedAfterInitAreCheckedWhereTrainingStarts() throws {
        var options = TrainingOptions()
        #expect(throws: Never.self) { try options.validate() }
        options.batchSize = 0
        Self.expectOneLine(#expect(throws: ConfigurationError.self) { try options.validate() }, field: "batchSize")
        let model = try CoSeRNN(
            config: CoSeRNNConfig(dimension: 2, deviceCount: 0, sourceCount: 0, hiddenSize: 4, denseSize: 4), tracks: Self.tracks)
        Self.expectOneLine(#expect(throws: ConfigurationError.self) { try model.train(users: [], options: options) }, field: "batchSize")
        let changes: [(inout TrainingOptions) -> Void] = [
            { $0.learningRate = .nan }, { $0.maxSequenceLength = 0 }, { $0.patience = -1 }, { $0.maxGradientNorm = 0 },
        ]
        for change in changes {
            var bad = TrainingOptions()
            change(&bad)
            #expect(throws: ConfigurationError.self) { try bad.validate() }
        }
        // A record with options out of range does not decode.
        let json = try String(decoding: JSONEncoder().encode(options), as: UTF8.self)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TrainingOptions.self, from: Data(json.utf8)) }
        // The split is checked at the same entry point.
        let split = TimeSplit(validationShare: 0.7, testShare: 0.7)
        #expect(throws: ConfigurationError.self) { try model.train(users: [], split: split) }
    }

    @Test func coSeRNNConfigsAreCheckedByTheModel() throws {
        var config = CoSeRNNConfig(dimension: 2, deviceCount: 0, sourceCount: 0, hiddenSize: 4, denseSize: 4)
        config.hiddenSize = 0
        Self.expectOneLine(
            #expect(throws: ConfigurationError.self) { try CoSeRNN(config: config, tracks: Self.tracks) }, field: "hiddenSize")
        config.hiddenSize = 4
        config.longTermDecay = 0
        Self.expectOneLine(
            #expect(throws: ConfigurationError.self) { try CoSeRNN(config: config, tracks: Self.tracks) }, field: "longTermDecay")
        config.longTermDecay = 1
        config.dimension = 3
        Self.expectOneLine(
            #expect(throws: ConfigurationError.self) { try CoSeRNN(config: config, tracks: Self.tracks) }, field: "dimension")
        #expect(throws: ConfigurationError.self) { try VanillaRNNBaseline(config: config, tracks: Self.tracks) }
        config.dimension = 2
        #expect(throws: Never.self) { try CoSeRNN(config: config, tracks: Self.tracks) }
    }

    @Test func earlyStoppingAndBaselineSettingsThrow() {
        Self.expectOneLine(#expect(throws: ConfigurationError.self) { try EarlyStopping(patience: -1).validate() }, field: "patience")
        #expect(throws: Never.self) { try EarlyStopping(patience: 0).validate() }
        Self.expectOneLine(
            #expect(throws: ConfigurationError.self) { try LastTracksMeanBaseline(tracks: Self.tracks, window: 0) }, field: "window")
        for decay: Float in [0, 1.5, .nan] {
            Self.expectOneLine(
                #expect(throws: ConfigurationError.self) { try RecencyWeightedBaseline(tracks: Self.tracks, decay: decay) }, field: "decay")
        }
        #expect(throws: Never.self) { try RecencyWeightedBaseline(tracks: Self.tracks, decay: 1) }
    }
}
