import Testing

@testable import Tensor

/// Every tape op's gradient against central finite differences (tolerances in `GradientCheck`).
@Suite struct OpGradientTests {
    let check = GradientCheck()

    @Test func matmulAllTransposes() {
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
            let a = randomTensor(ta ? [4, 3] : [3, 4], seed: 1)
            let b = randomTensor(tb ? [5, 4] : [4, 5], seed: 2)
            check.run(inputs: [a, b]) { _, v in v[0].matmul(v[1], transposeSelf: ta, transposeOther: tb) }
        }
    }

    @Test func matmulBatchedLeftOperand() {
        check.run(inputs: [randomTensor([2, 3, 4], seed: 1), randomTensor([4, 5], seed: 2)]) { _, v in v[0].matmul(v[1]) }
    }

    @Test func matrixVector() {
        check.run(inputs: [randomTensor([3, 4], seed: 1), randomTensor([4], seed: 2)]) { _, v in v[0].matmul(v[1]) }
        check.run(inputs: [randomTensor([3, 4], seed: 1), randomTensor([3], seed: 2)]) { _, v in
            v[0].matmul(v[1], transposeSelf: true)
        }
    }

    @Test func linearWithAndWithoutBias() {
        let x = randomTensor([2, 3, 4], seed: 1), w = randomTensor([5, 4], seed: 2), b = randomTensor([5], seed: 3)
        check.run(inputs: [x, w, b]) { _, v in v[0].linear(weight: v[1], bias: v[2]) }
        check.run(inputs: [x, w]) { _, v in v[0].linear(weight: v[1], bias: nil) }
    }

    @Test func broadcastingArithmetic() {
        let a = randomTensor([3, 4], seed: 1)
        let shapes: [[Int]] = [[3, 4], [4], [1, 4], [3, 1], []]
        for shape in shapes {
            let b = randomTensor(shape, seed: 2, low: 0.5, high: 1.5)
            check.run(inputs: [a, b]) { _, v in v[0] + v[1] }
            check.run(inputs: [a, b]) { _, v in v[0] - v[1] }
            check.run(inputs: [a, b]) { _, v in v[0] * v[1] }
            check.run(inputs: [a, b]) { _, v in v[0] / v[1] }
            check.run(inputs: [b, a]) { _, v in v[0] * v[1] }
        }
        check.run(inputs: [randomTensor([2, 1, 3], seed: 4), randomTensor([4, 1], seed: 5)]) { _, v in v[0] * v[1] }
    }

    @Test func scalarArithmetic() {
        check.run(inputs: [randomTensor([3, 4], seed: 1)]) { _, v in (2 - v[0] * 3 + 1) / 4 }
        check.run(inputs: [randomTensor([3, 4], seed: 1)]) { _, v in -v[0] }
    }

    @Test func reductions() {
        let x = randomTensor([2, 3, 4], seed: 1)
        check.run(inputs: [x]) { _, v in v[0].sum() }
        check.run(inputs: [x]) { _, v in v[0].mean() }
        for axis in [0, 1, 2, -1] {
            check.run(inputs: [x]) { _, v in v[0].sum(axis: axis) }
            check.run(inputs: [x]) { _, v in v[0].mean(axis: axis, keepingAxis: true) }
        }
    }

    @Test func maskedMean() {
        let x = randomTensor([3, 4, 2], seed: 1)
        let mask = Tensor(shape: [3, 4], scalars: [1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0])
        check.run(inputs: [x]) { _, v in v[0].maskedMean(mask: mask, axis: 1) }
        let tape = Tape()
        let mean = tape.constant(x).maskedMean(mask: mask, axis: 1).value
        // Row 0 averages steps 0 and 1; row 2 has no valid steps and gives zeros, not NaN.
        #expect(abs(mean.scalars[0] - (x.scalars[0] + x.scalars[2]) / 2) < 1e-6)
        #expect(mean.scalars[4] == 0 && mean.scalars[5] == 0)
    }

    @Test func concatenateAndSlice() {
        let a = randomTensor([2, 3], seed: 1), b = randomTensor([2, 2], seed: 2)
        check.run(inputs: [a, b]) { _, v in Variable.concatenate([v[0], v[1]], axis: 1) }
        check.run(inputs: [a, a]) { _, v in Variable.concatenate([v[0], v[1]], axis: 0) }
        check.run(inputs: [randomTensor([2, 5, 3], seed: 3)]) { _, v in v[0].slice(axis: 1, 1..<4) }
        check.run(inputs: [randomTensor([2, 6], seed: 4)]) { _, v in v[0].reshaped([3, 4]) * v[0].reshaped([3, 4]) }
        let tape = Tape()
        let joined = Variable.concatenate([tape.constant(a), tape.constant(b)], axis: 1)
        #expect(joined.shape == [2, 5])
        #expect(joined.value.scalars[3] == b.scalars[0])
        #expect(joined.slice(axis: 1, 3..<5).value == b)
    }

    @Test func gatherAccumulatesRepeatedRows() {
        let table = randomTensor([5, 3], seed: 1)
        check.run(inputs: [table]) { _, v in v[0].gather([4, 0, 4, 2], indexShape: [2, 2]) }
        let tape = Tape()
        let t = tape.variable(table)
        tape.backward(t.gather([1, 1, 3]).sum())
        #expect(tape.gradient(of: t).scalars[3...5] == [2, 2, 2])
    }

    @Test func activations() {
        // Inputs kept away from 0 so ReLU's kink is not straddled by ±ε.
        var x = randomTensor([3, 5], seed: 1, low: -2, high: 2)
        x = x.map { abs($0) < 0.05 ? $0 + 0.1 : $0 }
        check.run(inputs: [x]) { _, v in v[0].tanh() }
        check.run(inputs: [x]) { _, v in v[0].sigmoid() }
        check.run(inputs: [x]) { _, v in v[0].relu() }
        check.run(inputs: [x]) { _, v in v[0].leakyRelu(slope: 0.2) }
        check.run(inputs: [x]) { _, v in v[0].exp() }
        check.run(inputs: [x]) { _, v in v[0].squared() }
        check.run(inputs: [x]) { _, v in v[0].softmax() }
        let positive = randomTensor([3, 5], seed: 2, low: 0.5, high: 2)
        check.run(inputs: [positive]) { _, v in v[0].log() }
        check.run(inputs: [positive]) { _, v in v[0].squareRoot() }
    }

    @Test func softmaxRowsSumToOneAndSurviveLargeInputs() {
        let tape = Tape()
        let y = tape.constant(Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -5, 0, 5])).softmax().value
        #expect(y.isFinite)
        #expect(abs(y.scalars[0..<3].reduce(0, +) - 1) < 1e-6)
    }

    @Test func normalisationAndCosine() {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([3, 4], seed: 2)
        check.run(inputs: [a]) { _, v in v[0].l2Normalized() }
        check.run(inputs: [a, b]) { _, v in v[0].cosineSimilarity(v[1]) }
        let tape = Tape()
        let cosine = tape.constant(a).cosineSimilarity(tape.constant(a * 2.0)).value
        for value in cosine.scalars { #expect(abs(value - 1) < 1e-5) }
        let zero = tape.constant(.zeros([1, 4])).l2Normalized().value
        #expect(zero.isFinite)
    }

    @Test func dropoutIsReproducibleAndScaled() {
        let x = Tensor.ones([1000])
        check.run(inputs: [randomTensor([4, 5], seed: 1)]) { _, v in v[0].dropout(rate: 0.3) }
        let first = Tape(seed: 5), second = Tape(seed: 5)
        let a = first.constant(x).dropout(rate: 0.25).value
        let b = second.constant(x).dropout(rate: 0.25).value
        #expect(a == b)
        #expect(Set(a.scalars) == [0, Float(1 / 0.75)])
        let kept = a.scalars.filter { $0 > 0 }.count
        #expect(kept > 700 && kept < 800)
        #expect(Tape(isTraining: false).constant(x).dropout(rate: 0.5).value == x)
    }

    @Test func gradientsAccumulateOverReuse() {
        let tape = Tape()
        let x = tape.variable(Tensor(shape: [2], scalars: [1, 2]))
        tape.backward((x * x + x).sum())
        #expect(tape.gradient(of: x).scalars == [3, 5])
    }
}

extension Tensor {
    static func * (left: Tensor, right: Float) -> Tensor { left.map { $0 * right } }
}

@Suite struct TensorMatrixProductTests {
    @Test func matchesHandComputedProducts() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        #expect(a.matmul(b) == Tensor(shape: [2, 2], scalars: [58, 64, 139, 154]))
        #expect(a.matmul(a, transposeOther: true) == Tensor(shape: [2, 2], scalars: [14, 32, 32, 77]))
        #expect(a.matmul(a, transposeSelf: true).shape == [3, 3])
        #expect(a.reshaped([1, 2, 3]).matmul(b).shape == [1, 2, 2])
    }
}
