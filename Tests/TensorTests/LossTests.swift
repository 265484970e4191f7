import Testing

@testable import Tensor

@Suite struct LossTests {
    let check = GradientCheck()

    @Test func valuesMatchHandComputation() {
        let tape = Tape()
        let p = tape.constant(Tensor(shape: [2, 2], scalars: [1, 0, 0, 2]))
        let t = tape.constant(Tensor(shape: [2, 2], scalars: [1, 1, 0, -2]))
        #expect(Loss.meanSquaredError(p, t).value.scalar == 4.25)  // (0 + 1 + 0 + 16) / 4
        // Row 0: cos 45° → 1 − √½; row 1: opposite → 2.
        let cosine = Loss.cosineDistance(p, t).value.scalar
        let expected: Float = (1 - Float(0.5).squareRoot() + 2) / 2
        #expect(abs(cosine - expected) < 1e-6)
        let masked = Loss.cosineDistance(p, t, mask: Tensor(shape: [2], scalars: [0, 1])).value.scalar
        #expect(abs(masked - 2) < 1e-6)
        let kl = Loss.gaussianKLDivergence(
            mean: tape.constant(Tensor(shape: [1, 2], scalars: [1, 0])),
            logVariance: tape.constant(.zeros([1, 2]))
        ).value.scalar
        #expect(abs(kl - 0.5) < 1e-6)
    }

    @Test func gradients() {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([3, 4], seed: 2)
        check.run(inputs: [a, b]) { _, v in Loss.meanSquaredError(v[0], v[1]) }
        check.run(inputs: [a, b]) { _, v in Loss.cosineDistance(v[0], v[1], mask: Tensor(shape: [3], scalars: [1, 0, 1])) }
        check.run(inputs: [a, b]) { _, v in Loss.gaussianKLDivergence(mean: v[0], logVariance: v[1]) }
        // Same tape seed in every evaluation, so ε is fixed and the sample is differentiable.
        check.run(inputs: [a, b]) { tape, v in tape.sampleGaussian(mean: v[0], logVariance: v[1]) }
    }

    @Test func reparameterisationHasTheRightMoments() {
        let tape = Tape(seed: 3)
        let mean = tape.constant(Tensor(shape: [20_000], repeating: 2))
        let logVariance = tape.constant(Tensor(shape: [20_000], repeating: -1.386_294_4))  // log 0.25
        let samples = tape.sampleGaussian(mean: mean, logVariance: logVariance).value.scalars
        let m = samples.reduce(0, +) / Float(samples.count)
        let v = samples.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Float(samples.count)
        #expect(abs(m - 2) < 0.02 && abs(v - 0.25) < 0.01)
        #expect(Tape(isTraining: false).sampleGaussian(mean: mean, logVariance: logVariance).value == mean.value)
    }

    @Test func subscriptReadsAndWritesRowMajor() {
        var t = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(t[1, 2] == 5)
        t[0, 1] = 9
        #expect(t.scalars[1] == 9)
    }
}
