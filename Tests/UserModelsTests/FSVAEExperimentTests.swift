import Evaluation
import Foundation
import Listening
import Testing
import UserModels

/// Tables 1 and 2 on synthetic data over two seeds, on request (minutes in a release build):
/// `SETLIST_FSVAE_EXPERIMENT=1 swift test -c release -Xswiftc -enable-testing --filter FSVAEExperimentTests`.
@Suite struct FSVAEExperimentTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SETLIST_FSVAE_EXPERIMENT"] != nil))
    func tablesOverSeeds() throws {
        let data = FSVAETestData.make(users: 100, sessionsPerUser: 24, seed: 7)
        let options = NextTrackExperiment.Options(config: FSVAETestData.smallConfig(), seeds: [1, 2])
        let (table1, table2) = try NextTrackExperiment.run(users: data.users, tracks: data.tracks, options: options) { event in
            if case .evaluated(let name, let metrics) = event { print("\(name): cosine \(metrics.cosineDistance), L2 \(metrics.l2Distance)") }
        }
        print(table1.markdown())
        print(table2.markdown())
    }
}
