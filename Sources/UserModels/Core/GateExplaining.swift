import Listening

/// How much of one prediction came from the long-term vector ū and how much from the short-term vector û.
///
/// Shares weigh each part by its gate weight times its length (û has a free length), so they say
/// which part the mixed vector leans on; they sum to 1.
public struct GateSplit: Sendable, Equatable {
    /// Share of ū: β̄‖ū‖ / (β̂‖û‖ + β̄‖ū‖).
    public var longTerm: Double
    /// Share of û: β̂‖û‖ / (β̂‖û‖ + β̄‖ū‖).
    public var shortTerm: Double
    /// The gate weight β̄ of ū alone (0.5 without a learned gate).
    public var longTermWeight: Double

    public init(longTerm: Double, shortTerm: Double, longTermWeight: Double) {
        self.longTerm = longTerm
        self.shortTerm = shortTerm
        self.longTermWeight = longTermWeight
    }
}

/// A model that mixes a long-term and a short-term user vector and can report the mix of one prediction.
public protocol GateExplaining: UserModel {
    /// The split behind `predict(history:context:time:)` for the same query, or nil when the model has no long-term part.
    func gateSplit(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> GateSplit?
}
