import Listening
import Tensor
import Testing

@testable import UserModels

/// CoSeRNN's full loss gradient against central finite differences, on a tiny model.
@Suite struct CoSeRNNGradientTests {
    @Test(arguments: [false, true])
    func fullLossGradientMatchesFiniteDifferences(daypart: Bool) throws {
        let data = CoSeRNNTestData(users: 3, sessionsPerUser: 6, tracks: 200, seed: 5)
        var config = data.config(hidden: 5, dense: 4, seed: 3)
        config.hourEncoding = daypart ? .daypart : .hour
        let model = try CoSeRNN(config: config, tracks: data.tracks)
        // Biases start at zero, which puts a ReLU exactly on its kink wherever a layer's input is all
        // zero (finite differences then see half a slope); check at a generic point instead.
        var random = SeededRandom(seed: 9)
        for (name, parameter) in model.namedParameters where name.hasSuffix("bias") {
            parameter.value = Tensor(
                shape: parameter.value.shape,
                scalars: parameter.value.scalars.map { $0 + Float.random(in: -0.2...0.2, using: &random) })
        }
        let batch = model.batch(data.users.map { model.features(of: $0[...]) }) { _, _ in true }
        func loss(_ tape: Tape) -> Variable {
            let (prediction, _) = model.forward(tape.constant(batch.inputs), longTerm: batch.longTerm, mask: batch.mask)
            return Loss.cosineDistance(prediction, tape.constant(batch.targets), mask: batch.lossMask)
        }
        let checked = ParameterGradientCheck.check(model, loss: loss)
        #expect(checked > 40)
    }
}
