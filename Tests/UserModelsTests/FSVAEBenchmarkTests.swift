import Foundation
import Testing
import UserModels

/// The training benchmark: a tiny smoke run always, the full 10,000-user run on request.
@Suite struct FSVAEBenchmarkTests {
    @Test func smallRunReportsThroughput() throws {
        var config = FSVAEConfig.paper
        (config.sequentialHidden, config.slowHidden, config.latent, config.decoderHidden, config.batchSize) = (8, 8, 4, 8, 32)
        let result = try FSVAEBenchmark.measure(users: 20, steps: 3, config: config)
        #expect(result.steps == 3 && result.trainingExamples > 0 && result.trainingSessions > 0)
        #expect(result.examplesPerSecond > 0 && result.sessionsPerSecond > 0)
        #expect(result.sessionsPerSecond < result.examplesPerSecond)
    }

    /// `SETLIST_FSVAE_BENCHMARK=1 swift test -c release -Xswiftc -enable-testing --filter FSVAEBenchmarkTests`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SETLIST_FSVAE_BENCHMARK"] != nil))
    func fullBenchmark() throws {
        for line in try FSVAEBenchmark.run() { print(line) }
    }
}
