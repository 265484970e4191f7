import Testing

@testable import Tensor

/// Layer gradients against central finite differences, and the fused kernels against unfused tape ops.
@Suite struct LayerGradientTests {
    let check = GradientCheck()
    let mask = Tensor(shape: [3, 4], scalars: [1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0])

    /// Flattens a sequence result into one variable so a single objective covers outputs and states.
    func flatten(_ result: RecurrentOutput) -> Variable {
        let shape = result.output.shape
        var parts = [result.output.reshaped([shape[0], shape[1] * shape[2]]), result.state.hidden]
        if let cell = result.state.cell { parts.append(cell) }
        return Variable.concatenate(parts, axis: 1)
    }

    @Test func linear() {
        var random = SeededRandom(seed: 1)
        let layer = Linear(inputSize: 4, outputSize: 3, random: &random)
        layer.bias?.value = randomTensor([3], seed: 5)
        check.run(inputs: [randomTensor([2, 4], seed: 2)], parameters: layer.parameters) { _, v in layer(v[0]) }
    }

    @Test(arguments: [false, true])
    func lstmLayer(masked: Bool) {
        var random = SeededRandom(seed: 1)
        let layer = LSTMLayer(inputSize: 3, hiddenSize: 5, random: &random)
        let inputs = [randomTensor([3, 4, 3], seed: 2), randomTensor([3, 5], seed: 3), randomTensor([3, 5], seed: 4)]
        check.run(inputs: inputs, parameters: layer.parameters) { _, v in
            flatten(layer(v[0], mask: masked ? mask : nil, initialState: RecurrentState(hidden: v[1], cell: v[2])))
        }
    }

    @Test(arguments: [false, true])
    func gruLayer(masked: Bool) {
        var random = SeededRandom(seed: 1)
        let layer = GRULayer(inputSize: 3, hiddenSize: 5, random: &random)
        let inputs = [randomTensor([3, 4, 3], seed: 2), randomTensor([3, 5], seed: 3)]
        check.run(inputs: inputs, parameters: layer.parameters) { _, v in
            flatten(layer(v[0], mask: masked ? mask : nil, initialState: RecurrentState(hidden: v[1])))
        }
    }

