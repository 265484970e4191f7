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
        let d = config.dimension
        let prefix = prefixState(history)
        // The row of the predicted session: its context and the last session of the history.
        var row = [Float](repeating: 0, count: layout.width)
        let previous = history.last.map { SessionEmbeddings($0, tracks: tracks) }
        row.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { layout.write(into: base, context: context, time: time, previous: previous) }
        }
        let tape = Tape(isTraining: false)
        let states = prefix.hidden.map { hidden in
            [RecurrentState(hidden: tape.constant(hidden), cell: prefix.cell.map { tape.constant($0) })]
        }
        let (prediction, _) = forward(
            tape.constant(Tensor(shape: [1, 1, layout.width], scalars: row)),
            longTerm: Tensor(shape: [1, 1, d], scalars: prefix.longTerm), mask: nil, initialStates: states)
        return VectorOps.normalized(prediction.value.scalars)
    }

    /// The LSTM state after reading `history`, and ū for the session after it (cached).
    func prefixState(_ history: ArraySlice<Session>) -> CoSeRNNPrefixCache.Entry {
        guard let last = history.last else {
            return .init(hidden: nil, cell: nil, longTerm: [Float](repeating: 0, count: config.dimension))
        }
        let key = CoSeRNNPrefixCache.Key(user: last.user, count: history.count, lastStart: last.start, lastPlays: last.plays.count)
        if let hit = prefixCache[key] { return hit }
        let features = self.features(of: history, next: (.unknown, last.start))
        let n = history.count, d = config.dimension
        let tape = Tape(isTraining: false)
        let inputs = tape.constant(Tensor(shape: [1, n, layout.width], scalars: Array(features.inputs[0..<(n * layout.width)])))
        let (_, states) = lstm(inputs, mask: nil)
        let entry = CoSeRNNPrefixCache.Entry(
            hidden: states[0].hidden.value, cell: states[0].cell?.value,
            longTerm: Array(features.longTerm[(n * d)..<((n + 1) * d)]))
        prefixCache[key] = entry
        return entry
    }
}

/// A small thread-safe cache of LSTM states after a user's history, for live context changes.
final class CoSeRNNPrefixCache: @unchecked Sendable {
    struct Key: Hashable {
        var user: Int32
        var count: Int
        var lastStart: Int64
        var lastPlays: Int
    }

    struct Entry {
        var hidden: Tensor?
        var cell: Tensor?
        var longTerm: [Float]
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
