import Foundation

/// Throughput figures for `setlist bench tensor` (meaningful in release builds only).
public enum TensorBenchmark {
    /// The measured speed of one sgemm shape.
    public struct MatrixProduct: Sendable {
        /// Rows of the left operand and of the result.
        public let m: Int
        /// The shared inner dimension.
        public let k: Int
        /// Columns of the right operand and of the result.
        public let n: Int
        /// The best time of one product, in seconds.
        public let seconds: Double
        /// Billions of floating-point operations (2·m·k·n) per second.
        public var gigaflops: Double { 2 * Double(m) * Double(k) * Double(n) / seconds / 1e9 }
    }

    /// Wall-clock and process CPU time of one measured task, each the best of several runs.
    ///
    /// CPU time (all threads) is the steadier figure on a shared machine, where
    /// other processes inflate wall time.
    public struct Timing: Sendable {
        /// Elapsed seconds.
        public var wall: Double
        /// Seconds of CPU used by the whole process.
        public var cpu: Double

        static let unmeasured = Timing(wall: .infinity, cpu: .infinity)

        mutating func keepBest(_ other: Timing) {
            wall = min(wall, other.wall)
            cpu = min(cpu, other.cpu)
        }
    }

    /// Everything one benchmark run measured.
    public struct Report: Sendable {
        /// OpenBLAS threads in use.
        public let threads: Int
        /// sgemm speed at the models' shapes.
        public let matrixProducts: [MatrixProduct]
        /// Batch, steps, input and hidden sizes of the LSTM measured.
        public let lstmShape: (batch: Int, steps: Int, input: Int, hidden: Int)
        /// An LSTM forward pass.
        public let lstmForward: Timing
        /// An LSTM forward plus backward pass (with input gradient).
        public let lstmForwardBackward: Timing
        /// The same pass's matrix products alone (same shapes and strides).
        public let lstmProducts: Timing

        /// Forward+backward wall time over products-only wall time; the target is at most 1.5.
        public var lstmOverhead: Double { lstmForwardBackward.wall / lstmProducts.wall }

        /// The report as printable lines.
        public var lines: [String] {
            var lines = ["tensor benchmark (OpenBLAS threads: \(threads))"]
            for product in matrixProducts {
                let shape = "\(product.m)x\(product.k) * \(product.k)x\(product.n)"
                lines.append(
                    "  sgemm \(shape.padding(toLength: 26, withPad: " ", startingAt: 0))"
                        + String(format: "%8.2f ms %8.1f GFLOP/s", product.seconds * 1e3, product.gigaflops))
            }
            let (b, t, i, h) = lstmShape
            let flops = lstmProductFlops(batch: b, steps: t, input: i, hidden: h)
            lines.append("  LSTM(\(i)→\(h)) batch \(b) × \(t) steps        wall        cpu")
            for (name, timing) in [("forward", lstmForward), ("forward+backward", lstmForwardBackward), ("products alone", lstmProducts)] {
                lines.append(
                    "    \(name.padding(toLength: 18, withPad: " ", startingAt: 0))"
                        + String(format: "%8.1f ms %8.1f ms", timing.wall * 1e3, timing.cpu * 1e3))
            }
            lines.append(String(format: "    products: %.1f GFLOP at %.1f GFLOP/s (wall)", flops / 1e9, flops / lstmProducts.wall / 1e9))
            if let reference = matrixProducts.first(where: { $0.m == b && $0.k == h && $0.n == 4 * h }) {
                let predicted = flops / (reference.gigaflops * 1e9)
                lines.append(
                    String(
                        format: "    at the %dx%d*%dx%d rate the products would take %.1f ms: forward+backward is %.2f× that",
                        b, h, h, 4 * h, predicted * 1e3, lstmForwardBackward.wall / predicted))
            }
            lines.append(
                String(
                    format: "    overhead: forward+backward is %.2f× its products alone (wall), %.2f× (cpu); target ≤ 1.5×",
                    lstmOverhead, lstmForwardBackward.cpu / lstmProducts.cpu))
            return lines
        }
    }

    /// Runs the default benchmark and returns its report as lines.
    public static func run() -> [String] { measure().lines }

    /// Measures sgemm at the models' shapes and an LSTM forward+backward pass.
    public static func measure(
        batch: Int = 256, steps: Int = 50, inputSize: Int = 92, hiddenSize: Int = 400, repetitions: Int = 5
    ) -> Report {
        let gates = 4 * hiddenSize, rows = batch * steps
        let shapes = [
            (batch, inputSize, gates), (batch, hiddenSize, gates), (batch, hiddenSize, 200),
            (rows, inputSize, gates), (gates, rows, hiddenSize),
        ]
        let products = shapes.map { m, k, n in
            MatrixProduct(m: m, k: k, n: n, seconds: timeProduct(m: m, k: k, n: n, repetitions: repetitions))
        }

        var random = SeededRandom(seed: 1)
        let layer = LSTMLayer(inputSize: inputSize, hiddenSize: hiddenSize, random: &random)
        let x = Tensor.uniform([batch, steps, inputSize], low: -1, high: 1, using: &random)
        let outputGradient = Tensor.uniform([batch, steps, hiddenSize], low: -1, high: 1, using: &random)
        let runForward = {
            let tape = Tape(isTraining: false)
            _ = layer(tape.constant(x))
        }
        let runForwardBackward = {
            let tape = Tape()
            let result = layer(tape.variable(x))
            tape.backward(result.output, seed: outputGradient)
        }
        let runProducts = { lstmProductsOnly(batch: batch, steps: steps, input: inputSize, hidden: hiddenSize) }
        // Interleaved, so a change in machine load affects both sides of the comparison alike.
        var forward = Timing.unmeasured, forwardBackward = Timing.unmeasured, productsOnly = Timing.unmeasured
        runForwardBackward()
        runProducts()
        for _ in 0..<max(1, repetitions) {
            forward.keepBest(timing(runForward))
            forwardBackward.keepBest(timing(runForwardBackward))
            productsOnly.keepBest(timing(runProducts))
        }
        for parameter in layer.parameters { parameter.zeroGradient() }
        return Report(
            threads: currentBLASThreads(), matrixProducts: products,
            lstmShape: (batch, steps, inputSize, hiddenSize), lstmForward: forward,
            lstmForwardBackward: forwardBackward, lstmProducts: productsOnly)
    }

