import Foundation
import Listening
import Tensor

/// One user's plays as GRU steps, in compact form (embeddings are gathered per batch).
///
/// Step i predicts play i. Its input is the play before it (track vector, skip flag), the log time
/// gap from that play's start to play i's start, a "no earlier play" flag and a constant 1; the
/// input is crossed with the context of the session of the play read, the GRU output with the
/// context of the session of the play predicted (every play of a session has the session's context).
struct LatentCrossSequence {
    /// The track read at each step, -1 at a user's first step.
    var previousTrack: [Int32] = []
    /// Its skip flag: 1 skipped, 0 played, 0.5 unknown (0 at a first step).
    var previousSkip: [Float] = []
    /// log(1 + minutes) from the previous play's start to this step's time (0 at a first step).
    var logGap: [Float] = []
    /// The context crossed with the input (the read play's session).
    var inputContext: [SessionContext] = []
    /// The context crossed with the output (the predicted play's session).
    var outputContext: [SessionContext] = []
    /// The track to predict, -1 for a query whose answer is unknown.
    var target: [Int32] = []
    /// The step of each session's first play.
    var sessionStarts: [Int] = []

    /// The state between steps: the last play and its session's context.
    private var last: (play: Play, context: SessionContext)?

    var count: Int { target.count }

    /// Appends a step predicting what is played at `time` in `context`; `target` -1 when unknown.
    mutating func appendStep(time: Int64, context: SessionContext, target track: Int32) {
        if let last {
            previousTrack.append(last.play.track)
            previousSkip.append(last.play.skip == .skipped ? 1 : (last.play.skip == .played ? 0 : 0.5))
            logGap.append(log1pf(Float(max(0, time - last.play.time)) / 60))
            inputContext.append(last.context)
        } else {
            previousTrack.append(-1)
            previousSkip.append(0)
            logGap.append(0)
            // Nothing is read at a first step; the predicted play's context stands in.
            inputContext.append(context)
        }
        outputContext.append(context)
        target.append(track)
    }

    /// Appends one step per play of `session`; with `firstStepAtSessionStart`, the first step's time is the
    /// session start (what a session-start prediction knows) instead of its first play's.
    mutating func append(_ session: Session, firstStepAtSessionStart: Bool = false) {
        sessionStarts.append(count)
        for (i, play) in session.plays.enumerated() {
            appendStep(time: i == 0 && firstStepAtSessionStart ? session.start : play.time, context: session.context, target: play.track)
            last = (play, session.context)
        }
    }

    /// The steps of every play of `sessions`, in order.
    init(sessions: some Sequence<Session>, firstStepAtSessionStart: Bool = false) {
        for session in sessions { append(session, firstStepAtSessionStart: firstStepAtSessionStart) }
    }

    /// The steps from `range`, as a sequence of their own (the state before it is not carried).
    func slice(_ range: Range<Int>) -> LatentCrossSequence {
        var out = LatentCrossSequence(sessions: [Session]())
        out.previousTrack = Array(previousTrack[range])
        out.previousSkip = Array(previousSkip[range])
        out.logGap = Array(logGap[range])
        out.inputContext = Array(inputContext[range])
        out.outputContext = Array(outputContext[range])
        out.target = Array(target[range])
        return out
    }
}

/// A run of steps of one sequence: `steps`, of which those from `scoredFrom` on are in the loss.
struct LatentCrossWindow {
    var sequence: Int
    var steps: Range<Int>
    var scored: Range<Int>
}

extension LatentCrossSequence {
    /// Training windows (truncated backpropagation through time): consecutive runs of at most
    /// `length` scored steps, each but the first preceded by up to `warmUp` unscored steps.
    func windows(sequence: Int, length: Int, warmUp: Int) -> [LatentCrossWindow] {
        stride(from: 0, to: count, by: length).map { start in
            let end = min(count, start + length)
            return LatentCrossWindow(sequence: sequence, steps: max(0, start - warmUp)..<end, scored: start..<end)
        }
    }
}

/// The padded tensors of one batch of windows.
struct LatentCrossBatch {
    /// `[B, T, D + 4]`.
    var inputs: Tensor
    /// `[B, T]` real steps.
    var mask: Tensor
    /// `[B, T]` steps in the loss (real, scored, with a target vector).
    var lossMask: Tensor
    /// `[B, T, D]` target vectors (zero where not scored).
    var targets: Tensor
    /// Per field, the table row of each of the B·T steps' input and output contexts.
    var inputIndices: [[Int]]
    var outputIndices: [[Int]]
    /// Steps in the loss.
    var scored: Int
    var rows: Int { mask.shape[0] }
    var steps: Int { mask.shape[1] }
}

extension LatentCross {
    /// Width of one step's input: the track vector and four scalars.
    var inputWidth: Int { dimension + 4 }

    /// The padded batch of `windows` of `sequences`.
    func batch(_ windows: [LatentCrossWindow], sequences: [LatentCrossSequence], tracks: TrackVectors) -> LatentCrossBatch {
        let b = windows.count, t = max(1, windows.map(\.steps.count).max() ?? 1)
        let d = dimension, w = inputWidth
        var inputs = [Float](repeating: 0, count: b * t * w)
        var mask = [Float](repeating: 0, count: b * t)
        var lossMask = [Float](repeating: 0, count: b * t)
        var targets = [Float](repeating: 0, count: b * t * d)
        let fields = config.fields
        var inputIndices = [[Int]](repeating: [Int](repeating: 0, count: b * t), count: fields.count)
        var outputIndices = inputIndices
        var scored = 0
        tracks.values.withUnsafeBufferPointer { vectors in
            inputs.withUnsafeMutableBufferPointer { input in
                targets.withUnsafeMutableBufferPointer { target in
                    for (row, window) in windows.enumerated() {
                        let sequence = sequences[window.sequence]
                        for (k, step) in window.steps.enumerated() {
                            let r = row &* t &+ k
                            mask[r] = 1
                            let base = r &* w
                            let previous = sequence.previousTrack[step]
                            if previous >= 0 {
                                let source = Int(previous) &* d
                                for j in 0..<d { input[base &+ j] = vectors[source &+ j] }
                            } else {
                                input[base &+ d &+ 2] = 1
                            }
                            input[base &+ d] = sequence.previousSkip[step]
                            input[base &+ d &+ 1] = sequence.logGap[step]
                            input[base &+ d &+ 3] = 1
                            for (f, field) in fields.enumerated() {
                                inputIndices[f][r] = field.index(of: sequence.inputContext[step], config: config)
                                outputIndices[f][r] = field.index(of: sequence.outputContext[step], config: config)
                            }
                            let track = sequence.target[step]
                            if window.scored.contains(step), track >= 0, tracks.hasVector(track) {
                                lossMask[r] = 1
                                scored += 1
                                let source = Int(track) &* d, out = r &* d
                                for j in 0..<d { target[out &+ j] = vectors[source &+ j] }
                            }
                        }
                    }
                }
            }
        }
        return LatentCrossBatch(
            inputs: Tensor(shape: [b, t, w], scalars: inputs), mask: Tensor(shape: [b, t], scalars: mask),
            lossMask: Tensor(shape: [b, t], scalars: lossMask), targets: Tensor(shape: [b, t, d], scalars: targets),
            inputIndices: inputIndices, outputIndices: outputIndices, scored: scored)
    }
}
