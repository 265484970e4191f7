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