    /// Wall and process CPU time of one run of `body`.
    static func timing(_ body: () -> Void) -> Timing {
        let wallStart = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
        body()
        return Timing(
            wall: Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9,
            cpu: processCPUSeconds() - cpuStart)
    }

    /// CPU seconds used so far by all of this process's threads.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The minimum wall time of `repetitions` runs of `body` after one warm-up run.
    static func bestTime(_ repetitions: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) { best = min(best, timing(body).wall) }
        return best
    }

    static func timeProduct(m: Int, k: Int, n: Int, repetitions: Int) -> Double {
        var random = SeededRandom(seed: 2)
        let a = Tensor.uniform([m, k], using: &random), b = Tensor.uniform([k, n], using: &random)
        var c = Tensor.zeros([m, n])
        // Repeat small products so each timing covers enough work to be stable.
        let inner = min(200, max(1, Int(2e9 / (2 * Double(m) * Double(k) * Double(n)))))
        let seconds = bestTime(repetitions) {
            a.withPointer { ap in
                b.withPointer { bp in
                    c.withMutablePointer { cp in
                        for _ in 0..<inner {
                            BLAS.gemm(transA: false, transB: false, m: m, n: n, k: k, a: ap, lda: k, b: bp, ldb: n, beta: 0, c: cp, ldc: n)
                        }
                    }
                }
            }
        }
        return seconds / Double(inner)
    }

    /// Floating-point operations of an LSTM pass's products (forward, recurrent backward, weight and input gradients).
    static func lstmProductFlops(batch: Int, steps: Int, input: Int, hidden: Int) -> Double {
        let rows = Double(batch * steps), g = Double(4 * hidden), i = Double(input), h = Double(hidden)
        return 2 * rows * g * (i + h) * 3
    }

    /// Exactly the sgemm calls of a fused LSTM forward+backward, with the same shapes and strides.
    static func lstmProductsOnly(batch: Int, steps: Int, input: Int, hidden: Int) {
        let g = 4 * hidden, rows = batch * steps
        var gates = Tensor.zeros([rows, g]), gateGradients = Tensor.zeros([rows, g])
        var states = Tensor.zeros([rows, hidden]), hiddenGradient = Tensor.zeros([batch, hidden])
        var inputGradient = Tensor.zeros([rows, input])
        var weightIHGradient = Tensor.zeros([g, input]), weightHHGradient = Tensor.zeros([g, hidden])
        let x = Tensor.zeros([rows, input]), wih = Tensor.zeros([g, input]), whh = Tensor.zeros([g, hidden])
        x.withPointer { xp in
            wih.withPointer { wip in
                whh.withPointer { whp in
                    gates.withMutablePointer { a in
                        states.withMutablePointer { hs in
                            BLAS.gemm(
                                transA: false, transB: true, m: rows, n: g, k: input, a: xp, lda: input, b: wip, ldb: input, beta: 1, c: a,
                                ldc: g)
                            for t in 0..<steps {
                                BLAS.gemm(
                                    transA: false, transB: true, m: batch, n: g, k: hidden, a: hs + t * hidden, lda: steps * hidden,
                                    b: whp, ldb: hidden, beta: 1, c: a + t * g, ldc: steps * g)
                            }
                            gateGradients.withMutablePointer { da in
                                hiddenGradient.withMutablePointer { gh in
                                    for t in 0..<steps {
                                        BLAS.gemm(
                                            transA: false, transB: false, m: batch, n: hidden, k: g, a: da + t * g, lda: steps * g,
                                            b: whp, ldb: hidden, beta: 1, c: gh, ldc: hidden)
                                    }
                                }
                                weightIHGradient.withMutablePointer { gw in
                                    BLAS.gemm(
                                        transA: true, transB: false, m: g, n: input, k: rows, a: da, lda: g, b: xp, ldb: input, beta: 1,
                                        c: gw, ldc: input)
                                }
                                weightHHGradient.withMutablePointer { gw in
                                    BLAS.gemm(
                                        transA: true, transB: false, m: g, n: hidden, k: rows, a: da, lda: g, b: hs, ldb: hidden, beta: 1,
                                        c: gw, ldc: hidden)
                                }
                                inputGradient.withMutablePointer { gx in
                                    BLAS.gemm(
                                        transA: false, transB: false, m: rows, n: input, k: g, a: da, lda: g, b: wip, ldb: input, beta: 1,
                                        c: gx, ldc: input)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
