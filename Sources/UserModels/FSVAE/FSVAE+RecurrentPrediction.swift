import Listening
import Tensor

extension FSVAE {
    /// The recurrent model's output at a query at `time` in `context`, after the state has run over
    /// every play of `history` and then of `current`; nil for a windowed model.
    func recurrentQuery(
        history: some Sequence<Session>, current: [Play], context: SessionContext, time: Int64, tracks: TrackVectors
    ) -> FSVAEStepOutput? {
        guard config.isRecurrent else { return nil }
        let sessions = Array(history)
        var timelines = FSVAETimelines(config: config, dimension: dimension)
        timelines.appendUser(
            sessions: sessions, end: sessions.count, targets: 0..<0, config: config, tracks: tracks, current: current,
            query: (context, time))
        let last = timelines.count - 1
        var result: FSVAEStepOutput?
        runTimelines(timelines, users: [0], tracks: tracks, usersPerBatch: 1, include: { $0 == last }, visit: { result = $1 })
        return result
    }

    /// Outputs of the recurrent model at every play of `sessions[targets]`, in order, from one pass over
    /// the user's timeline (each play predicted from the plays before it).
    func recurrentSteps(sessions: [Session], targets: Range<Int>, tracks: TrackVectors) -> [FSVAEStepOutput] {
        var timelines = FSVAETimelines(config: config, dimension: dimension)
        var sessionOfStep: [Int] = []
        timelines.appendUser(
            sessions: sessions, end: min(targets.upperBound, sessions.count), targets: targets, config: config, tracks: tracks,
            sessionOfStep: { sessionOfStep.append($0) })
        var outputs: [FSVAEStepOutput] = []
        runTimelines(
            timelines, users: [0], tracks: tracks, usersPerBatch: 1, include: { targets.contains(sessionOfStep[$0]) },
            visit: {
                outputs.append($1)
            })
        return outputs
    }

    /// Session-start predictions for every session: the prediction at each session's first play.
    func recurrentSessionStarts(sessions: [Session], tracks: TrackVectors) -> [[Float]] {
        var timelines = FSVAETimelines(config: config, dimension: dimension)
        var firstSteps: [Int: Int] = [:]
        var step = 0
        timelines.appendUser(
            sessions: sessions, end: sessions.count, targets: 0..<0, config: config, tracks: tracks,
            sessionOfStep: { session in
                if firstSteps[session] == nil { firstSteps[session] = step }
                step += 1
            })
        var byStep: [Int: [Float]] = [:]
        let wanted = Set(firstSteps.values)
        runTimelines(
            timelines, users: [0], tracks: tracks, usersPerBatch: 1, include: { wanted.contains($0) },
            visit: {
                byStep[$0] = $1.prediction
            })
        let empty = [Float](repeating: 0, count: dimension)
        return sessions.indices.map { firstSteps[$0].flatMap { byStep[$0] } ?? empty }
    }

    /// `count` predictions decoded from latents drawn from the recurrent model's posterior at `output`'s step.
    func recurrentSamples(count: Int, seed: UInt64, at output: FSVAEStepOutput) -> [[Float]] {
        let size = output.latentMean.count
        let tape = Tape(isTraining: false)
        let all = tape.constant(FSVAELatent(mean: output.latentMean, variance: output.latentVariance).draws(count: count, seed: seed))
        let k = config.latent
        let fast = config.usesFastFeatures ? all.slice(axis: 1, 0..<k) : nil
        let slow = config.usesSlowFeatures ? all.slice(axis: 1, (size - k)..<size) : nil
        let stateSize = output.previousState.count
        let previous = tape.constant(
            Tensor(shape: [count, stateSize], scalars: Array((0..<count).map { _ in output.previousState }.joined())))
        var rows: [[Float]] = []
        appendRows(recurrentDecode(fastLatent: fast, slowLatent: slow, previousState: previous).value, to: &rows)
        return rows
    }
}