    @Test func stackedLSTMWithDropout() {
        var random = SeededRandom(seed: 1)
        let stack = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, dropout: 0.25, random: &random)
        // The gradient check rebuilds each tape with the same seed, so dropout masks agree.
        check.run(inputs: [randomTensor([3, 4, 3], seed: 2)], parameters: stack.parameters) { _, v in
            let result = stack(v[0], mask: mask)
            return Variable.concatenate([result.output.reshaped([3, 16]), result.states[0].hidden, result.states[1].cell!], axis: 1)
        }
    }

    @Test func stackedGRU() {
        var random = SeededRandom(seed: 1)
        let stack = GRU(inputSize: 3, hiddenSize: 4, layerCount: 2, random: &random)
        check.run(inputs: [randomTensor([3, 4, 3], seed: 2)], parameters: stack.parameters) { _, v in
            stack(v[0], mask: mask).output
        }
        #expect(
            stack.namedParameters.map(\.name) == [
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
            ])
    }

    /// An LSTM written with ordinary tape ops, step by step, as an independent reference.
    func referenceLSTM(_ layer: LSTMLayer, _ x: Variable, mask: Tensor) -> (Variable, Variable, Variable) {
        let tape = x.tape
        let (batch, steps, inputs) = (x.shape[0], x.shape[1], x.shape[2])
        let hidden = layer.hiddenSize
        var h = tape.constant(.zeros([batch, hidden])), c = h
        var outputs: [Variable] = []
        let wih = tape.parameter(layer.weightIH), whh = tape.parameter(layer.weightHH)
        let bias = tape.parameter(layer.biasIH) + tape.parameter(layer.biasHH)
        for t in 0..<steps {
            let xt = x.slice(axis: 1, t..<t + 1).reshaped([batch, inputs])
            let a = xt.matmul(wih, transposeOther: true) + h.matmul(whh, transposeOther: true) + bias
            let i = a.slice(axis: 1, 0..<hidden).sigmoid()
            let f = a.slice(axis: 1, hidden..<2 * hidden).sigmoid()
            let g = a.slice(axis: 1, 2 * hidden..<3 * hidden).tanh()
            let o = a.slice(axis: 1, 3 * hidden..<4 * hidden).sigmoid()
            let cNew = f * c + i * g
            let hNew = o * cNew.tanh()
            let m = tape.constant(Tensor(shape: [batch, 1], scalars: (0..<batch).map { mask.scalars[$0 * steps + t] }))
            c = m * cNew + (1 - m) * c
            h = m * hNew + (1 - m) * h
            outputs.append((m * hNew).reshaped([batch, 1, hidden]))
        }
        return (Variable.concatenate(outputs, axis: 1), h, c)
    }

    @Test func fusedLSTMMatchesUnfusedReference() {
        var random = SeededRandom(seed: 3)
        let layer = LSTMLayer(inputSize: 3, hiddenSize: 5, random: &random)
        let x = randomTensor([3, 4, 3], seed: 4)
        func run(_ fused: Bool) -> ([Float], [Float], [Float]) {
            for p in layer.parameters { p.zeroGradient() }
            let tape = Tape()
            let input = tape.variable(x)
            let (y, h, c): (Variable, Variable, Variable)
            if fused {
                let result = layer(input, mask: mask)
                (y, h, c) = (result.output, result.state.hidden, result.state.cell!)
            } else {
                (y, h, c) = referenceLSTM(layer, input, mask: mask)
            }
            tape.backward((y.squared().sum() + h.sum() + (c * 0.5).sum()))
            return (
                y.value.scalars + h.value.scalars + c.value.scalars,
                tape.gradient(of: input).scalars,
                layer.parameters.flatMap(\.gradient.scalars)
            )
        }
        let fused = run(true), reference = run(false)
        for (a, b) in zip(fused.0, reference.0) { #expect(abs(a - b) < 1e-5) }
        for (a, b) in zip(fused.1, reference.1) { #expect(abs(a - b) < 1e-5) }
        for (a, b) in zip(fused.2, reference.2) { #expect(abs(a - b) < 1e-4) }
    }

    @Test func fullyMaskedRowKeepsItsInitialState() {
        var random = SeededRandom(seed: 1)
        let lstm = LSTMLayer(inputSize: 2, hiddenSize: 3, random: &random)
        let gru = GRULayer(inputSize: 2, hiddenSize: 3, random: &random)
        let emptyRow = Tensor(shape: [2, 3], scalars: [1, 1, 0, 0, 0, 0])
        let inputs = [randomTensor([2, 3, 2], seed: 2), randomTensor([2, 3], seed: 3), randomTensor([2, 3], seed: 4)]
        check.run(inputs: inputs, parameters: lstm.parameters) { _, v in
            flatten(lstm(v[0], mask: emptyRow, initialState: RecurrentState(hidden: v[1], cell: v[2])))
        }
        check.run(inputs: inputs, parameters: gru.parameters) { _, v in
            flatten(gru(v[0], mask: emptyRow, initialState: RecurrentState(hidden: v[1])))
        }
        let tape = Tape()
        let result = lstm(
            tape.constant(inputs[0]), mask: emptyRow,
            initialState: RecurrentState(hidden: tape.constant(inputs[1]), cell: tape.constant(inputs[2])))
        #expect(Array(result.state.hidden.value.scalars[3..<6]) == Array(inputs[1].scalars[3..<6]))
        #expect(Array(result.state.cell!.value.scalars[3..<6]) == Array(inputs[2].scalars[3..<6]))
    }

    @Test func maskedStepsCarryStateAndOutputZero() {
        var random = SeededRandom(seed: 1)
        let layer = GRULayer(inputSize: 2, hiddenSize: 3, random: &random)
        let tape = Tape()
        let x = randomTensor([3, 4, 2], seed: 2)
        let full = layer(tape.constant(x), mask: mask)
        // Row 2 has one valid step: its final state equals a one-step run.
        let short = layer(tape.constant(x).slice(axis: 0, 2..<3).slice(axis: 1, 0..<1))
        #expect(full.state.hidden.value.scalars[6..<9].elementsEqual(short.state.hidden.value.scalars))
        #expect(full.output.value.scalars[(2 * 4 + 1) * 3..<(3 * 4) * 3].allSatisfy { $0 == 0 })
    }
}

@Suite struct DropoutLayerTests {
    @Test func dropoutLayerIsIdentityInInference() {
        let x = randomTensor([4, 4], seed: 1)
        #expect(Dropout(rate: 0.5)(Tape(isTraining: false).constant(x)).value == x)
        #expect(Dropout(rate: 0.5)(Tape(seed: 1).constant(x)).value != x)
        #expect(Dropout(rate: 0.5).parameters.isEmpty)
    }
}
