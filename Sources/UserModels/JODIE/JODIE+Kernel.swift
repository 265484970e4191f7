import Foundation
import Listening
import Tensor

/// A snapshot of JODIE's weights with the forward steps written as plain loops, for prediction and
/// for the no-gradient replays (one interaction at a time, where the tape's per-op cost would dominate).
///
/// It computes exactly what the tape forward of `JODIE+Training.swift` computes (a test checks it).
struct JODIEKernel: Sendable {
    let h: Int
    let d: Int
    let f: Int
    let userWeight: [Float], userBias: [Float]
    let itemWeight: [Float], itemBias: [Float]
    let projection: [Float]
    let predictorWeight: [Float], predictorBias: [Float]
    let initialUser: [Float], initialItem: [Float]

    init(_ model: JODIE) {
        h = model.config.dynamicSize
        d = model.dimension
        f = model.config.featureWidth
        userWeight = model.userRNN.weight.value.scalars
        userBias = model.userRNN.bias?.value.scalars ?? [Float](repeating: 0, count: h)
        itemWeight = model.itemRNN.weight.value.scalars
        itemBias = model.itemRNN.bias?.value.scalars ?? [Float](repeating: 0, count: h)
        projection = model.projection.weight.value.scalars
        predictorWeight = model.predictor.weight.value.scalars
        predictorBias = model.predictor.bias?.value.scalars ?? [Float](repeating: 0, count: h + d)
        initialUser = model.initialUser.value.scalars
        initialItem = model.initialItem.value.scalars
    }

    /// `out = W·x + b` for `W` `[rows, x.count]`.
    @inline(__always)
    static func affine(_ weight: [Float], _ bias: [Float], _ x: [Float], rows: Int) -> [Float] {
        let columns = x.count
        var out = bias
        weight.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { o in
                    for r in 0..<rows {
                        let base = r &* columns
                        var total: Float = 0
                        for c in 0..<columns { total += w[base &+ c] * xp[c] }
                        o[r] += total
                    }
                }
            }
        }
        return out
    }

    /// tanh, then division by the L2 norm clamped at 1e-12 (as `Variable.l2Normalized`).
    @inline(__always)
    static func tanhNormalized(_ v: [Float]) -> [Float] {
        var out = v.map { Foundation.tanh($0) }
        var total: Float = 0
        for x in out { total += x * x }
        let norm = max(total.squareRoot(), 1e-12)
        for i in out.indices { out[i] /= norm }
        return out
    }

    /// u(t) from u(t⁻), the item's dynamic state and static vector, the features and the user's time gap.
    func userStep(user: [Float], item: [Float], itemStatic: [Float], features: [Float], gap: Float) -> [Float] {
        Self.tanhNormalized(Self.affine(userWeight, userBias, user + item + itemStatic + features + [gap], rows: h))
    }

    /// i(t) from i(t⁻), the user's state before the interaction, the features and the item's time gap.
    func itemStep(item: [Float], user: [Float], features: [Float], gap: Float) -> [Float] {
        Self.tanhNormalized(Self.affine(itemWeight, itemBias, item + user + features + [gap], rows: h))
    }

    /// The predicted [dynamic, static] next-item embedding (H + D values) from the user state projected over `gap`.
    func predict(user: [Float], gap: Float, staticUser: [Float], previous: [Float], previousStatic: [Float]) -> [Float] {
        var projected = user
        for j in 0..<h { projected[j] *= 1 + projection[j] * gap }
        return Self.affine(predictorWeight, predictorBias, projected + staticUser + previous + previousStatic, rows: h + d)
    }
}

/// One user's replay for prediction: the user state from the initial one through every play so far,
/// reading the items' states frozen at the end of training, each updated only by this user's own plays.
struct JODIEUserReplay {
    let kernel: JODIEKernel
    let tracks: TrackVectors
    let frozen: JODIEItemStates
    let config: JODIEConfig
    var user: [Float]
    /// Sum of the vectors of the plays so far (the static user embedding is its unit form).
    var trackSum: [Float]
    var lastTime: Int64?
    var previous: Int32?
    /// Items this user has played: their states and the times of the user's last play of each.
    var own: [Int32: (state: [Float], time: Int64)] = [:]

    init(kernel: JODIEKernel, tracks: TrackVectors, frozen: JODIEItemStates, config: JODIEConfig) {
        self.kernel = kernel
        self.tracks = tracks
        self.frozen = frozen
        self.config = config
        user = kernel.initialUser
        trackSum = [Float](repeating: 0, count: kernel.d)
    }

    /// The item's current state and the time of its last known interaction.
    ///
    /// A frozen time after `now` (the item was played by others later in training) is not a past
    /// interaction of the item at `now`: the gap then counts as 0.
    func item(_ track: Int32) -> (state: [Float], time: Int64?) {
        if let mine = own[track] { return (mine.state, mine.time) }
        if frozen.has(track) {
            let base = Int(track) * kernel.h
            return (Array(frozen.states[base..<(base + kernel.h)]), frozen.lastTime[Int(track)])
        }
        return (kernel.initialItem, nil)
    }

    /// The static vector of `track` (zero outside the track space).
    func staticVector(_ track: Int32) -> [Float] {
        Int(track) < tracks.count ? tracks.vector(track) : [Float](repeating: 0, count: kernel.d)
    }

    /// The predicted track-space embedding of the item the user interacts with at `time`.
    func predict(at time: Int64) -> [Float] {
        let gap = lastTime.map { JODIEFeatures.gap(time - $0) } ?? 0
        let zero = [Float](repeating: 0, count: kernel.h)
        let previousState = previous.map { item($0).state } ?? zero
        let previousStatic = previous.map(staticVector) ?? [Float](repeating: 0, count: kernel.d)
        let out = kernel.predict(
            user: user, gap: gap, staticUser: VectorOps.normalized(trackSum),
            previous: previousState, previousStatic: previousStatic)
        return Array(out[kernel.h...])
    }

    /// Updates the user and the item with an interaction.
    mutating func observe(_ play: Play, context: SessionContext) {
        let features = JODIEFeatures.vector(skip: play.skip, context: context, config: config)
        let userGap = lastTime.map { JODIEFeatures.gap(play.time - $0) } ?? 0
        let (itemState, itemTime) = item(play.track)
        let itemGap = itemTime.map { JODIEFeatures.gap(play.time - $0) } ?? 0
        let itemStatic = staticVector(play.track)
        let newUser = kernel.userStep(user: user, item: itemState, itemStatic: itemStatic, features: features, gap: userGap)
        let newItem = kernel.itemStep(item: itemState, user: user, features: features, gap: itemGap)
        user = newUser
        own[play.track] = (newItem, play.time)
        for j in 0..<kernel.d { trackSum[j] += itemStatic[j] }
        lastTime = play.time
        previous = play.track
    }
}
