import Listening
import UserModels

/// What a stability is computed for; a change of any part means sampling again.
struct StabilityKey: Hashable {
    var model: Int
    var user: Int
    var session: Int
    var context: SessionContext
    var list: [Int32]
    var k: Int
    var count: Int
}

extension ExplorerData {
    /// The context in force for a session: `context` when the analyst set one, else the session's own.
    func context(user: Int, session: Int, _ context: SessionContext?) -> SessionContext {
        context ?? users[user][session].context
    }

    /// The long-term/short-term split of model `model`'s prediction, or nil when the model does not mix the two.
    public func gateSplit(model: Int, user: Int, session: Int, context: SessionContext?) -> GateSplit? {
        let sessions = users[user]
        return models[model].gate?.gateSplit(
            history: sessions[0..<session], context: self.context(user: user, session: session, context),
            time: sessions[session].start)
    }

    /// How stable `list` is under `count` posterior samples of model `model`, or nil when the model has no posterior.
    ///
    /// The seed depends on the user and session only, so the same view always shows the same samples.
    public func stability(
        model: Int, user: Int, session: Int, context: SessionContext?, list: [Int32], k: Int,
        count: Int
    ) -> PosteriorStability? {
        guard let sampler = models[model].sampler else { return nil }
        let sessions = users[user]
        let key = StabilityKey(
            model: model, user: user, session: session, context: self.context(user: user, session: session, context),
            list: list, k: k, count: count)
        if let cached = stabilityCache, cached.key == key { return cached.value }
        let seed = (UInt64(UInt32(bitPattern: sessions[session].user)) << 32) | UInt64(session)
        let samples = sampler.predictSamples(
            count: count, seed: seed, history: sessions[0..<session], context: key.context,
            time: sessions[session].start)
        let value = PosteriorStability(samples: samples, list: list, search: models[model].search, k: k)
        stabilityCache = (key, value)
        return value
    }
}
