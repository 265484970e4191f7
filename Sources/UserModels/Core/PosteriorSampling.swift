import Listening

/// A model with a posterior over its prediction, from which it draws seeded samples.
public protocol PosteriorSampling: UserModel {
    /// `count` predictions for the query of `predict(history:context:time:)`, each decoded from a latent
    /// drawn from the posterior; the same seed gives the same samples.
    func predictSamples(count: Int, seed: UInt64, history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [[Float]]
}
