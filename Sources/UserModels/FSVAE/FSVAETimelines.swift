import Listening
import Tensor

/// Users' plays as the recurrent FS-VAE's steps: one step per play, user after user, in time order.
///
/// Step t of a user holds the inputs "predict the play at t" (the window and aggregates of the plays
/// before it) and that play's track as target. Every play is a step, so the state sees the whole
/// history; `weights` says which steps count in a loss or score. A query step (a prediction for a
/// time with no play yet) reads the state without moving it.
struct FSVAETimelines {
    /// One example per step.
    var examples: FSVAEExamples
    /// The steps of each user.
    var users: [Range<Int>] = []
    /// Per step: 1 when it counts.
    var weights: [Float] = []
    /// Per step: 1 when it moves the state (a play), 0 for a query.
    var advances: [Float] = []

    /// Empty timelines for `config` in a `dimension`-d track space.
    init(config: FSVAEConfig, dimension: Int) {
        examples = FSVAEExamples(config: config, dimension: dimension)
    }

    var count: Int { examples.count }

    /// Weighted steps of user `user`.
    func countedSteps(user: Int) -> Int { users[user].reduce(0) { $0 + (weights[$1] > 0 ? 1 : 0) } }

    /// Appends one user: a step for every play of `sessions[..<end]`, then the plays of `current`
    /// (a session in progress, in `query`'s context), then an optional query step.
    ///
    /// A play's step counts when its session is in `targets`, at least `minimumHistory` plays precede
    /// it, and `keep` accepts its track. Each step's session index goes to `sessionOfStep` when given.
    mutating func appendUser(
        sessions: some Collection<Session>, end: Int, targets: Range<Int>, config: FSVAEConfig, tracks: TrackVectors,
        minimumHistory: Int = 1, keep: (Int32) -> Bool = { _ in true }, current: [Play] = [],
        query: (context: SessionContext, time: Int64)? = nil, sessionOfStep: ((Int) -> Void)? = nil
    ) {
        let first = examples.count
        var state = UserHistoryState(config: config, tracks: tracks)
        for (index, session) in sessions.enumerated() {
            if index >= end { break }
            let counts = targets.contains(index)
            for play in session.plays {
                let weight: Float = counts && state.plays >= minimumHistory && keep(play.track) ? 1 : 0
                examples.append(state: state, context: session.context, time: play.time, target: play.track, features: config.slowFeatures)
                weights.append(weight)
                advances.append(1)
                sessionOfStep?(index)
                state.add(play, context: session.context)
            }
            state.endSession(length: session.plays.count)
        }
        if let query {
            for play in current {
                examples.append(state: state, context: query.context, time: play.time, target: play.track, features: config.slowFeatures)
                weights.append(0)
                advances.append(1)
                state.add(play, context: query.context)
            }
            examples.append(state: state, context: query.context, time: query.time, target: -1, features: config.slowFeatures)
            weights.append(0)
            advances.append(0)
        }
        users.append(first..<examples.count)
    }

    /// Appends a user made of one query step from `state`: a prediction at `time` in `context` that
    /// reads the state and does not move it.
    mutating func appendQuery(state: UserHistoryState, context: SessionContext, time: Int64, config: FSVAEConfig) {
        let first = examples.count
        examples.append(state: state, context: context, time: time, target: -1, features: config.slowFeatures)
        weights.append(0)
        advances.append(0)
        users.append(first..<examples.count)
    }

    /// The chunk of `steps` steps starting at step `offset` of each of `group`'s users, time-major.
    ///
    /// Rows past a user's last step are padding: they neither move the state nor count.
    func chunk(
        group: [Int], offset: Int, steps: Int, tracks: TrackVectors, config: FSVAEConfig,
        slowNormalization: (mean: [Float], deviation: [Float])
    ) -> FSVAEChunk {
        let userCount = group.count
        var indices = [Int](repeating: 0, count: steps * userCount)
        var rowAdvances = [Float](repeating: 0, count: steps * userCount)
        var rowWeights = [Float](repeating: 0, count: steps * userCount)
        var rowExamples = [Int](repeating: -1, count: steps * userCount)
        for step in 0..<steps {
            for (column, user) in group.enumerated() {
                let range = users[user]
                let row = step * userCount + column
                let example = range.lowerBound + offset + step
                guard example < range.upperBound else {
                    indices[row] = range.isEmpty ? 0 : range.lowerBound
                    continue
                }
                indices[row] = example
                rowAdvances[row] = advances[example]
                rowWeights[row] = weights[example]
                rowExamples[row] = example
            }
        }
        var batch = examples.batch(indices, tracks: tracks, config: config, slowNormalization: slowNormalization)
        // Padding rows repeat a real example for shape; their window is masked out so it costs nothing.
        if let mask = batch.mask {
            var values = mask.scalars
            let window = mask.shape[1]
            for row in rowExamples.indices where rowExamples[row] < 0 {
                for j in 0..<window { values[row * window + j] = 0 }
            }
            batch.mask = Tensor(shape: mask.shape, scalars: values)
        }
        return FSVAEChunk(batch: batch, users: userCount, steps: steps, advances: rowAdvances, weights: rowWeights, examples: rowExamples)
    }
}

