import Foundation
import Listening
import Tensor

/// Next-track examples in compact form: window track ids and scalars, slow features, target track.
///
/// Embeddings are gathered per batch rather than stored, so millions of examples fit in memory.
struct FSVAEExamples {
    let window: Int
    let slowCount: Int
    /// Track-space dimension (the width of a taste feature).
    let dimension: Int
    /// `count × window` track ids, oldest first, padded with -1 at the front.
    var windowTracks: [Int32] = []
    /// `count × window` skipped flags.
    var windowSkips: [Float] = []
    /// `count × window` log time gaps.
    var windowGaps: [Float] = []
    /// `count × window` local hours (0…23, −1 unknown) of each step's next event: the session hour of
    /// the next play of the window, or of the prediction for the last step.
    var windowHours: [Int8] = []
    /// `count × slowCount` slow features.
    var slow: [Float] = []
    /// Target track per example, or -1 when the target is unknown (a session-start query).
    var targets: [Int32] = []
    /// Number of distinct sessions the targets come from.
    var sessionCount = 0

    /// Empty examples for `config` in a `dimension`-d track space.
    init(config: FSVAEConfig, dimension: Int) {
        window = config.window
        slowCount = config.slowWidth(dimension: dimension)
        self.dimension = dimension
    }

    var count: Int { targets.count }
}

/// The running aggregates of one user's history, updated play by play.
struct UserHistoryState {
    let window: Int
    var plays = 0
    var skips = 0
    var completedSessions = 0
    var completedPlays = 0
    var distinct = Set<Int32>()
    /// Plays per daypart (index 5: unknown hour).
    var daypartPlays = [Int](repeating: 0, count: 6)
    /// The last `window` plays, oldest first.
    var recent: [Play] = []
    /// The session hour (−1 unknown) of each of `recent`.
    var recentHours: [Int8] = []
    /// The track space the taste vectors are summed in; nil when no slow feature needs them.
    let tracks: TrackVectors?
    /// Sum of the embeddings of every play so far, and per daypart (index 5: unknown hour).
    var tasteSum: [Float] = []
    var daypartTasteSums: [[Float]] = []

    /// A user with no history; `tracks` is needed only by the taste features.
    init(window: Int, tracks: TrackVectors? = nil) {
        self.window = window
        self.tracks = tracks
        if let tracks {
            tasteSum = [Float](repeating: 0, count: tracks.dimension)
            daypartTasteSums = [[Float]](repeating: tasteSum, count: 6)
        }
    }

    /// A user with no history, summing taste vectors only when `config` reads them.
    init(config: FSVAEConfig, tracks: TrackVectors) {
        self.init(window: config.window, tracks: config.slowFeatures.contains(where: \.isEmbedding) ? tracks : nil)
    }

    static func daypartIndex(_ context: SessionContext) -> Int { context.daypart.map { Int($0.rawValue) } ?? 5 }

    mutating func add(_ play: Play, context: SessionContext) {
        plays += 1
        if play.skip == .skipped { skips += 1 }
        distinct.insert(play.track)
        let daypart = Self.daypartIndex(context)
        daypartPlays[daypart] += 1
        if let tracks, tracks.hasVector(play.track) {
            tracks.withVector(play.track) { v in
                for j in v.indices {
                    tasteSum[j] += v[j]
                    daypartTasteSums[daypart][j] += v[j]
                }
            }
        }
        guard window > 0 else { return }
        if recent.count == window {
            recent.removeFirst()
            recentHours.removeFirst()
        }
        recent.append(play)
        recentHours.append(context.hour)
    }

    mutating func endSession(length: Int) {
        completedSessions += 1
        completedPlays += length
    }

    /// Appends the values of `feature` (one number, or D for a taste vector) to `out`.
    func appendSlow(_ feature: SlowFeature, context: SessionContext, dimension: Int, to out: inout [Float]) {
        switch feature {
        case .totalPlays: out.append(log1pf(Float(plays)))
        case .skips: out.append(log1pf(Float(skips)))
        case .distinctTracks: out.append(log1pf(Float(distinct.count)))
        case .sessions: out.append(log1pf(Float(completedSessions)))
        case .meanSessionLength:
            out.append(completedSessions == 0 ? 0 : log1pf(Float(completedPlays) / Float(completedSessions)))
        case .daypartShare:
            guard plays > 0, let daypart = context.daypart else {
                out.append(0)
                return
            }
            out.append(Float(daypartPlays[Int(daypart.rawValue)]) / Float(plays))
        case .taste:
            out += tasteSum.isEmpty ? [Float](repeating: 0, count: dimension) : VectorOps.normalized(tasteSum)
        case .daypartTaste:
            guard !daypartTasteSums.isEmpty, let daypart = context.daypart else {
                out += [Float](repeating: 0, count: dimension)
                return
            }
            out += VectorOps.normalized(daypartTasteSums[Int(daypart.rawValue)])
        }
    }
}

