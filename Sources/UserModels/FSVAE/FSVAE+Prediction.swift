import Listening
import Tensor

/// The latent Gaussian of a prediction: mean and variance per latent dimension.
public struct FSVAELatent: Sendable, Equatable {
    /// Posterior mean, fast latents first, then slow.
    public var mean: [Float]
    /// Posterior variance (all zero for the non-probabilistic models).
    public var variance: [Float]

    /// `count` latents drawn from this Gaussian by a generator seeded with `seed`, one per row `[count, size]`.
    func draws(count: Int, seed: UInt64) -> Tensor {
        var random = SeededRandom(seed: seed)
        let size = mean.count
        var latents = [Float](repeating: 0, count: count * size)
        for s in 0..<count {
            for j in 0..<size { latents[s * size + j] = mean[j] + variance[j].squareRoot() * random.normal() }
        }
        return Tensor(shape: [count, size], scalars: latents)
    }
}

extension FSVAE {
    /// Rows of predictions (decoded latent means) for every example, in batches.
    func predict(_ examples: FSVAEExamples, tracks: TrackVectors, chunk: Int = 1024) -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(examples.count)
        for start in stride(from: 0, to: examples.count, by: chunk) {
            let batch = examples.batch(
                start..<min(start + chunk, examples.count), tracks: tracks, config: config, slowNormalization: slowNormalization)
            let tape = Tape(isTraining: false)
            let prediction = decode(encode(batch, tape: tape).mean).value
            appendRows(prediction, to: &out)
        }
        return out
    }

    /// Rows of posterior means of the latent (fast latents first, then slow) for every example, in batches.
    func latentMeans(_ examples: FSVAEExamples, tracks: TrackVectors, chunk: Int = 1024) -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(examples.count)
        for start in stride(from: 0, to: examples.count, by: chunk) {
            let batch = examples.batch(
                start..<min(start + chunk, examples.count), tracks: tracks, config: config, slowNormalization: slowNormalization)
            appendRows(encode(batch, tape: Tape(isTraining: false)).mean.value, to: &out)
        }
        return out
    }

    func appendRows(_ matrix: Tensor, to rows: inout [[Float]]) {
        let columns = matrix.shape[1]
        matrix.withUnsafeBufferPointer { values in
            for r in 0..<matrix.shape[0] {
                rows.append(Array(values[(r * columns)..<((r + 1) * columns)]))
            }
        }
    }

    /// The one-example batch for a query at `time` in `context` after `history` and `current`.
    func query(history: some Sequence<Session>, current: [Play], context: SessionContext, time: Int64, tracks: TrackVectors) -> FSVAEBatch {
        let state = FSVAEExamples.state(history: history, current: current, context: context, config: config, tracks: tracks)
        var examples = FSVAEExamples(config: config, dimension: dimension)
        examples.append(state: state, context: context, time: time, target: -1, features: config.slowFeatures)
        return examples.batch(0..<1, tracks: tracks, config: config, slowNormalization: slowNormalization)
    }

    /// The predicted embedding of the track played at `time`, after `history` and the `current`
    /// session's plays so far, in `context`.
    public func predictNextTrack(
        history: some Sequence<Session>, current: [Play] = [], context: SessionContext, time: Int64, tracks: TrackVectors
    ) -> [Float] {
        if let output = recurrentQuery(history: history, current: current, context: context, time: time, tracks: tracks) {
            return output.prediction
        }
        let tape = Tape(isTraining: false)
        let batch = query(history: history, current: current, context: context, time: time, tracks: tracks)
        return decode(encode(batch, tape: tape).mean).value.scalars
    }

    /// The posterior over the latent for the same query as `predictNextTrack`.
    public func latent(
        history: some Sequence<Session>, current: [Play] = [], context: SessionContext, time: Int64, tracks: TrackVectors
    ) -> FSVAELatent {
        if let output = recurrentQuery(history: history, current: current, context: context, time: time, tracks: tracks) {
            return FSVAELatent(mean: output.latentMean, variance: output.latentVariance)
        }
        let tape = Tape(isTraining: false)
        let (mean, logVariance) = encode(
            query(history: history, current: current, context: context, time: time, tracks: tracks), tape: tape)
        let variance = logVariance.map { $0.exp().value.scalars } ?? [Float](repeating: 0, count: mean.value.count)
        return FSVAELatent(mean: mean.value.scalars, variance: variance)
    }

    /// `count` predicted embeddings decoded from latents sampled from the posterior (seeded).
    ///
    /// For the non-probabilistic models every sample equals the prediction.
    public func samples(
        count: Int, seed: UInt64, history: some Sequence<Session>, current: [Play] = [], context: SessionContext,
        time: Int64, tracks: TrackVectors
    ) -> [[Float]] {
        guard count > 0 else { return [] }
        if let output = recurrentQuery(history: history, current: current, context: context, time: time, tracks: tracks) {
            return recurrentSamples(count: count, seed: seed, at: output)
        }
        let posterior = latent(history: history, current: current, context: context, time: time, tracks: tracks)
        let tape = Tape(isTraining: false)
        var rows: [[Float]] = []
        appendRows(decode(tape.constant(posterior.draws(count: count, seed: seed))).value, to: &rows)
        return rows
    }
}

