import Listening
import Tensor

extension CoSeRNN: GateExplaining {
    /// The long-term/short-term split of the prediction for a session starting at `time` in `context` after `history`.
    ///
    /// Nil without ū (the no-long-term ablation): nothing is mixed.
    public func gateSplit(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> GateSplit? {
        guard config.useLongTerm else { return nil }
        let (hidden, longTerm) = step(history: history, context: context, time: time, tape: Tape(isTraining: false))
        let parts = headParts(hidden)
        let weight = shortTermWeight(parts.weights?.value.scalars[0])
        let share = Self.shortTermShare(
            weight: weight, shortLength: Self.length(parts.shortTerm.value.scalars[...]),
            longLength: Self.length(longTerm[...]))
        return GateSplit(longTerm: 1 - share, shortTerm: share, longTermWeight: 1 - weight)
    }
}
