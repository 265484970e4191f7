import Listening
import Tensor

/// How a trained CoSeRNN mixes its short-term vector û with the long-term vector ū.
///
/// The gate's weights alone do not say which part dominates, because û has a free length
/// (the official code's unnormalised offset) while ū is a unit vector; `shortTermShare` weighs
/// each part by its length: β̂‖û‖ / (β̂‖û‖ + β̄‖ū‖).
public struct CoSeRNNMixture: Sendable, Equatable {
    /// Sessions averaged over.
    public var sessions: Int
    /// Mean gate weight β̂ of û (β̄ = 1 − β̂); 0.5 without a learned gate, nil without ū.
    public var shortTermWeight: Double?
    /// Mean length ‖û‖.
    public var shortTermLength: Double
    /// Mean share of û in the mixed vector, by weight times length; 1 without ū.
    public var shortTermShare: Double
}

extension CoSeRNN {
    /// The gate weights and û lengths at the scored sessions of `users` that `split` puts in `part`.
    ///
    /// Users run through the LSTM in padded batches of at most `batchSize`, as in validation: one
    /// user at a time took ten seconds on the default workspace's 2,000 users, about an epoch's worth.
    public func mixture(users: [[Session]], split: TimeSplit, part: SplitPart, batchSize: Int = 256) -> CoSeRNNMixture {
        var count = 0
        var weightSum = 0.0, lengthSum = 0.0, shareSum = 0.0
        let d = config.dimension
        let sequences = scoredFeatures(users: users, split: split, part: part)
        let defaults = TrainingOptions()
        let batches = UserBatches.byLength(
            sequences.map(\.features.count), batchSize: batchSize,
            stepBudget: batchSize * (defaults.maxSequenceLength + defaults.warmUpLength))
        for chunk in batches {
            let rows = chunk.map { sequences[$0].features }
            let shape = SequenceBatch(lengths: rows.map(\.count))
            let tape = Tape(isTraining: false)
            let (hidden, _) = recurrent(tape.constant(shape.pad(width: layout.width, rows: rows.map(\.inputs))), mask: shape.mask)
            let parts = headParts(hidden)
            let shortTerm = parts.shortTerm.value.scalars
            let weights = parts.weights?.value.scalars
            for (row, index) in chunk.enumerated() {
                for t in sequences[index].scored where t < rows[row].count {
                    let step = row * shape.steps + t
                    let length = Self.length(shortTerm[(step * d)..<((step + 1) * d)])
                    let weight = shortTermWeight(weights.map { $0[step * 2] })
                    count += 1
                    weightSum += weight
                    lengthSum += length
                    shareSum += Self.shortTermShare(
                        weight: weight, shortLength: length,
                        longLength: Self.length(rows[row].longTerm[(t * d)..<((t + 1) * d)]))
                }
            }
        }
        let n = Double(max(count, 1))
        return CoSeRNNMixture(
            sessions: count, shortTermWeight: config.useLongTerm ? weightSum / n : nil,
            shortTermLength: lengthSum / n, shortTermShare: shareSum / n)
    }

    /// β̂ from the gate's output, 0.5 without a learned gate, 1 without ū.
    func shortTermWeight(_ gate: Float?) -> Double {
        config.useLongTerm ? (gate.map(Double.init) ?? 0.5) : 1
    }

    /// û's share of the mixed vector: β̂‖û‖ / (β̂‖û‖ + β̄‖ū‖), 1 when both parts are zero.
    static func shortTermShare(weight: Double, shortLength: Double, longLength: Double) -> Double {
        let short = weight * shortLength, long = (1 - weight) * longLength
        return short + long > 0 ? short / (short + long) : 1
    }

    /// The Euclidean length of a slice.
    static func length(_ v: ArraySlice<Float>) -> Double {
        v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    }
}
