import Listening
import Tensor

/// JODIE (Kumar, Zhang, Leskovec, KDD 2019): coupled user and item RNNs over interactions, a
/// time-gap projection of the user embedding, and a prediction of the next item's embedding.
///
/// At each interaction (user, track, features, time) the user RNN reads the previous user state,
/// the track's dynamic state and static vector, the features and the time since the user's last
/// interaction; the item RNN reads the previous item state, the user's state, the features and the
/// time since the item's last interaction. Both outputs are L2-normalised, as in the official code.
/// Before an interaction the user state is projected to its time, û = (1 + W_p·Δ) ∘ u, and a linear
/// layer predicts the next item's [dynamic, static] embedding from û, the static user embedding and
/// the previous item's dynamic and static embeddings. The static part is the prediction in track space.
///
/// Not thread-safe while training; prediction reads a snapshot of the parameters.
public final class JODIE: Layer {
    /// The settings the model was built with.
    public let config: JODIEConfig
    /// Dimension D of the track space.
    public let dimension: Int

    /// u(t) = normalise(tanh(W [u(t⁻), i(t⁻), ī, f, Δ_u] + b)).
    let userRNN: Linear
    /// i(t) = normalise(tanh(W [i(t⁻), u(t⁻), f, Δ_i] + b)).
    let itemRNN: Linear
    /// û = (1 + W_p·Δ) ∘ u.
    let projection: JODIETimeProjection
    /// [û, ū, p(t⁻), p̄] → predicted [dynamic, static] embedding of the next item, H + D values.
    let predictor: Linear
    /// The learned state of a user before their first interaction, `[1, H]`.
    let initialUser: Parameter
    /// The learned state of an item before its first interaction, `[1, H]`.
    let initialItem: Parameter
    /// Every item's dynamic state and last interaction time at the end of training (a replay of all
    /// training interactions in time order with the final weights); prediction starts from it.
    var frozenItems: JODIEItemStates

    /// Builds a freshly initialised model for a `dimension`-d track space.
    public init(config: JODIEConfig, dimension: Int) throws {
        try config.validate()
        try ConfigurationError.require(dimension >= 1, "JODIE", field: "dimension", allowed: "≥ 1", value: dimension)
        self.config = config
        self.dimension = dimension
        let h = config.dynamicSize, f = config.featureWidth
        var random = SeededRandom(seed: config.seed)
        userRNN = Linear(inputSize: 2 * h + dimension + f + 1, outputSize: h, random: &random)
        itemRNN = Linear(inputSize: 2 * h + f + 1, outputSize: h, random: &random)
        projection = JODIETimeProjection(size: h, scale: config.projectionInitScale, random: &random)
        predictor = Linear(inputSize: 2 * h + 2 * dimension, outputSize: h + dimension, random: &random)
        // As the official code: one random unit vector each, learned.
        initialUser = Parameter(Self.randomUnit(h, random: &random))
        initialItem = Parameter(Self.randomUnit(h, random: &random))
        frozenItems = JODIEItemStates(count: 0, size: h)
    }

    static func randomUnit(_ size: Int, random: inout SeededRandom) -> Tensor {
        var values = (0..<size).map { _ in random.uniform() }
        values.withUnsafeMutableBufferPointer { VectorOps.normalize($0) }
        return Tensor(shape: [1, size], scalars: values)
    }

    /// Name used in tables.
    public var name: String { config.name }

    /// Every parameter, named by the part of the model it belongs to.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        userRNN.namedParameters(prefix: "user_rnn") + itemRNN.namedParameters(prefix: "item_rnn")
            + projection.namedParameters(prefix: "projection") + predictor.namedParameters(prefix: "predictor")
            + [("initial_user", initialUser), ("initial_item", initialItem)]
    }
}

/// JODIE's time projection û(t + Δ) = (1 + w) ∘ u(t) with w = W_p·Δ, a linear layer (no bias) on the
/// normalised time gap.
public final class JODIETimeProjection: Layer {
    /// W_p, `[H, 1]`.
    public let weight: Parameter

    /// A projection for `size`-wide states with W_p uniform in ±`scale`.
    public init(size: Int, scale: Float, random: inout SeededRandom) {
        weight = Parameter(Tensor(shape: [size, 1], scalars: (0..<size).map { _ in random.uniform(-scale, scale) }))
    }

    /// Projects `state` `[B, H]` over `gap` `[B, 1]` (normalised time gaps).
    public func callAsFunction(_ state: Variable, gap: Variable) -> Variable {
        state * (gap.linear(weight: state.tape.parameter(weight), bias: nil) + 1)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }
}

/// Dynamic item states with the time of each item's last interaction.
struct JODIEItemStates: Sendable, Equatable {
    /// State width H.
    let size: Int
    /// `count × H` states (rows of unseen items are unused).
    var states: [Float]
    /// Time of each item's last interaction (only for seen items).
    var lastTime: [Int64]
    /// Whether each item has had an interaction.
    var seen: [Bool]

    init(count: Int, size: Int) {
        self.size = size
        states = [Float](repeating: 0, count: count * size)
        lastTime = [Int64](repeating: 0, count: count)
        seen = [Bool](repeating: false, count: count)
    }

    var count: Int { seen.count }

    /// Whether `item` has a state.
    @inline(__always)
    func has(_ item: Int32) -> Bool { Int(item) < seen.count && seen[Int(item)] }
}
