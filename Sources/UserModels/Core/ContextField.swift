import Listening

/// A field of the session context that a model's prediction may depend on.
public enum ContextField: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The hour of day, all 24 values.
    case hour
    /// Only the hour's daypart bucket (early morning … night).
    case daypart
    /// The day of week.
    case weekday
    /// The device.
    case device
    /// The stream source of the session.
    case source

    public static func < (a: ContextField, b: ContextField) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }

    /// "hour, weekday, device", in declaration order, or "none".
    public static func list(_ fields: Set<ContextField>) -> String {
        fields.isEmpty ? "none" : fields.sorted().map(\.rawValue).joined(separator: ", ")
    }
}
