import Foundation
import Listening

/// Where each input block sits in a CoSeRNN input row.
///
/// With shared-weight passes a row holds one part per pass, side by side: each part has the same
/// context and details and one of the previous session's embeddings (all tracks, skipped tracks, …).
struct CoSeRNNInputLayout: Sendable, Hashable {
    let dimension: Int
    let hourWidth: Int
    let deviceCount: Int
    let sourceCount: Int
    let useContext: Bool
    let useCurrentSource: Bool
    let usePrevious: Bool
    let useDetails: Bool
    let previousTracks: CoSeRNNConfig.PreviousTracks
    let daypartHours: Bool
    /// LSTM passes, each over one part of the row.
    let passes: Int
    /// Width of one pass's part.
    let passWidth: Int
    /// Total width `I` (passes × passWidth).
    let width: Int

    init(config: CoSeRNNConfig) {
        dimension = config.dimension
        daypartHours = config.hourEncoding == .daypart
        hourWidth = daypartHours ? Daypart.allCases.count : 24
        deviceCount = config.deviceCount
        sourceCount = config.sourceCount
        useContext = config.useContext
        useCurrentSource = config.useContext && config.useCurrentSource
        usePrevious = config.usePreviousSession
        useDetails = config.usePreviousSession && config.usePreviousSessionDetails
        previousTracks = config.previousTracks
        // Without the previous session's embeddings every pass would read the same row: one pass then.
        passes = config.sharedWeightPasses && usePrevious ? previousTracks.blockCount : 1
        // A constant 1 first, so an input row is never empty (every block may be switched off).
        var width = 1
        if useContext { width += 7 + hourWidth + deviceCount }
        if useCurrentSource { width += sourceCount }
        if usePrevious { width += dimension * previousTracks.blockCount / passes }
        if useDetails { width += 2 + sourceCount }
        passWidth = width
        self.width = passes * width
    }

    /// The context fields `write` encodes for the session being predicted (a zero-width one-hot reads nothing).
    var contextFields: Set<ContextField> {
        var fields: Set<ContextField> = []
        if useContext {
            fields.formUnion([.weekday, daypartHours ? .daypart : .hour])
            if deviceCount > 0 { fields.insert(.device) }
        }
        if useCurrentSource && sourceCount > 0 { fields.insert(.source) }
        return fields
    }

    /// Writes one input row: the context of the session being predicted and the previous session, once per pass.
    func write(
        into row: UnsafeMutablePointer<Float>, context: SessionContext, time: Int64,
        previous: SessionEmbeddings?
    ) {
        row.update(repeating: 0, count: width)
        var blocks: [[Float]] = []
        if let previous {
            switch previousTracks {
            case .all: blocks = [previous.all]
            case .played: blocks = [previous.played]
            case .playedAndSkipped: blocks = [previous.played, previous.skipped]
            case .allAndSkipped: blocks = [previous.all, previous.skipped]
            case .allPlayedAndSkipped: blocks = [previous.all, previous.played, previous.skipped]
            }
        }
        let perPass = previousTracks.blockCount / passes
        for pass in 0..<passes {
            let own = blocks.isEmpty ? [] : Array(blocks[(pass * perPass)..<((pass + 1) * perPass)])
            writePart(into: row + pass * passWidth, context: context, time: time, previous: previous, blocks: own)
        }
    }

    /// Writes one pass's part of a row, with `blocks` as the previous session's embeddings.
    private func writePart(
        into row: UnsafeMutablePointer<Float>, context: SessionContext, time: Int64,
        previous: SessionEmbeddings?, blocks: [[Float]]
    ) {
        row[0] = 1
        var offset = 1
        if useContext {
            // Unknown fields stay all-zero: never invented.
            if context.weekday >= 0 && context.weekday < 7 { row[offset + Int(context.weekday)] = 1 }
            offset += 7
            if context.hour >= 0 && context.hour < 24 {
                let index = daypartHours ? Int(Daypart(hour: Int(context.hour)).rawValue) : Int(context.hour)
                row[offset + index] = 1
            }
            offset += hourWidth
            if context.device >= 0 && Int(context.device) < deviceCount { row[offset + Int(context.device)] = 1 }
            offset += deviceCount
        }
        if useCurrentSource {
            if context.source >= 0 && Int(context.source) < sourceCount { row[offset + Int(context.source)] = 1 }
            offset += sourceCount
        }
        if usePrevious {
            for (b, block) in blocks.enumerated() {
                for j in 0..<dimension { row[offset + b * dimension + j] = block[j] }
            }
            offset += dimension * previousTracks.blockCount / passes
        }
        if useDetails {
            if let previous {
                row[offset] = Float(Foundation.log(1 + Double(previous.length)))
                // Hours since the previous session ended, log-scaled; negative gaps (clock skew) count as 0.
                let gap = max(0, Double(time - previous.end)) / 3600
                row[offset + 1] = Float(Foundation.log(1 + gap))
                if previous.source >= 0 && Int(previous.source) < sourceCount { row[offset + 2 + Int(previous.source)] = 1 }
            }
            offset += 2 + sourceCount
        }
    }
}

