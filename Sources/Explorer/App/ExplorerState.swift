import Evaluation
import Listening

/// The explorer's screens, numbered as their keys.
public enum ExplorerScreen: Int, CaseIterable, Sendable {
    case users = 1
    case trajectory, recommendations, compare, heatmap, diversity, skips

    public var title: String {
        switch self {
        case .users: "Users"
        case .trajectory: "Trajectory"
        case .recommendations: "Recommend"
        case .compare: "Compare"
        case .heatmap: "Heatmap"
        case .diversity: "Diversity"
        case .skips: "Skips"
        }
    }

    /// A shorter title for the tab bar of narrow terminals.
    public var shortTitle: String {
        switch self {
        case .trajectory: "Path"
        case .recommendations: "Recs"
        default: title
        }
    }

    /// The name `--dump` accepts.
    public var dumpName: String { title.lowercased() }
}

/// How the users view is ordered.
public enum UserSort: String, CaseIterable, Sendable {
    case sessions
    case skipRate = "skip rate"
    case diversity, key
}

/// Where the analyst is: screen, user, session, context override, list positions and modes.
public struct ExplorerState: Sendable {
    public var screen: ExplorerScreen = .users
    /// Indices into `ExplorerData.users`, in the current sort order.
    public var order: [Int] = []
    public var sort: UserSort = .sessions
    /// Row of the selected user in `order`.
    public var row = 0
    /// First row shown in the users list.
    public var scroll = 0
    /// Session index of the selected user.
    public var session = 0
    /// The context the analyst set in the editor, or nil for the session's own.
    public var context: SessionContext?
    /// Model shown in the recommendations screen.
    public var model = 0
    /// The confirmed search text, for n/N.
    public var query = ""
    /// Text being typed after `/`, or nil when not searching.
    public var searchInput: String?
    public var showHelp = false
    /// Sessions drawn either side of the current one in the trajectory's path (`[` and `]`).
    public var pathWindow = ExplorerState.defaultPathWindow
    /// Whether the trajectory also draws the user's whole path, faintly, behind the window.
    public var showFullPath = false
    /// Context field of the heatmap and diversity screens.
    public var dimension: ContextDimension = .daypart
    /// Recommendations before the last context change, per model, for the entered/left marks.
    public var before: [Int: [Int32]] = [:]
    /// Whether the recommendations screen draws posterior samples (for models that have a posterior).
    public var sampling = false
    /// A one-line notice in the status bar.
    public var notice: String?
    public var quit = false

    public init() {}

    public static let defaultPathWindow = 8
    /// The path window's bounds and step.
    public static let pathWindowLimits = 2...40
    public static let pathWindowStep = 2
}
