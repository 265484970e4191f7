import Listening
import Tensor

extension FSVAE {
    /// The recurrent model's output at a query at `time` in `context`, after the state has run over
    /// every play of `history` and then of `current`; nil for a windowed model.
    ///
    /// The state after a session-start history (`current` empty) is cached for the last history asked
    /// about, so what-if queries that only change the context or time cost one step, not the whole history.
    func recurrentQuery(
        history: some Sequence<Session>, current: [Play], context: SessionContext, time: Int64, tracks: TrackVectors
    ) -> FSVAEStepOutput? {
        guard config.isRecurrent else { return nil }
        let sessions = Array(history)
        guard current.isEmpty else {
            var timelines = FSVAETimelines(config: config, dimension: dimension)
            timelines.appendUser(
                sessions: sessions, end: sessions.count, targets: 0..<0, config: config, tracks: tracks, current: current,
                query: (context, time))
            let last = timelines.count - 1
            var result: FSVAEStepOutput?
            runTimelines(timelines, users: [0], tracks: tracks, usersPerBatch: 1, include: { $0 == last }, visit: { result = $1 })
            return result
        }
        let key = FSVAEHistoryKey(sessions: sessions, tracks: tracks)
        let cached = historyCache.withLock { $0?.key == key ? $0 : nil } ?? runHistory(sessions, key: key, tracks: tracks)
        var timelines = FSVAETimelines(config: config, dimension: dimension)
        timelines.appendQuery(state: cached.history, context: context, time: time, config: config)
        let chunk = timelines.chunk(
            group: [0], offset: 0, steps: 1, tracks: tracks, config: config, slowNormalization: slowNormalization)
        let output = recurrentForward(chunk, state: cached.state, tape: Tape(isTraining: false))
        return FSVAEStepOutputs(output).row(0)
    }

    /// Runs the state over every play of `sessions`, caches the result under `key` and returns it.
    func runHistory(_ sessions: [Session], key: FSVAEHistoryKey, tracks: TrackVectors) -> FSVAEHistoryCache {
        var timelines = FSVAETimelines(config: config, dimension: dimension)
        timelines.appendUser(sessions: sessions, end: sessions.count, targets: 0..<0, config: config, tracks: tracks)
        var state = zeroState(users: 1)
        let chunkSteps = 64
        for offset in stride(from: 0, to: timelines.count, by: chunkSteps) {
            let chunk = timelines.chunk(
                group: [0], offset: offset, steps: min(chunkSteps, timelines.count - offset), tracks: tracks, config: config,
                slowNormalization: slowNormalization)
            state = recurrentForward(chunk, state: state, tape: Tape(isTraining: false)).finalState
        }
        let entry = FSVAEHistoryCache(
            key: key, state: state,
            history: FSVAEExamples.state(history: sessions, current: [], context: SessionContext(), config: config, tracks: tracks))
        historyCache.withLock { $0 = entry }
        return entry
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

/// What identifies a session-start history for the query cache: its user, size and ends, and the track space.
struct FSVAEHistoryKey: Hashable {
    var user: Int32?
    var sessions: Int
    var firstStart: Int64?
    var lastStart: Int64?
    var lastPlays: Int?
    var trackValues: Int
    var trackSample: [Float]

    init(sessions: [Session], tracks: TrackVectors) {
        user = sessions.first?.user
        self.sessions = sessions.count
        firstStart = sessions.first?.start
        lastStart = sessions.last?.start
        lastPlays = sessions.last?.plays.count
        let values = tracks.values
        trackValues = values.count
        trackSample = values.isEmpty ? [] : [values[0], values[values.count / 2], values[values.count - 1]]
    }
}

/// The recurrent state and the history aggregates after a session-start history.
struct FSVAEHistoryCache: Sendable {
    var key: FSVAEHistoryKey
    var state: Tensor
    var history: UserHistoryState
}
