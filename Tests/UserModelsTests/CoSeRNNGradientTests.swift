import Listening
import Tensor
import Testing

@testable import UserModels

/// CoSeRNN's full loss gradient against central finite differences, on a tiny model.
@Suite struct CoSeRNNGradientTests {
    /// The architectures checked: the default (two shared-weight passes through the context layer), with
    /// daypart hours, three passes with the current source, and the earlier one-pass model.
    enum Variant: String, CaseIterable {
        case official, daypart, threePasses, earlierDefault
    }

    @Test(arguments: Variant.allCases)
    func fullLossGradientMatchesFiniteDifferences(variant: Variant) throws {
        let data = CoSeRNNTestData(users: 3, sessionsPerUser: 6, tracks: 200, seed: 5)
        var config = data.config(hidden: 5, dense: 4, seed: 3)
        switch variant {
        case .official: break
        case .daypart: config.hourEncoding = .daypart
        case .threePasses:
            config.previousTracks = .allPlayedAndSkipped
            config.useCurrentSource = true
        case .earlierDefault: config = config.ablated(.earlierDefault)
        }
        let model = try CoSeRNN(config: config, tracks: data.tracks)
        #expect(model.layout.passes == [.official: 2, .daypart: 2, .threePasses: 3, .earlierDefault: 1][variant])
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
