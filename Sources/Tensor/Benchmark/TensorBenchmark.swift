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

    /// Everything one benchmark run measured.
    public struct Report: Sendable {
        /// OpenBLAS threads in use.
        public let threads: Int
        /// sgemm speed at the models' shapes.
        public let matrixProducts: [MatrixProduct]
        /// Batch, steps, input and hidden sizes of the LSTM measured.
        public let lstmShape: (batch: Int, steps: Int, input: Int, hidden: Int)
        /// Best time of an LSTM forward pass, in seconds.
        public let lstmForwardSeconds: Double
        /// Best time of an LSTM forward plus backward pass, in seconds.
        public let lstmForwardBackwardSeconds: Double
        /// Best time of the same pass's matrix products alone (same shapes and strides), in seconds.
        public let lstmProductsSeconds: Double

        /// Forward+backward time over products-only time; the target is at most 1.5.
        public var lstmOverhead: Double { lstmForwardBackwardSeconds / lstmProductsSeconds }

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
            lines.append("  LSTM(\(i)→\(h)) batch \(b) × \(t) steps:")
            lines.append(String(format: "    forward            %8.1f ms", lstmForwardSeconds * 1e3))
            lines.append(String(format: "    forward+backward   %8.1f ms", lstmForwardBackwardSeconds * 1e3))
            lines.append(
                String(format: "    products alone     %8.1f ms (%.1f GFLOP, %.1f GFLOP/s)",
                       lstmProductsSeconds * 1e3, flops / 1e9, flops / lstmProductsSeconds / 1e9))
            lines.append(String(format: "    overhead           %8.2f× the products alone (target ≤ 1.5×)", lstmOverhead))
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
        var forward = Double.infinity, forwardBackward = Double.infinity, productsOnly = Double.infinity
        runForwardBackward()
        runProducts()
        for _ in 0..<max(1, repetitions) {
            forward = min(forward, wallTime(runForward))
            forwardBackward = min(forwardBackward, wallTime(runForwardBackward))
            productsOnly = min(productsOnly, wallTime(runProducts))
        }
        for parameter in layer.parameters { parameter.zeroGradient() }
        return Report(
            threads: currentBLASThreads(), matrixProducts: products,
            lstmShape: (batch, steps, inputSize, hiddenSize), lstmForwardSeconds: forward,
            lstmForwardBackwardSeconds: forwardBackward, lstmProductsSeconds: productsOnly)
    }

    /// The minimum wall time of `repetitions` runs of `body` after one warm-up run.
    static func bestTime(_ repetitions: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) { best = min(best, wallTime(body)) }
        return best
    }

    /// The wall time of one run of `body`, in seconds.
    static func wallTime(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func timeProduct(m: Int, k: Int, n: Int, repetitions: Int) -> Double {
        var random = SeededRandom(seed: 2)
        let a = Tensor.uniform([m, k], using: &random), b = Tensor.uniform([k, n], using: &random)
        var c = Tensor.zeros([m, n])
        // Repeat small products so each timing covers enough work to be stable.
        let inner = max(1, Int(2e9 / (2 * Double(m) * Double(k) * Double(n))))
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
                            BLAS.gemm(transA: false, transB: true, m: rows, n: g, k: input, a: xp, lda: input, b: wip, ldb: input, beta: 1, c: a, ldc: g)
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
                                    BLAS.gemm(transA: true, transB: false, m: g, n: input, k: rows, a: da, lda: g, b: xp, ldb: input, beta: 1, c: gw, ldc: input)
                                }
                                weightHHGradient.withMutablePointer { gw in
                                    BLAS.gemm(transA: true, transB: false, m: g, n: hidden, k: rows, a: da, lda: g, b: hs, ldb: hidden, beta: 1, c: gw, ldc: hidden)
                                }
                                inputGradient.withMutablePointer { gx in
                                    BLAS.gemm(transA: false, transB: false, m: rows, n: input, k: g, a: da, lda: g, b: wip, ldb: input, beta: 1, c: gx, ldc: input)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
