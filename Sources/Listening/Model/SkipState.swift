/// Whether a play was listened to, skipped, or the log cannot say.
public enum SkipState: Int8, Sendable, Hashable, CaseIterable {
    case played = 0
    case skipped = 1
    case unknown = -1

    /// The value stored in the workspace: 0, 1 or NULL.
    public var storedValue: Int? { self == .unknown ? nil : Int(rawValue) }

    /// Reads a workspace value back; NULL is unknown.
    public init(storedValue: Int?) {
        switch storedValue {
        case 0: self = .played
        case 1: self = .skipped
        default: self = .unknown
        }
    }
}
