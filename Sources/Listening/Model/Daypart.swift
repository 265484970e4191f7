/// The five buckets of the hour of day that CoSeRNN's context uses.
public enum Daypart: Int8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 05:00–07:59.
    case earlyMorning = 0
    /// 08:00–11:59.
    case morning = 1
    /// 12:00–16:59.
    case afternoon = 2
    /// 17:00–21:59.
    case evening = 3
    /// 22:00–04:59.
    case night = 4

    /// The bucket of an hour 0–23.
    public init(hour: Int) {
        switch hour {
        case 5..<8: self = .earlyMorning
        case 8..<12: self = .morning
        case 12..<17: self = .afternoon
        case 17..<22: self = .evening
        default: self = .night
        }
    }

    /// A short lowercase name used in tables and on the command line.
    public var description: String {
        switch self {
        case .earlyMorning: "early-morning"
        case .morning: "morning"
        case .afternoon: "afternoon"
        case .evening: "evening"
        case .night: "night"
        }
    }

    /// Parses the names printed by `description`.
    public init?(name: String) {
        guard let match = Daypart.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = match
    }
}

extension Daypart {
    /// One hour inside the daypart, used when a context edit sets the daypart.
    public var representativeHour: Int8 {
        switch self {
        case .earlyMorning: 6
        case .morning: 9
        case .afternoon: 14
        case .evening: 19
        case .night: 23
        }
    }
}
