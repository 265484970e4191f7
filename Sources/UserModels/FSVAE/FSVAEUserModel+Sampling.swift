import Listening

extension FSVAEUserModel: PosteriorSampling {
    /// Session-start predictions decoded from `count` latents drawn from the posterior (seeded).
    ///
    /// The non-probabilistic variants have no posterior variance: every sample is the prediction.
    public func predictSamples(count: Int, seed: UInt64, history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [[Float]] {
        model.samples(count: count, seed: seed, history: history, context: context, time: time, tracks: tracks)
    }
}
