import Listening
import Tensor

/// One chunk of recurrent steps for a batch of users; rows are time-major (row = step · users + user).
struct FSVAEChunk {
    /// The steps' inputs and targets, `steps · users` rows.
    var batch: FSVAEBatch
    /// Users in the chunk.
    var users: Int
    /// Steps in the chunk.
    var steps: Int
    /// Per row: 1 when the step moves the user's state (a play), 0 for padding and for query steps.
    var advances: [Float]
    /// Per row: 1 when the step's target counts in the loss or score.
    var weights: [Float]
    /// Per row: the step's index in its timelines, or −1 for padding.
    var examples: [Int]
}

/// What the recurrent model computes over a chunk.
struct FSVAEChunkOutput {
    /// The next-track means `[rows, D]`: fast decoder plus slow decoder.
    var prediction: Variable
    /// The fast posterior `[rows, K]` (nil without fast features; log-variance nil when deterministic).
    var fastMean: Variable?
    var fastLogVariance: Variable?
    /// The slow posterior `[rows, K]` (nil without slow features).
    var slowMean: Variable?
    var slowLogVariance: Variable?
    /// The user representation z_u(t) `[rows, representationSize]`, from the latents used.
    var representation: Variable
    /// The state each row's step started from, h_{t−1} `[rows, H]`.
    var previousState: Variable
    /// The state after the chunk `[users, H]`.
    var finalState: Tensor
}

extension FSVAE {
    /// Runs the recurrent model (Eqs. 2–5) over `chunk` from the per-user states `initial` `[users, H]`.
    ///
    /// Per step t: the window summary s_t and slow hidden n_t; the fast posterior over [s_t, h_{t−1}] and
    /// the slow one over n_t; latents drawn by reparameterisation on a training tape (the means on an
    /// inference tape); z_u(t) = g(z^s, z^n); h_t = GRU([s_t, z_u(t)], h_{t−1}),
    /// carried unchanged where a row does not advance. The next-track mean is the fast decoder over
    /// [z^s_t, h_{t−1}] plus the slow decoder over z^n_t. The state enters as a constant: gradients stop
    /// at the chunk's start (truncated backpropagation through time).
    func recurrentForward(_ chunk: FSVAEChunk, state initial: Tensor, tape: Tape) -> FSVAEChunkOutput {
        let (users, steps) = (chunk.users, chunk.steps)
        let rate = config.dropout
        let batch = chunk.batch
        var summary: Variable?
        if let fast = batch.fast { summary = fastSummary(fast, mask: batch.mask, tape: tape)?.leakyRelu().dropout(rate: rate) }
        var slowMean: Variable?
        var slowLogVariance: Variable?
        if let slowFirst, let slowSecond, let slowMeanHead = self.slowMean, let slow = batch.slow {
            let first = slowFirst(tape.constant(slow)).leakyRelu().dropout(rate: rate)
            let hidden = slowSecond(first).leakyRelu().dropout(rate: rate)
            slowMean = slowMeanHead(hidden)
            slowLogVariance = self.slowLogVariance.map { $0(hidden) }
        }
        let slowLatent = slowMean.map { mean in slowLogVariance.map { tape.sampleGaussian(mean: mean, logVariance: $0) } ?? mean }
        var state = tape.constant(initial)
        var previousStates: [Variable] = []
        var fastMeans: [Variable] = []
        var fastLogVariances: [Variable] = []
        var fastLatents: [Variable] = []
        var representations: [Variable] = []
        for step in 0..<steps {
            let rows = (step * users)..<((step + 1) * users)
            let stepSummary = summary?.slice(axis: 0, rows)
            var parts: [Variable] = []
            if let stepSummary, let fastMeanHead = fastMean {
                let posteriorInput = Variable.concatenate([stepSummary, state], axis: 1)
                let mean = fastMeanHead(posteriorInput)
                let logVariance = fastLogVariance.map { $0(posteriorInput) }
                let latent = logVariance.map { tape.sampleGaussian(mean: mean, logVariance: $0) } ?? mean
                fastMeans.append(mean)
                if let logVariance { fastLogVariances.append(logVariance) }
                fastLatents.append(latent)
                parts.append(latent)
            }
            if let slowLatent { parts.append(slowLatent.slice(axis: 0, rows)) }
            let combined = parts.count == 1 ? parts[0] : Variable.concatenate(parts, axis: 1)
            let representation = combinationCell.map { $0(combined) } ?? combined
            representations.append(representation)
            previousStates.append(state)
            let cellInput = stepSummary.map { Variable.concatenate([$0, representation], axis: 1) } ?? representation
            let advances = Tensor(shape: [users, 1], scalars: Array(chunk.advances[rows]))
            if let stateCell {
                state =
                    stateCell(
                        cellInput.reshaped([users, 1, cellInput.shape[1]]), mask: advances, initialState: RecurrentState(hidden: state)
                    )
                    .state.hidden
            }
        }
        let stacked = { (parts: [Variable]) -> Variable? in
            parts.isEmpty ? nil : (parts.count == 1 ? parts[0] : Variable.concatenate(parts, axis: 0))
        }
        let previous = stacked(previousStates) ?? tape.constant(initial)
        let fastLatent = stacked(fastLatents)
        let prediction = recurrentDecode(fastLatent: fastLatent, slowLatent: slowLatent, previousState: previous)
        return FSVAEChunkOutput(
            prediction: prediction, fastMean: stacked(fastMeans), fastLogVariance: stacked(fastLogVariances),
            slowMean: slowMean, slowLogVariance: slowLogVariance, representation: stacked(representations) ?? prediction,
            previousState: previous, finalState: state.value)
    }

