import Testing

@testable import Tensor

@Suite struct OptimizerTests {
    /// f(w) = Σ cᵢ (wᵢ − targetᵢ)², an ill-conditioned quadratic with minimum at `target`.
    func quadraticLoss(_ w: Parameter, tape: Tape) -> Variable {
        let target = tape.constant(Tensor(shape: [3], scalars: [1, -2, 3]))
        let scale = tape.constant(Tensor(shape: [3], scalars: [1, 10, 0.1]))
        return ((tape.parameter(w) - target).squared() * scale).sum()
    }

    @Test func adamReachesTheMinimumOfAQuadratic() throws {
        let w = Parameter(.zeros([3]))
        let adam = Adam(parameters: [w], learningRate: 0.05)
        for _ in 0..<2000 {
            let tape = Tape()
            tape.backward(quadraticLoss(w, tape: tape))
            try adam.step()
        }
        for (value, target) in zip(w.value.scalars, [Float(1), -2, 3]) { #expect(abs(value - target) < 1e-3) }
        #expect(adam.stepCount == 2000)
        #expect(w.gradient.scalars.allSatisfy { $0 == 0 }, "step zeroes gradients")
    }

    @Test func firstAdamStepMovesEachWeightByTheLearningRate() throws {
        // With bias correction the first update is lr · g/|g| per coordinate.
        let w = Parameter(Tensor(shape: [2], scalars: [0, 0]))
        w.gradient = Tensor(shape: [2], scalars: [3, -0.5])
        try Adam(parameters: [w], learningRate: 0.1).step()
        #expect(abs(w.value.scalars[0] + 0.1) < 1e-6 && abs(w.value.scalars[1] - 0.1) < 1e-6)
    }

    @Test func weightDecayShrinksWeightsWithoutGradient() throws {
        for decoupled in [false, true] {
            let w = Parameter(Tensor(shape: [1], scalars: [1]))
            let adam = Adam(parameters: [w], learningRate: 0.01, weightDecay: 0.5, decoupledWeightDecay: decoupled)
            for _ in 0..<10 { try adam.step() }
            #expect(w.value.scalars[0] < 1 && w.value.scalars[0] > 0.8)
        }
    }

    @Test func clippingCapsTheGlobalNorm() {
        let a = Parameter(.zeros([2])), b = Parameter(.zeros([1]))
        a.gradient = Tensor(shape: [2], scalars: [3, 4])
        b.gradient = Tensor(shape: [1], scalars: [12])
        let before = clipGradients([a, b], maxNorm: 6.5)
        #expect(before == 13)
        #expect(abs(globalGradientNorm([a, b]) - 6.5) < 1e-5)
        #expect(abs(a.gradient.scalars[0] - 1.5) < 1e-6)  // Direction is preserved.
        #expect(clipGradients([a, b], maxNorm: 100) < 100)  // Below the cap nothing changes.
        #expect(abs(globalGradientNorm([a, b]) - 6.5) < 1e-5)
    }

    @Test func adamClipsWhenAskedTo() throws {
        let w = Parameter(.zeros([2]))
        let adam = Adam(parameters: [w], learningRate: 0.1, maxGradientNorm: 1)
        w.gradient = Tensor(shape: [2], scalars: [30, 40])
        #expect(try adam.step() == 50)
    }

    @Test func nonFiniteGradientStopsWithTheStepAndLeavesWeights() throws {
        let w = Parameter(Tensor(shape: [2], scalars: [1, 2]))
        let adam = Adam(parameters: [w])
        w.gradient = Tensor(shape: [2], scalars: [1, 1])
        try adam.step()
        let before = w.value
        w.gradient = Tensor(shape: [2], scalars: [.nan, 1])
        let error = #expect(throws: NonFiniteError.self) { try adam.step() }
        #expect(error?.step == 2)
        #expect(error?.description.contains("step 2") == true)
        #expect(w.value == before)
    }

    @Test func finiteChecksNameTheStepAndParameter() {
        #expect(throws: Never.self) { try checkFinite(Float(0.5), step: 3) }
        let error = #expect(throws: NonFiniteError.self) { try checkFinite(Float.infinity, step: 7) }
        #expect(error?.description.hasPrefix("training stopped at step 7: loss is inf") == true)
        var random = SeededRandom(seed: 1)
        let layer = Linear(inputSize: 2, outputSize: 2, random: &random)
        layer.weight.value.scalars[1] = .nan
        let named = #expect(throws: NonFiniteError.self) { try checkFinite(layer, step: 9) }
        #expect(named?.quantity == "parameter weight")
    }
}

@Suite struct AdamStateTests {
    @Test func resumingFromSavedStateMatchesAnUninterruptedRun() throws {
        func run(interrupted: Bool) throws -> Tensor {
            let w = Parameter(.zeros([3]))
            var adam = Adam(parameters: [w], learningRate: 0.1)
            for step in 0..<6 {
                if interrupted && step == 3 {
                    let bytes = try SafetensorsFile(tensors: adam.stateDictionary()).encoded()
                    adam = Adam(parameters: [w], learningRate: 0.1)
                    try adam.loadStateDictionary(SafetensorsFile(bytes: bytes).tensors)
                }
                w.gradient = Tensor(shape: [3], scalars: [1, -2, 0.5]) * Float(step + 1)
                try adam.step()
            }
            return w.value
        }
        #expect(try run(interrupted: true) == run(interrupted: false))
    }

    @Test func loadingMismatchedStateFails() {
        let adam = Adam(parameters: [Parameter(.zeros([3]))])
        #expect(throws: LayerError.missingParameter("adam.step")) { try adam.loadStateDictionary([:]) }
        let other = Adam(parameters: [Parameter(.zeros([2]))]).stateDictionary()
        #expect(throws: LayerError.shapeMismatch(name: "adam.m.0", expected: [3], found: [2])) {
            try adam.loadStateDictionary(other)
        }
    }
}
