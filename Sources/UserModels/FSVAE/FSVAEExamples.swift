import Foundation
import Listening

/// Next-track examples in compact form: window track ids and scalars, slow features, target track.
///
/// Embeddings are gathered per batch rather than stored, so millions of examples fit in memory.
struct FSVAEExamples {
    let window: Int
    let slowCount: Int
    /// `count × window` track ids, oldest first, padded with -1 at the front.
    var windowTracks: [Int32] = []
    /// `count × window` skipped flags.
    var windowSkips: [Float] = []
    /// `count × window` log time gaps.
    var windowGaps: [Float] = []
    /// `count × slowCount` slow features.
    var slow: [Float] = []
    /// Target track per example, or -1 when the target is unknown (a session-start query).
    var targets: [Int32] = []
    /// Number of distinct sessions the targets come from.
    var sessionCount = 0

    init(window: Int, slowCount: Int) {
        self.window = window
        self.slowCount = slowCount
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

    init(window: Int) { self.window = window }

    static func daypartIndex(_ context: SessionContext) -> Int { context.daypart.map { Int($0.rawValue) } ?? 5 }

    mutating func add(_ play: Play, context: SessionContext) {
        plays += 1
        if play.skip == .skipped { skips += 1 }
        distinct.insert(play.track)
        daypartPlays[Self.daypartIndex(context)] += 1
        guard window > 0 else { return }
        if recent.count == window { recent.removeFirst() }
        recent.append(play)
    }

    mutating func endSession(length: Int) {
        completedSessions += 1
        completedPlays += length
    }

    func slowValue(_ feature: SlowFeature, context: SessionContext) -> Float {
        switch feature {
        case .totalPlays: return log1pf(Float(plays))
        case .skips: return log1pf(Float(skips))
        case .distinctTracks: return log1pf(Float(distinct.count))
        case .sessions: return log1pf(Float(completedSessions))
        case .meanSessionLength:
            return completedSessions == 0 ? 0 : log1pf(Float(completedPlays) / Float(completedSessions))
        case .daypartShare:
            guard plays > 0, let daypart = context.daypart else { return 0 }
            return Float(daypartPlays[Int(daypart.rawValue)]) / Float(plays)
        }
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
            }
            for (i, play) in recent.enumerated() {
                let next = i + 1 < recent.count ? recent[i + 1].time : time
                windowTracks.append(play.track)
                windowSkips.append(play.skip == .skipped ? 1 : (play.skip == .played ? 0 : 0.5))
                windowGaps.append(log1pf(Float(max(0, next - play.time)) / 60))
            }
        }
        for feature in features { slow.append(state.slowValue(feature, context: context)) }
        targets.append(target)
    }

    /// Examples for every play of `sessions[targets]` that has at least `minimumHistory` earlier plays.
    static func build(
        sessions: some Collection<Session>, targets: Range<Int>, config: FSVAEConfig, minimumHistory: Int = 1
    ) -> FSVAEExamples {
        var examples = FSVAEExamples(window: config.window, slowCount: config.slowFeatures.count)
        examples.walk(sessions: sessions, targets: targets, config: config, minimumHistory: minimumHistory)
        return examples
    }

    /// Appends the examples of one user (see `build`); plays whose track fails `isTarget` are history only.
    mutating func walk(
        sessions: some Collection<Session>, targets: Range<Int>, config: FSVAEConfig, minimumHistory: Int = 1,
        isTarget keep: (Int32) -> Bool = { _ in true }
    ) {
        var state = UserHistoryState(window: window)
        for (index, session) in sessions.enumerated() {
            if index >= targets.upperBound { break }
            let isTarget = targets.contains(index)
            var counted = false
            for play in session.plays {
                if isTarget && state.plays >= minimumHistory && keep(play.track) {
                    append(state: state, context: session.context, time: play.time, target: play.track, features: config.slowFeatures)
                    if !counted { sessionCount += 1; counted = true }
                }
                state.add(play, context: session.context)
            }
            state.endSession(length: session.plays.count)
        }
    }

    /// The state after all of `history` and then `current` (plays of a session in progress).
    static func state(history: some Sequence<Session>, current: [Play], context: SessionContext, window: Int) -> UserHistoryState {
        var state = UserHistoryState(window: window)
        for session in history {
            for play in session.plays { state.add(play, context: session.context) }
            state.endSession(length: session.plays.count)
        }
        for play in current { state.add(play, context: context) }
        return state
    }
}
