import Foundation
import Listening
import Tensor

extension CoSeRNN {
    /// Predictions for every session of one user in one LSTM pass (row t from sessions 0..<t).
    public func predictAll(sessions: [Session]) -> [[Float]] {
        guard !sessions.isEmpty else { return [] }
        let features = self.features(of: sessions[...])
        let tape = Tape(isTraining: false)
        let n = features.count, d = config.dimension
        let inputs = tape.constant(Tensor(shape: [1, n, layout.width], scalars: features.inputs))
        let (prediction, _) = forward(inputs, longTerm: Tensor(shape: [1, n, d], scalars: features.longTerm), mask: nil)
        let values = prediction.value.scalars
        return (0..<n).map { VectorOps.normalized(Array(values[($0 * d)..<(($0 + 1) * d)])) }
    }

    /// The prediction for a session starting at `time` in `context` after `history`.
    ///
    /// The LSTM state after `history` is cached per (user, history length, last session), so
    /// changing the context or time for the same history costs one LSTM step and the head.
    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        let (hidden, longTerm) = step(history: history, context: context, time: time, tape: Tape(isTraining: false))
        let prediction = head(hidden, longTerm: Tensor(shape: [1, config.dimension], scalars: longTerm))
        return VectorOps.normalized(prediction.value.scalars)
    }

    /// The LSTM output `[1, P·H]` for a session starting at `time` in `context` after `history`, and its unit ū.
    func step(history: ArraySlice<Session>, context: SessionContext, time: Int64, tape: Tape) -> (hidden: Variable, longTerm: [Float]) {
        let prefix = prefixState(history)
        // The row of the predicted session: its context and the last session of the history.
        var row = [Float](repeating: 0, count: layout.width)
        let previous = history.last.map { SessionEmbeddings($0, tracks: tracks) }
        row.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { layout.write(into: base, context: context, time: time, previous: previous) }
        }
        // One LSTM step by hand, the passes as rows: the recurrent half of the gates, h·W_hhᵀ + b_hh, is cached with the state.
        let cell = lstm.layers[0], h = config.hiddenSize, passes = layout.passes
        var x = tape.constant(Tensor(shape: [passes, layout.passWidth], scalars: row))
        if let contextLayer { x = contextLayer(x) }
        let gates =
            x.linear(weight: tape.parameter(cell.weightIH), bias: tape.parameter(cell.biasIH)) + tape.constant(prefix.recurrent)
        let c =
            gates.slice(axis: 1, h..<(2 * h)).sigmoid() * tape.constant(prefix.cell)
            + gates.slice(axis: 1, 0..<h).sigmoid() * gates.slice(axis: 1, (2 * h)..<(3 * h)).tanh()
        let hidden = gates.slice(axis: 1, (3 * h)..<(4 * h)).sigmoid() * c.tanh()
        return (hidden.reshaped([1, passes * h]), VectorOps.normalized(prefix.running))
    }

    /// The LSTM state after reading `history`, and ū for the session after it (cached).
    ///
    /// A history one session longer than a cached one costs one LSTM step, so stepping
    /// through a user's sessions in the explorer stays cheap; otherwise the LSTM reads it all.
    func prefixState(_ history: ArraySlice<Session>) -> CoSeRNNPrefixCache.Entry {
        let d = config.dimension, h = config.hiddenSize, passes = layout.passes
        let tape = Tape(isTraining: false)
        guard let last = history.last else {
            return entry(
                hidden: .zeros([passes, h]), cell: .zeros([passes, h]), running: [Float](repeating: 0, count: d), tape: tape)
        }
        let key = CoSeRNNPrefixCache.Key(history)
        if let hit = prefixCache[key] { return hit }
        let n = history.count
        let result: CoSeRNNPrefixCache.Entry
        let earlier = history.dropLast()
        if let before = earlier.isEmpty ? prefixState(earlier) : prefixCache[CoSeRNNPrefixCache.Key(earlier)] {
            // One step from the cached state: the row of the last session, reading the one before it.
            var row = [Float](repeating: 0, count: layout.width)
            let previous = earlier.last.map { SessionEmbeddings($0, tracks: tracks) }
            row.withUnsafeMutableBufferPointer { buffer in
                if let base = buffer.baseAddress { layout.write(into: base, context: last.context, time: last.start, previous: previous) }
            }
            let initial = RecurrentState(hidden: tape.constant(before.hidden), cell: tape.constant(before.cell))
            let (_, states) = recurrent(
                tape.constant(Tensor(shape: [1, 1, layout.width], scalars: row)), mask: nil, initialStates: [initial])
            let target = SessionEmbeddings(last, tracks: tracks).target
            let running = (0..<d).map { config.longTermDecay * before.running[$0] + target[$0] }
            result = entry(
                hidden: states[0].hidden.value, cell: states[0].cell?.value ?? .zeros([passes, h]), running: running, tape: tape)
        } else {
            let features = self.features(of: history)
            let inputs = tape.constant(Tensor(shape: [1, n, layout.width], scalars: features.inputs))
            let (_, states) = recurrent(inputs, mask: nil)
            var running = [Float](repeating: 0, count: d)
            for t in 0..<n {
                for j in 0..<d { running[j] = config.longTermDecay * running[j] + features.targets[t * d + j] }
            }
            result = entry(
                hidden: states[0].hidden.value, cell: states[0].cell?.value ?? .zeros([passes, h]), running: running, tape: tape)
        }
        prefixCache[key] = result
        return result
    }

    /// A cache entry, with the recurrent half of the next step's gates computed once.
    func entry(hidden: Tensor, cell: Tensor, running: [Float], tape: Tape) -> CoSeRNNPrefixCache.Entry {
        let layer = lstm.layers[0]
        let recurrent = tape.constant(hidden).linear(weight: tape.parameter(layer.weightHH), bias: tape.parameter(layer.biasHH))
        return .init(hidden: hidden, cell: cell, recurrent: recurrent.value, running: running)
    }
}

/// A small thread-safe cache of LSTM states after a user's history, for live context changes.
final class CoSeRNNPrefixCache: @unchecked Sendable {
    struct Key: Hashable {
        var user: Int32
        var count: Int
        var lastStart: Int64
        var lastPlays: Int

        /// The key of a non-empty history: its user, length and last session.
        init(_ history: ArraySlice<Session>) {
            let last = history.last
            user = last?.user ?? -1
            count = history.count
            lastStart = last?.start ?? 0
            lastPlays = last?.plays.count ?? 0
        }
    }

    struct Entry {
        /// The LSTM hidden state `[P, H]` after the history, one row per pass.
        var hidden: Tensor
        /// The LSTM cell state `[P, H]` after the history.
        var cell: Tensor
        /// `h·W_hhᵀ + b_hh` `[P, 4H]` for the hidden state after the history: the recurrent half of the next step's gates.
        var recurrent: Tensor
        /// Σ decay^age · target over the history: ū for the next session once normalised.
        var running: [Float]
    }

    /// Entries kept before the cache is emptied (a few users being explored at once).
    static let capacity = 256
    private var entries: [Key: Entry] = [:]
    private let lock = NSLock()

    subscript(key: Key) -> Entry? {
        get { lock.withLock { entries[key] } }
        set {
            lock.withLock {
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
                entries[key] = newValue
            }
        }
    }

    /// Forgets every state (after the weights change).
    func removeAll() { lock.withLock { entries.removeAll() } }
}