extension FSVAE {
    /// Runs the recurrent model over whole timelines on an inference tape, `usersPerBatch` users at a
    /// time in chunks of `chunkSteps`, and hands every step's output row to `visit` (step index,
    /// prediction, representation, posterior mean and variance of the latents) when `include` accepts it.
    func runTimelines(
        _ timelines: FSVAETimelines, users: [Int], tracks: TrackVectors, usersPerBatch: Int = 64, chunkSteps: Int = 64,
        include: (Int) -> Bool, visit: (_ step: Int, _ output: FSVAEStepOutput) -> Void
    ) {
        for groupStart in stride(from: 0, to: users.count, by: usersPerBatch) {
            let group = Array(users[groupStart..<min(groupStart + usersPerBatch, users.count)])
            let longest = group.map { timelines.users[$0].count }.max() ?? 0
            var state = zeroState(users: group.count)
            for offset in stride(from: 0, to: longest, by: chunkSteps) {
                let steps = min(chunkSteps, longest - offset)
                let chunk = timelines.chunk(
                    group: group, offset: offset, steps: steps, tracks: tracks, config: config, slowNormalization: slowNormalization)
                let tape = Tape(isTraining: false)
                let output = recurrentForward(chunk, state: state, tape: tape)
                state = output.finalState
                let wanted = chunk.examples.indices.filter { chunk.examples[$0] >= 0 && include(chunk.examples[$0]) }
                guard !wanted.isEmpty else { continue }
                let rows = FSVAEStepOutputs(output)
                for row in wanted { visit(chunk.examples[row], rows.row(row)) }
            }
        }
    }
}

/// One step's outputs of the recurrent model.
struct FSVAEStepOutput {
    /// The predicted next-track embedding.
    var prediction: [Float]
    /// The user representation z_u(t) from the posterior means.
    var representation: [Float]
    /// Posterior means of [z^s, z^n].
    var latentMean: [Float]
    /// Posterior variances of [z^s, z^n] (zeros when deterministic).
    var latentVariance: [Float]
    /// h_{t−1}.
    var previousState: [Float]
}

/// The rows of a chunk's output, read from its tensors.
struct FSVAEStepOutputs {
    let prediction: Tensor
    let representation: Tensor
    let means: [Tensor]
    let variances: [Tensor?]
    let previousState: Tensor

    init(_ output: FSVAEChunkOutput) {
        prediction = output.prediction.value
        representation = output.representation.value
        previousState = output.previousState.value
        var means: [Tensor] = []
        var variances: [Tensor?] = []
        for (mean, logVariance) in [(output.fastMean, output.fastLogVariance), (output.slowMean, output.slowLogVariance)] {
            guard let mean else { continue }
            means.append(mean.value)
            variances.append(logVariance.map { $0.exp().value })
        }
        self.means = means
        self.variances = variances
    }

    static func row(_ matrix: Tensor, _ row: Int) -> [Float] {
        let columns = matrix.shape[1]
        return Array(matrix.scalars[(row * columns)..<((row + 1) * columns)])
    }

    func row(_ row: Int) -> FSVAEStepOutput {
        var mean: [Float] = []
        var variance: [Float] = []
        for (m, v) in zip(means, variances) {
            let values = Self.row(m, row)
            mean += values
            variance += v.map { Self.row($0, row) } ?? [Float](repeating: 0, count: values.count)
        }
        return FSVAEStepOutput(
            prediction: Self.row(prediction, row), representation: Self.row(representation, row), latentMean: mean,
            latentVariance: variance, previousState: Self.row(previousState, row))
    }
}