/// An FS-VAE bound to the track space it reads embeddings from, usable wherever a `UserModel`
/// or a `NextTrackPredictor` is expected.
public struct FSVAEUserModel: UserModel, NextTrackPredictor {
    /// The trained model.
    public let model: FSVAE
    /// The track space of the model's inputs and outputs.
    public let tracks: TrackVectors

    /// Binds `model` to `tracks`, whose dimension must be the model's.
    public init(model: FSVAE, tracks: TrackVectors) throws {
        guard model.dimension == tracks.dimension else {
            throw FSVAEError.dimensionMismatch(expected: model.dimension, found: tracks.dimension)
        }
        self.model = model
        self.tracks = tracks
    }

    public var name: String { model.name }
    public var dimension: Int { model.dimension }
    /// The hour, when the fast input carries the time of day of the prediction; the daypart, when a slow
    /// feature is taken per daypart. The rest of the window and the other aggregates ignore the context.
    public var contextFields: Set<ContextField> {
        let config = model.config
        var fields: Set<ContextField> = []
        if config.usesFastFeatures && config.fastScalars.contains(where: { $0 == .hourSine || $0 == .hourCosine }) { fields.insert(.hour) }
        if config.slowFeatures.contains(where: { $0 == .daypartShare || $0 == .daypartTaste }) { fields.insert(.daypart) }
        return fields
    }

    /// The predicted embedding of the first track of a session starting at `time` in `context`.
    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        model.predictNextTrack(history: history, context: context, time: time, tracks: tracks)
    }

    /// Session-start predictions for every session, in one batched pass.
    public func predictAll(sessions: [Session]) -> [[Float]] {
        if model.config.isRecurrent { return model.recurrentSessionStarts(sessions: sessions, tracks: tracks) }
        var examples = FSVAEExamples(config: model.config, dimension: model.dimension)
        var state = UserHistoryState(config: model.config, tracks: tracks)
        for session in sessions {
            examples.append(state: state, context: session.context, time: session.start, target: -1, features: model.config.slowFeatures)
            for play in session.plays { state.add(play, context: session.context) }
            state.endSession(length: session.plays.count)
        }
        return model.predict(examples, tracks: tracks)
    }

    public func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        if model.config.isRecurrent { return model.recurrentSteps(sessions: sessions, targets: targets, tracks: tracks).map(\.prediction) }
        let examples = FSVAEExamples.build(sessions: sessions, targets: targets, config: model.config, tracks: tracks, minimumHistory: 0)
        return model.predict(examples, tracks: tracks)
    }

    /// The posterior mean of the latent per play of `sessions[targets]`, for the same queries as `predictNextTracks`.
    ///
    /// This is FS-VAE's user representation at each time step: z_u(t) = g(z^s, z^n) for the recurrent
    /// model, the concatenated latents (fast first, then slow) for the windowed one.
    public func latentMeans(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        if model.config.isRecurrent {
            return model.recurrentSteps(sessions: sessions, targets: targets, tracks: tracks).map(\.representation)
        }
        let examples = FSVAEExamples.build(sessions: sessions, targets: targets, config: model.config, tracks: tracks, minimumHistory: 0)
        return model.latentMeans(examples, tracks: tracks)
    }
}