/// What CoSeRNN reads of one session: its embeddings and details.
struct SessionEmbeddings {
    /// L2-normalised mean of all tracks (zero when none has a vector).
    var all: [Float]
    /// Of the played (not skipped) tracks; unknown skip state counts as played.
    var played: [Float]
    /// Of the skipped tracks.
    var skipped: [Float]
    /// The training target: played tracks, or all when none is known played (as the evaluation's).
    var target: [Float]
    var length: Int
    var source: Int16
    /// Time of the last play.
    var end: Int64

    init(_ session: Session, tracks: TrackVectors) {
        all = tracks.sessionEmbedding(session.plays)
        played = tracks.sessionEmbedding(session.plays) { $0.skip != .skipped }
        skipped = tracks.sessionEmbedding(session.plays) { $0.skip == .skipped }
        target = played.allSatisfy { $0 == 0 } ? all : played
        length = session.plays.count
        source = session.context.source
        end = session.plays.last?.time ?? session.start
    }

    var hasTarget: Bool { target.contains { $0 != 0 } }
}

/// The model inputs of one user's sessions, row t predicting session t.
struct CoSeRNNUserFeatures {
    /// Rows.
    var count: Int
    /// `count × I`.
    var inputs: [Float]
    /// `count × D`: the played-track embedding of each session.
    var targets: [Float]
    /// `count × D`: ū_t, the recency-weighted normalised mean of the targets before t.
    var longTerm: [Float]
    /// Whether session t has a non-zero target (rows without one are left out of the loss).
    var hasTarget: [Bool]
}

extension CoSeRNN {
    /// Features of `sessions` (one user, time order); with `next`, one more row for a session
    /// that starts at `next.time` in `next.context` after them.
    func features(of sessions: ArraySlice<Session>, next: (context: SessionContext, time: Int64)? = nil) -> CoSeRNNUserFeatures {
        let d = config.dimension, width = layout.width
        let count = sessions.count + (next == nil ? 0 : 1)
        var inputs = [Float](repeating: 0, count: count * width)
        var targets = [Float](repeating: 0, count: count * d)
        var longTerm = [Float](repeating: 0, count: count * d)
        var hasTarget = [Bool](repeating: false, count: count)
        var running = [Float](repeating: 0, count: d)
        var previous: SessionEmbeddings?
        let decay = config.longTermDecay
        inputs.withUnsafeMutableBufferPointer { input in
            guard let base = input.baseAddress else { return }
            for t in 0..<count {
                let session: Session? = t < sessions.count ? sessions[sessions.startIndex + t] : nil
                let context = session?.context ?? next?.context ?? .unknown
                let time = session?.start ?? next?.time ?? 0
                layout.write(into: base + t * width, context: context, time: time, previous: previous)
                // ū_t from sessions before t.
                let norm = running.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { for j in 0..<d { longTerm[t * d + j] = running[j] / norm } }
                guard let session else { continue }
                let embeddings = SessionEmbeddings(session, tracks: tracks)
                for j in 0..<d { targets[t * d + j] = embeddings.target[j] }
                hasTarget[t] = embeddings.hasTarget
                for j in 0..<d { running[j] = decay * running[j] + embeddings.target[j] }
                previous = embeddings
            }
        }
        return CoSeRNNUserFeatures(count: count, inputs: inputs, targets: targets, longTerm: longTerm, hasTarget: hasTarget)
    }
}
