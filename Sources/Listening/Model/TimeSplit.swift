import Foundation

/// Which part of a user's history a session belongs to.
public enum SplitPart: String, Sendable, CaseIterable, Codable {
    case train, validation, test
}

/// A time-ordered train/validation/test split: per user, or one calendar cut for everyone.
///
/// - Per user: for a user with n sessions, the last `round(n · testShare)` sessions are the test
///   set and the `round(n · validationShare)` before them the validation set, each at least 1
///   once n ≥ 3 so every user with enough history is evaluated; users with fewer than 3 sessions
///   are train only. Different users' test periods overlap in calendar time, so a training
///   session of one user may come after another user's test session.
/// - Global: sessions that start before `validationStart` are training, those from
///   `validationStart` to `testStart` validation, the rest test. No training session comes after
///   any scored session, for any user.
///
/// Either way each user's parts are contiguous runs of their time-ordered sessions.
public struct TimeSplit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How the parts are cut.
    public enum Cut: Sendable, Hashable, Codable {
        /// The last shares of each user's sessions.
        case perUser(validationShare: Double, testShare: Double)
        /// Calendar times (Unix seconds) where validation and test begin, the same for every user.
        case global(validationStart: Int64, testStart: Int64)
    }

    /// The cut that defines the parts.
    public let cut: Cut

    /// The per-user split with the given shares (the default is 10% validation, 10% test).
    ///
    /// Unchecked: trainers call `validate()`; `perUser(validationShare:testShare:)` checks at once.
    public init(validationShare: Double = 0.1, testShare: Double = 0.1) {
        cut = .perUser(validationShare: validationShare, testShare: testShare)
    }

    /// A split from a cut that has been checked (see the throwing factories).
    init(checked cut: Cut) { self.cut = cut }

    /// A per-user split, or a `ConfigurationError` naming the shares that leave no room for training.
    public static func perUser(validationShare: Double, testShare: Double) throws -> TimeSplit {
        let split = TimeSplit(checked: .perUser(validationShare: validationShare, testShare: testShare))
        try split.validate()
        return split
    }

    /// A global calendar cut at two times, or a `ConfigurationError` when validation would start after test.
    public static func global(validationStart: Int64, testStart: Int64) throws -> TimeSplit {
        let split = TimeSplit(checked: .global(validationStart: validationStart, testStart: testStart))
        try split.validate()
        return split
    }

    /// Throws a `ConfigurationError` when the shares leave no room for training or the validation period
    /// starts after the test period.
    public func validate() throws {
        switch cut {
        case .perUser(let validationShare, let testShare):
            try ConfigurationError.require(
                Self.sharesAreValid(validationShare, testShare), "time split", field: "validationShare and testShare",
                allowed: "finite, ≥ 0 and together below 1 (training needs the rest)",
                value: "validation \(validationShare), test \(testShare)")
        case .global(let validationStart, let testStart):
            try ConfigurationError.require(
                validationStart <= testStart, "time split", field: "validationStart",
                allowed: "no later than testStart (\(Self.date(testStart)))", value: Self.date(validationStart))
        }
    }

    /// A global cut at quantiles of all session start times: with 0.8 and 0.9, the last 10% of
    /// sessions (by start time, over every user) are test and the 10% before them validation.
    public static func global(validationQuantile: Double, testQuantile: Double, sessionStarts: [Int64]) throws -> TimeSplit {
        try ConfigurationError.require(
            validationQuantile > 0 && validationQuantile <= testQuantile && testQuantile <= 1, "time split",
            field: "validationQuantile and testQuantile", allowed: "0 < validation ≤ test ≤ 1",
            value: "\(validationQuantile) and \(testQuantile)")
        let specification = Specification(kind: .global, validationCut: .quantile(validationQuantile), testCut: .quantile(testQuantile))
        return try specification.resolve(sessionStarts: sessionStarts)
    }

    static func sharesAreValid(_ validation: Double, _ test: Double) -> Bool {
        validation >= 0 && test >= 0 && validation + test < 1 && validation.isFinite && test.isFinite
    }

    /// Index ranges of the three parts of one user's sessions, given in time order.
    public func ranges(of sessions: some RandomAccessCollection<Session>) -> (train: Range<Int>, validation: Range<Int>, test: Range<Int>) {
        switch cut {
        case .perUser(let validationShare, let testShare):
            return Self.shareRanges(count: sessions.count, validationShare: validationShare, testShare: testShare)
        case .global(let validationStart, let testStart):
            let starts = sessions.map(\.start)
            let trainEnd = starts.firstIndex { $0 >= validationStart } ?? starts.count
            let validationEnd = max(trainEnd, starts.firstIndex { $0 >= testStart } ?? starts.count)
            return (0..<trainEnd, trainEnd..<validationEnd, validationEnd..<starts.count)
        }
    }

    /// The index range of `part` in one user's sessions.
    public func range(_ part: SplitPart, of sessions: some RandomAccessCollection<Session>) -> Range<Int> {
        let r = ranges(of: sessions)
        switch part {
        case .train: return r.train
        case .validation: return r.validation
        case .test: return r.test
        }
    }

    /// The part of session `index` of one user's sessions.
    public func part(ofSession index: Int, in sessions: some RandomAccessCollection<Session>) -> SplitPart {
        let r = ranges(of: sessions)
        if r.test.contains(index) { return .test }
        if r.validation.contains(index) { return .validation }
        return .train
    }

    /// The training sessions of every user (each user's sessions in time order).
    public func trainingSessions(of users: [[Session]]) -> [Session] {
        users.flatMap { $0[range(.train, of: $0)] }
    }

    static func shareRanges(count: Int, validationShare: Double, testShare: Double) -> (
        train: Range<Int>, validation: Range<Int>, test: Range<Int>
    ) {
        guard count >= 3 else { return (0..<count, count..<count, count..<count) }
        func size(_ share: Double) -> Int { share == 0 ? 0 : max(1, Int((Double(count) * share).rounded())) }
        let test = size(testShare)
        let validation = min(size(validationShare), count - test - 1)
        let trainEnd = count - test - validation
        return (0..<trainEnd, trainEnd..<(trainEnd + validation), (trainEnd + validation)..<count)
    }

    /// The split in words, for table headers: "per-user, last 10% test, 10% before it validation".
    public var description: String {
        switch cut {
        case .perUser(let validationShare, let testShare):
            return
                "per-user time split (each user's last \(Self.percent(testShare)) of sessions test, the \(Self.percent(validationShare)) before them validation)"
        case .global(let validationStart, let testStart):
            return "global calendar cut (validation from \(Self.date(validationStart)), test from \(Self.date(testStart)), UTC)"
        }
    }

    static func percent(_ share: Double) -> String {
        let value = share * 100
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }

    static func date(_ time: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }
}
