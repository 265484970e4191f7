/// A user-settable setting outside its allowed range.
///
/// Every config's `validate()` throws this one type, so callers (the CLI, experiments) catch one
/// error and print one line naming the setting, its allowed range and the value given. It lives in
/// Listening, the lowest module with a user-settable config (`TimeSplit`).
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// What the setting belongs to, as users know it: "FS-VAE config", "training options".
    public let subject: String
    /// The setting's name in the API: "batchSize", or several names when they are checked together.
    public let field: String
    /// The allowed values in words: "≥ 1", "in (0, 1]".
    public let allowed: String
    /// The value given, as text.
    public let value: String

    /// An error about `field` of `subject`, which must be `allowed` but is `value`.
    public init(subject: String, field: String, allowed: String, value: Any) {
        self.subject = subject
        self.field = field
        self.allowed = allowed
        self.value = String(describing: value)
    }

    /// One line: "invalid FS-VAE config: dropout must be in [0, 1), got 1.5".
    public var description: String { "invalid \(subject): \(field) must be \(allowed), got \(value)" }

    /// Throws a `ConfigurationError` unless `condition` holds.
    public static func require(
        _ condition: Bool, _ subject: String, field: String, allowed: String, value: @autoclosure () -> Any
    ) throws {
        guard condition else { throw ConfigurationError(subject: subject, field: field, allowed: allowed, value: value()) }
    }
}

/// The checks of one config's `validate()`: `try require(ok, "field", "allowed", value)` throws a
/// `ConfigurationError` about `subject` unless `ok` holds.
public struct ConfigurationCheck: Sendable {
    /// What the checked settings belong to, as users know it: "JODIE config".
    public let subject: String

    public init(_ subject: String) { self.subject = subject }

    /// Throws a `ConfigurationError` about `field` unless `condition` holds.
    public func callAsFunction(_ condition: Bool, _ field: String, _ allowed: String, _ value: @autoclosure () -> Any) throws {
        try ConfigurationError.require(condition, subject, field: field, allowed: allowed, value: value())
    }
}