extension FSVAEExamples {
    /// `count` of these examples drawn without replacement by a generator seeded with `seed`, in
    /// their original order; all of them when there are no more. A sample does not count sessions (0).
    func sample(_ count: Int, seed: UInt64) -> FSVAEExamples {
        guard count < self.count else { return self }
        var random = SeededRandom(seed: seed)
        var indices = Array(0..<self.count)
        for i in 0..<count { indices.swapAt(i, Int.random(in: i..<indices.count, using: &random)) }
        var sample = self
        (sample.windowTracks, sample.windowSkips, sample.windowGaps, sample.slow, sample.targets) = ([], [], [], [], [])
        sample.windowHours = []
        sample.sessionCount = 0
        for i in indices.prefix(count).sorted() {
            sample.windowTracks += windowTracks[(i * window)..<((i + 1) * window)]
            sample.windowSkips += windowSkips[(i * window)..<((i + 1) * window)]
            sample.windowGaps += windowGaps[(i * window)..<((i + 1) * window)]
            sample.windowHours += windowHours[(i * window)..<((i + 1) * window)]
            sample.slow += slow[(i * slowCount)..<((i + 1) * slowCount)]
            sample.targets.append(targets[i])
        }
        return sample
    }
}

extension FSVAEExamples {
    /// Appends the example "predict what is played at `time` in `context`" from `state`.
    mutating func append(state: UserHistoryState, context: SessionContext, time: Int64, target: Int32, features: [SlowFeature]) {
        if window > 0 {
            let recent = state.recent
            let padding = window - recent.count
            for _ in 0..<padding {
                windowTracks.append(-1)
                windowSkips.append(0)
                windowGaps.append(0)
                windowHours.append(-1)
            }
            for (i, play) in recent.enumerated() {
                let next = i + 1 < recent.count ? recent[i + 1].time : time
                windowHours.append(i + 1 < recent.count ? state.recentHours[i + 1] : context.hour)
                windowTracks.append(play.track)
                windowSkips.append(play.skip == .skipped ? 1 : (play.skip == .played ? 0 : 0.5))
                windowGaps.append(log1pf(Float(max(0, next - play.time)) / 60))
            }
        }
        for feature in features { state.appendSlow(feature, context: context, dimension: dimension, to: &slow) }
        targets.append(target)
    }

    /// Examples for every play of `sessions[targets]` that has at least `minimumHistory` earlier plays.
    static func build(
        sessions: some Collection<Session>, targets: Range<Int>, config: FSVAEConfig, tracks: TrackVectors, minimumHistory: Int = 1
    ) -> FSVAEExamples {
        var examples = FSVAEExamples(config: config, dimension: tracks.dimension)
        examples.walk(sessions: sessions, targets: targets, config: config, tracks: tracks, minimumHistory: minimumHistory)
        return examples
    }

    /// Appends the examples of one user (see `build`); plays whose track fails `isTarget` are history only.
    mutating func walk(
        sessions: some Collection<Session>, targets: Range<Int>, config: FSVAEConfig, tracks: TrackVectors, minimumHistory: Int = 1,
        isTarget keep: (Int32) -> Bool = { _ in true }
    ) {
        var state = UserHistoryState(config: config, tracks: tracks)
        for (index, session) in sessions.enumerated() {
            if index >= targets.upperBound { break }
            let isTarget = targets.contains(index)
            var counted = false
            for play in session.plays {
                if isTarget && state.plays >= minimumHistory && keep(play.track) {
                    append(state: state, context: session.context, time: play.time, target: play.track, features: config.slowFeatures)
                    if !counted {
                        sessionCount += 1
                        counted = true
                    }
                }
                state.add(play, context: session.context)
            }
            state.endSession(length: session.plays.count)
        }
    }

    /// The state after all of `history` and then `current` (plays of a session in progress).
    static func state(
        history: some Sequence<Session>, current: [Play], context: SessionContext, config: FSVAEConfig,
        tracks: TrackVectors
    ) -> UserHistoryState {
        var state = UserHistoryState(config: config, tracks: tracks)
        for session in history {
            for play in session.plays { state.add(play, context: session.context) }
            state.endSession(length: session.plays.count)
        }
        for play in current { state.add(play, context: context) }
        return state
    }
}
