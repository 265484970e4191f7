import Foundation
import Testing
import UserModels

/// The training benchmark's figures on a tiny run; the full run is `setlist bench train fsvae`.
@Suite struct FSVAEBenchmarkTests {
    @Test func smallRunReportsThroughput() throws {
        var config = FSVAEConfig.paper.windowed()
        (config.sequentialHidden, config.slowHidden, config.latent, config.decoderHidden, config.batchSize) = (8, 8, 4, 8, 32)
        let result = try FSVAEBenchmark.measure(users: 20, steps: 3, config: config)
        #expect(result.users == 20 && result.steps == 3 && result.batchSize == 32)
        #expect(result.trainingExamples > 0 && result.trainingSessions > 0)
        #expect(result.trainingSessions <= result.trainingExamples)
        #expect(result.trainingSeconds > 0 && result.preparationSeconds >= 0)
        #expect(result.examplesPerSecond > 0 && result.sessionsPerSecond > 0)
        #expect(result.sessionsPerSecond < result.examplesPerSecond)
        // Throughput counts the examples actually trained: three batches, or fewer if the data is smaller.
        let trained = Double(min(3 * 32, result.trainingExamples))
        #expect(abs(result.examplesPerSecond * result.trainingSeconds - trained) < 1e-6 * trained)
        let perSession = Double(result.trainingExamples) / Double(result.trainingSessions)
        #expect(abs(result.sessionsPerSecond * perSession - result.examplesPerSecond) < 1e-6 * result.examplesPerSecond)
    }

    @Test func theRecurrentModelsRunCountsTheStepsItTrained() throws {
        var config = FSVAEConfig.paper
        (config.sequentialHidden, config.slowHidden, config.latent, config.decoderHidden, config.batchSize) = (8, 8, 4, 8, 32)
        (config.recurrentHidden, config.chunkLength) = (8, 8)
        let result = try FSVAEBenchmark.measure(users: 20, steps: 3, config: config)
        #expect(result.steps == 3 && result.trainingExamples > 0 && result.trainingSessions > 0)
        // Three chunks of 4 users × 8 steps count at most 96 plays.
        let trained = result.examplesPerSecond * result.trainingSeconds
        #expect(trained > 0 && trained <= 96.5)
    }
}
