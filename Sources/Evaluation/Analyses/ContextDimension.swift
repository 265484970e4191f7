import Listening

/// A context field that the analyses group sessions by.
public enum ContextDimension: String, Sendable, CaseIterable, Codable {
    case daypart, device, source

    /// The value of this field in `context`, or nil when unknown.
    public func value(_ context: SessionContext) -> Int? {
        switch self {
        case .daypart: context.daypart.map { Int($0.rawValue) }
        case .device: context.device >= 0 ? Int(context.device) : nil
        case .source: context.source >= 0 ? Int(context.source) : nil
        }
    }

    /// `context` with this field set to `value` (a daypart sets its representative hour).
    public func setting(_ value: Int, in context: SessionContext) -> SessionContext {
        var edited = context
        switch self {
        case .daypart: edited.hour = Daypart(rawValue: Int8(value))?.representativeHour ?? context.hour
        case .device: edited.device = Int16(value)
        case .source: edited.source = Int16(value)
        }
        return edited
    }

    /// The display name of a value.
    public func name(_ value: Int, vocabulary: Vocabulary) -> String {
        switch self {
        case .daypart: Daypart(rawValue: Int8(value))?.description ?? "\(value)"
        case .device: value < vocabulary.devices.count ? vocabulary.devices[value] : "\(value)"
        case .source: value < vocabulary.sources.count ? vocabulary.sources[value] : "\(value)"
        }
    }
}

/// A seeded SplitMix64 generator, so sampled analyses are reproducible.
struct AnalysisRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
