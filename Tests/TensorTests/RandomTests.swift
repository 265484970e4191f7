import Testing

@testable import Tensor

@Suite struct RandomTests {
    @Test func sameSeedSameSequenceDifferentSeedDifferent() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
    }

    @Test func sequenceIsPinnedAcrossRunsAndPlatforms() {
        // Golden values: changing the generator would silently change every seeded experiment.
        var random = SeededRandom(seed: 0)
        #expect(random.next() == 11_091_344_671_253_066_420)
        var uniform = SeededRandom(seed: 1)
        let u = Tensor.uniform([3], using: &uniform)
        #expect(Tensor.uniform([3], using: &uniform) != u)
        var again = SeededRandom(seed: 1)
        #expect(Tensor.uniform([3], using: &again) == u)
    }

    @Test func uniformAndNormalHaveTheRightMoments() {
        var random = SeededRandom(seed: 7)
        let n = 200_000
        let uniform = Tensor.uniform([n], low: -1, high: 3, using: &random).scalars
        let normal = Tensor.normal([n], mean: 2, standardDeviation: 0.5, using: &random).scalars
        func moments(_ values: [Float]) -> (Double, Double) {
            let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
            let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
            return (mean, variance)
        }
        let (um, uv) = moments(uniform), (nm, nv) = moments(normal)
        #expect(abs(um - 1) < 0.01 && abs(uv - 16.0 / 12) < 0.02)
        #expect(uniform.allSatisfy { $0 >= -1 && $0 < 3 })
        #expect(abs(nm - 2) < 0.01 && abs(nv - 0.25) < 0.005)
    }

    @Test func initialisersUseTheirFans() {
        var random = SeededRandom(seed: 3)
        let xavier = Initializer.xavierUniform.tensor([200, 100], using: &random)
        let bound = (6.0 / 300).squareRoot()
        #expect(xavier.scalars.allSatisfy { abs(Double($0)) <= bound })
        #expect(xavier.scalars.contains { abs(Double($0)) > 0.9 * bound })
        let he = Initializer.heNormal.tensor([400, 200], using: &random)
        let variance = he.scalars.reduce(0.0) { $0 + Double($1 * $1) } / Double(he.count)
        #expect(abs(variance - 2.0 / 200) < 0.0005)
        #expect(Initializer.zeros.tensor([2, 2], using: &random) == .zeros([2, 2]))
    }

    @Test func seededLayersAreIdentical() {
        var a = SeededRandom(seed: 11), b = SeededRandom(seed: 11)
        let first = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, random: &a)
        let second = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, random: &b)
        #expect(first.stateDictionary() == second.stateDictionary())
    }
}
