import Foundation
import Listening
import Tensor

/// One user's running fold-in: play counts over the catalogue and the first layer's weighted row sum.
///
/// The first layer on a sparse bag x is Σᵢ xᵢ·Wᵢ / ‖x‖, so adding a play of item i adds row Wᵢ to
/// the sum and 2xᵢ + 1 to ‖x‖²: O(hidden) per play instead of a dense product over the catalogue.
struct VAECFFoldIn {
    /// Play count of each catalogue item so far.
    var counts: [Int32: Float] = [:]
    /// Σᵢ xᵢ², in Double so long histories do not drift.
    var squaredNorm: Double = 0
    /// Σᵢ xᵢ·Wᵢ (`hidden` values).
    var rowSum: [Float]

    init(hidden: Int) { rowSum = [Float](repeating: 0, count: hidden) }

    /// Plays so far that fell in the catalogue.
    var plays: Int { Int(counts.values.reduce(0, +)) }

    /// Adds one play; tracks outside the catalogue are not part of the model's input.
    mutating func add(_ track: Int32, model: VAECF) {
        guard let item = model.catalogue.item(track) else { return }
        let previous = counts[Int32(item), default: 0]
        counts[Int32(item)] = previous + 1
        squaredNorm += Double(2 * previous + 1)
        let hidden = rowSum.count
        model.inputWeight.value.withUnsafeBufferPointer { weights in
            rowSum.withUnsafeMutableBufferPointer { sum in
                let row = item &* hidden
                for j in 0..<hidden { sum[j] += weights[row &+ j] }
            }
        }
    }

    /// Appends the first layer's input for the normalised bag (before bias and tanh) to `out`; zeros when empty.
    func appendInput(to out: inout [Float]) {
        guard squaredNorm > 0 else {
            out.append(contentsOf: repeatElement(0, count: rowSum.count))
            return
        }
        let scale = Float(1 / squaredNorm.squareRoot())
        for value in rowSum { out.append(value * scale) }
    }
}

/// The fold-in inputs of a set of queries: `rows × hidden` first-layer inputs.
struct VAECFQueries {
    var inputs: [Float] = []
    var rows = 0

    mutating func append(_ state: VAECFFoldIn) {
        state.appendInput(to: &inputs)
        rows += 1
    }
}

extension VAECF {
    /// Queries at the start of each session of `sessions[targets]`, each from the sessions before it.
    func sessionStartQueries(sessions: [Session], targets: Range<Int>) -> VAECFQueries {
        var state = VAECFFoldIn(hidden: config.hidden), queries = VAECFQueries()
        for (index, session) in sessions.enumerated() where index < targets.upperBound {
            if targets.contains(index) { queries.append(state) }
            for play in session.plays { state.add(play.track, model: self) }
        }
        return queries
    }

    /// Queries before each play of `sessions[targets]`, each from every earlier play of the user.
    func nextTrackQueries(sessions: [Session], targets: Range<Int>) -> VAECFQueries {
        var state = VAECFFoldIn(hidden: config.hidden), queries = VAECFQueries()
        for (index, session) in sessions.enumerated() where index < targets.upperBound {
            let isTarget = targets.contains(index)
            for play in session.plays {
                if isTarget { queries.append(state) }
                state.add(play.track, model: self)
            }
        }
        return queries
    }

    /// One query after every play of `history`.
    func query(history: some Sequence<Session>) -> VAECFQueries {
        var state = VAECFFoldIn(hidden: config.hidden), queries = VAECFQueries()
        for session in history { for play in session.plays { state.add(play.track, model: self) } }
        queries.append(state)
        return queries
    }

    /// Log-probabilities over the catalogue for `queries` (probabilities with `exponentiated`), handed
    /// to `body` in chunks of at most `chunk` rows as a `[n, I]` tensor with the index of its first row.
    ///
    /// The latent mean is decoded (no sampling, no dropout), as the paper does at test time.
    /// Each chunk's decoder output is one BLAS product.
    func logProbabilities(
        _ queries: VAECFQueries, chunk: Int = 256, exponentiated: Bool = false,
        _ body: (_ firstRow: Int, _ rows: Tensor) -> Void
    ) {
        let hidden = config.hidden
        for start in stride(from: 0, to: queries.rows, by: chunk) {
            let count = min(chunk, queries.rows - start)
            let tape = Tape(isTraining: false)
            let input = tape.constant(
                Tensor(shape: [count, hidden], scalars: Array(queries.inputs[(start * hidden)..<((start + count) * hidden)])))
            let activation = (input + tape.parameter(inputBias)).tanh()
            var logits = decode(encoderMean(activation)).value
            Self.logSoftmaxRows(&logits, exponentiated: exponentiated)
            body(start, logits)
        }
    }

    /// Replaces each row of `[n, I]` logits by its log-softmax, or with `exponentiated` by its softmax.
    static func logSoftmaxRows(_ logits: inout Tensor, exponentiated: Bool = false) {
        let width = logits.shape[1], rows = logits.shape[0]
        logits.withUnsafeMutableBufferPointer { v in
            for r in 0..<rows {
                let base = r &* width
                var m = -Float.infinity
                for i in 0..<width { m = max(m, v[base &+ i]) }
                var total: Float = 0
                if exponentiated {
                    for i in 0..<width {
                        v[base &+ i] = expf(v[base &+ i] - m)
                        total += v[base &+ i]
                    }
                    let scale = 1 / total
                    for i in 0..<width { v[base &+ i] *= scale }
                } else {
                    for i in 0..<width { total += expf(v[base &+ i] - m) }
                    let shift = m + logf(total)
                    for i in 0..<width { v[base &+ i] -= shift }
                }
            }
        }
    }
}
