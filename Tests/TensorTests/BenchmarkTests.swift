import Testing

@testable import Tensor

@Suite struct BenchmarkTests {
    @Test func tinyBenchmarkProducesAllFigures() {
        let report = TensorBenchmark.measure(batch: 4, steps: 3, inputSize: 5, hiddenSize: 6, repetitions: 1)
        #expect(report.matrixProducts.count == 5)
        #expect(report.matrixProducts.allSatisfy { $0.gigaflops > 0 && $0.gigaflops.isFinite })
        #expect(report.lstmForwardBackward.wall > 0 && report.lstmProducts.wall > 0)
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("GFLOP/s") && text.contains("forward+backward") && text.contains("target ≤ 1.5×"))
    }
}