    /// The chunk's loss: Gaussian reconstruction of the next track with the fixed σ² plus β·KL of both
    /// posteriors against N(0, I) (Eqs. 3 and 7), averaged over the rows that count; and the state after it.
    ///
    /// `klWeight` overrides β (KL annealing during training).
    func recurrentLoss(_ chunk: FSVAEChunk, state: Tensor, tape: Tape, klWeight: Float? = nil) -> (loss: FSVAELoss, state: Tensor) {
        let output = recurrentForward(chunk, state: state, tape: tape)
        let rows = chunk.weights.count
        let weights = tape.constant(Tensor(shape: [rows], scalars: chunk.weights))
        let scale = 1 / max(1, chunk.weights.reduce(0, +))
        let variance = config.reconstructionVariance ?? 1
        let squared = (output.prediction - tape.constant(chunk.batch.target)).squared().sum(axis: -1)
        let reconstruction = (squared * weights).sum() * (scale / (2 * variance))
        var klRows: Variable?
        for (mean, logVariance) in [(output.fastMean, output.fastLogVariance), (output.slowMean, output.slowLogVariance)] {
            guard let mean, let logVariance else { continue }
            let rowKL = ((mean.squared() + logVariance.exp() - logVariance - 1) * 0.5).sum(axis: -1)
            klRows = klRows.map { $0 + rowKL } ?? rowKL
        }
        guard let klRows else {
            return (
                FSVAELoss(total: reconstruction, reconstruction: reconstruction, kl: nil, prediction: output.prediction), output.finalState
            )
        }
        let kl = (klRows * weights).sum() * scale
        let total = reconstruction + kl * (klWeight ?? config.beta)
        return (FSVAELoss(total: total, reconstruction: reconstruction, kl: kl, prediction: output.prediction), output.finalState)
    }

    /// Eq. 2's two decoders, summed: the fast one over [z^s, h_{t−1}], the slow one over z^n.
    func recurrentDecode(fastLatent: Variable?, slowLatent: Variable?, previousState: Variable) -> Variable {
        let rate = config.dropout
        let fastInput = fastLatent.map { Variable.concatenate([$0, previousState], axis: 1) } ?? previousState
        let prediction = decoderOutput(decoderHidden(fastInput).leakyRelu().dropout(rate: rate))
        guard let slowLatent, let slowDecoderHidden, let slowDecoderOutput else { return prediction }
        return prediction + slowDecoderOutput(slowDecoderHidden(slowLatent).leakyRelu().dropout(rate: rate))
    }

    /// A zero state for `users` users.
    func zeroState(users: Int) -> Tensor { Tensor(shape: [users, config.recurrentHidden ?? 0], repeating: 0) }
}
