import Testing
import UserModels

@testable import Evaluation

/// Which CoSeRNN rows `SessionRankingExperiment` trains.
@Suite struct SessionRankingExperimentTests {
    @Test func everyAblationThatChangesTheConfigIsARowAndNoOtherIs() {
        let config = CoSeRNNConfig(dimension: 4, deviceCount: 2, sourceCount: 3, hiddenSize: 8, denseSize: 8)
        let options = SessionRankingExperiment.Options(
            config: config, seeds: [1, 2], ablations: CoSeRNNAblation.allCases, stateOfTheArt: [])
        let names = SessionRankingExperiment.variants(options).map(\.name)
        // The current source is off by default, so removing it changes nothing and repeats CoSeRNN's row.
        #expect(!names.contains("CoSeRNN no-current-source"))
        for row in ["CoSeRNN one-pass-concatenated", "CoSeRNN no-context-layer", "CoSeRNN with-current-source", "CoSeRNN earlier-default"] {
            #expect(names.contains(row))
        }
        #expect(names.count == 2 + CoSeRNNAblation.allCases.count - 1)
        #expect(SessionRankingExperiment.trainingRuns(options) == names.count * 2)
    }
}
