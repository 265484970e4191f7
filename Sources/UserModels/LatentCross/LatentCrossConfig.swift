import Listening

/// How LatentCross reads the time of day.
public enum LatentCrossHourField: String, Sendable, Codable, Hashable, CaseIterable {
    /// One embedding per hour 0–23.
    case hour
    /// One embedding per daypart bucket (early morning … night).
    case daypart
    /// The time of day is not read.
    case none
}

/// Every setting of a LatentCross model, stored with its checkpoints.
///
/// Beutel et al. (WSDM 2018) give no sizes for the public reader; ours are scaled for a 2-core CPU
/// (Docs/baselines.md). The optimiser settings live in `TrainingOptions`, shared by every model.
public struct LatentCrossConfig: Sendable, Codable, Hashable {
    /// Name used in tables.
    public var name: String
    /// GRU hidden size.
    public var hiddenSize: Int
    /// Width of the ReLU layer between the gated hidden state and the output.
    public var denseSize: Int
    /// The time-of-day field the context embeddings read.
    public var hourField: LatentCrossHourField
    /// Whether the day of week is a context field.
    public var useWeekday: Bool
    /// Devices in the workspace vocabulary (0: the device is not read).
    public var deviceCount: Int
    /// Stream sources in the workspace vocabulary (0: the source is not read).
    public var sourceCount: Int
    /// Latent cross on the GRU input (pre-fusion), with the context of the play being read.
    public var crossInput: Bool
    /// Latent cross on the GRU output (post-fusion), with the context of the play being predicted.
    public var crossOutput: Bool
    /// Plays per training window whose predictions are in the loss (truncated backpropagation through time).
    public var windowLength: Int
    /// Plays before each window (but a user's first) that only warm up the GRU state.
    public var warmUpLength: Int
    /// Windows sampled per epoch (the head of each epoch's shuffle); nil trains on every window.
    public var windowsPerEpoch: Int?
    /// Seed of the initial weights and of the per-epoch window order.
    public var seed: UInt64

    /// Creates a config; the defaults are the ones `Docs/baselines.md` documents.
    public init(
        name: String = "LatentCross", hiddenSize: Int = 64, denseSize: Int = 64, hourField: LatentCrossHourField = .hour,
        useWeekday: Bool = true, deviceCount: Int, sourceCount: Int, crossInput: Bool = true, crossOutput: Bool = true,
        windowLength: Int = 64, warmUpLength: Int = 32, windowsPerEpoch: Int? = nil, seed: UInt64 = 42
    ) {
        self.name = name
        self.hiddenSize = hiddenSize
        self.denseSize = denseSize
        self.hourField = hourField
        self.useWeekday = useWeekday
        self.deviceCount = deviceCount
        self.sourceCount = sourceCount
        self.crossInput = crossInput
        self.crossOutput = crossOutput
        self.windowLength = windowLength
        self.warmUpLength = warmUpLength
        self.windowsPerEpoch = windowsPerEpoch
        self.seed = seed
    }

    /// Throws a `ConfigurationError` naming the first setting out of range.
    public func validate() throws {
        let require = ConfigurationCheck("LatentCross config")
        try require(hiddenSize >= 1, "hiddenSize", "≥ 1", hiddenSize)
        try require(denseSize >= 1, "denseSize", "≥ 1", denseSize)
        // Context ids are stored as Int16.
        try require(deviceCount >= 0 && deviceCount <= Int(Int16.max), "deviceCount", "in 0...\(Int16.max)", deviceCount)
        try require(sourceCount >= 0 && sourceCount <= Int(Int16.max), "sourceCount", "in 0...\(Int16.max)", sourceCount)
        try require(windowLength >= 1, "windowLength", "≥ 1", windowLength)
        try require(warmUpLength >= 0, "warmUpLength", "≥ 0", warmUpLength)
        if let windowsPerEpoch { try require(windowsPerEpoch >= 1, "windowsPerEpoch", "≥ 1", windowsPerEpoch) }
        try require(
            !(crossInput || crossOutput) || !fields.isEmpty, "context fields", "at least one while the latent cross is on", "none")
    }

    /// The context fields the embeddings read, in a fixed order.
    var fields: [LatentCrossField] {
        var all: [LatentCrossField] = []
        switch hourField {
        case .hour: all.append(.hour)
        case .daypart: all.append(.daypart)
        case .none: break
        }
        if useWeekday { all.append(.weekday) }
        if deviceCount > 0 { all.append(.device) }
        if sourceCount > 0 { all.append(.source) }
        return all
    }

    /// The fields of `ContextField` the predictions read (none when neither cross is on).
    public var contextFields: Set<ContextField> {
        guard crossInput || crossOutput else { return [] }
        return Set(fields.map(\.contextField))
    }

    /// The same model without its context (both crosses off): the plain GRU recommender of the paper's baseline.
    public func withoutContext() -> LatentCrossConfig {
        var c = self
        c.name = "LatentCross, no context"
        c.crossInput = false
        c.crossOutput = false
        return c
    }
}

/// One embedded context field. Row 0 of each table is "unknown", so a missing field is never invented.
enum LatentCrossField: String, Sendable, Hashable {
    case hour, daypart, weekday, device, source

    var contextField: ContextField {
        switch self {
        case .hour: .hour
        case .daypart: .daypart
        case .weekday: .weekday
        case .device: .device
        case .source: .source
        }
    }

    /// Rows of the field's table: its values plus the unknown row.
    func rows(config: LatentCrossConfig) -> Int {
        switch self {
        case .hour: 25
        case .daypart: 6
        case .weekday: 8
        case .device: config.deviceCount + 1
        case .source: config.sourceCount + 1
        }
    }
}

/// Errors of LatentCross.
public enum LatentCrossError: Error, CustomStringConvertible, Equatable {
    /// The data yields no training window.
    case noTrainingData
    /// A model file lacks the config or was written by another model.
    case badCheckpoint(String)
    /// The track space has another dimension than the model.
    case dimensionMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .noTrainingData: "nothing to train on: no user has a play in a training session"
        case .badCheckpoint(let message): "not a LatentCross model file: \(message)"
        case .dimensionMismatch(let expected, let found):
            "the model predicts \(expected)-d vectors but the track space is \(found)-d"
        }
    }
}
