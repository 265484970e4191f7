import Listening

/// Every setting of a JODIE model, stored with its checkpoints.
///
/// Kumar, Zhang and Leskovec (KDD 2019) use 128-d dynamic embeddings, λ_U = λ_I = 1 and backpropagate
/// over time spans of 1/500 of the data. Ours are scaled for a 2-core CPU (Docs/baselines.md).
public struct JODIEConfig: Sendable, Codable, Hashable {
    /// Name used in tables.
    public var name: String
    /// Width H of the dynamic user and item embeddings.
    public var dynamicSize: Int
    /// Size of the device vocabulary (one-hot width of the interaction features; unknown is all zeros).
    public var deviceCount: Int
    /// Size of the stream-source vocabulary (one-hot width; unknown is all zeros).
    public var sourceCount: Int
    /// λ_U: weight of ‖u(t) − u(t⁻)‖² (mean over the H elements, as the official code's MSE).
    public var userDriftWeight: Float
    /// λ_I: weight of ‖i(t) − i(t⁻)‖².
    public var itemDriftWeight: Float
    /// Interactions per optimiser step: training interactions in time order are cut into spans of
    /// this many, t-batched within each span, and gradients flow through a whole span.
    public var spanInteractions: Int
    /// Half-width of the uniform initialisation of the time-projection weights W_p (small, so û ≈ u at first).
    public var projectionInitScale: Float
    /// Seed of the weight initialisation.
    public var seed: UInt64

    /// Creates a config; every field has a default.
    public init(
        name: String = "JODIE", dynamicSize: Int = 32, deviceCount: Int = 0, sourceCount: Int = 0,
        userDriftWeight: Float = 1, itemDriftWeight: Float = 1, spanInteractions: Int = 1024,
        projectionInitScale: Float = 0.01, seed: UInt64 = 42
    ) {
        self.name = name
        self.dynamicSize = dynamicSize
        self.deviceCount = deviceCount
        self.sourceCount = sourceCount
        self.userDriftWeight = userDriftWeight
        self.itemDriftWeight = itemDriftWeight
        self.spanInteractions = spanInteractions
        self.projectionInitScale = projectionInitScale
        self.seed = seed
    }

    /// Throws a `ConfigurationError` naming the first setting out of range.
    public func validate() throws {
        let require = ConfigurationCheck("JODIE config")
        try require(dynamicSize >= 1, "dynamicSize", "≥ 1", dynamicSize)
        try require(deviceCount >= 0, "deviceCount", "≥ 0", deviceCount)
        try require(sourceCount >= 0, "sourceCount", "≥ 0", sourceCount)
        try require(userDriftWeight >= 0 && userDriftWeight.isFinite, "userDriftWeight", "a finite number ≥ 0", userDriftWeight)
        try require(itemDriftWeight >= 0 && itemDriftWeight.isFinite, "itemDriftWeight", "a finite number ≥ 0", itemDriftWeight)
        try require(spanInteractions >= 1, "spanInteractions", "≥ 1", spanInteractions)
        try require(
            projectionInitScale >= 0 && projectionInitScale.isFinite, "projectionInitScale", "a finite number ≥ 0", projectionInitScale)
    }

    /// Width of an interaction's feature vector: skip flag, daypart one-hot, device and source one-hots.
    public var featureWidth: Int { 1 + JODIEFeatures.daypartCount + deviceCount + sourceCount }
}

/// Errors of JODIE construction, training and checkpoints.
public enum JODIEError: Error, CustomStringConvertible, Equatable {
    /// No user has a training play.
    case noTrainingData
    /// A checkpoint lacks the config or was written by another model.
    case badCheckpoint(String)
    /// The track space has another dimension or size than the model.
    case trackSpaceMismatch(String)

    public var description: String {
        switch self {
        case .noTrainingData: "no training data: no user has a play in a training session"
        case .badCheckpoint(let message): "not a JODIE checkpoint: \(message)"
        case .trackSpaceMismatch(let message): "JODIE and the track space disagree: \(message)"
        }
    }
}
