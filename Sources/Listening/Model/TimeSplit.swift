/// Which part of a user's history a session belongs to.
public enum SplitPart: String, Sendable, CaseIterable, Codable {
    case train, validation, test
}

/// Per-user, time-ordered train/validation/test split.
///
/// For a user with n sessions, the last `round(n · testShare)` sessions are the test set and the
/// `round(n · validationShare)` before them the validation set, each at least 1 once n ≥ 3 so every
/// user with enough history is evaluated; users with fewer than 3 sessions are train only.
public struct TimeSplit: Sendable, Hashable, Codable {
    public var validationShare: Double
    public var testShare: Double

    public init(validationShare: Double = 0.1, testShare: Double = 0.1) {
        precondition(validationShare >= 0 && testShare >= 0 && validationShare + testShare < 1, "split shares must leave room for training")
        self.validationShare = validationShare
        self.testShare = testShare
    }

    /// Index ranges of the three parts for a user with `count` sessions in time order.
    public func ranges(count: Int) -> (train: Range<Int>, validation: Range<Int>, test: Range<Int>) {
        guard count >= 3 else { return (0..<count, count..<count, count..<count) }
        func size(_ share: Double) -> Int { share == 0 ? 0 : max(1, Int((Double(count) * share).rounded())) }
        let test = size(testShare)
        let validation = min(size(validationShare), count - test - 1)
        let trainEnd = count - test - validation
        return (0..<trainEnd, trainEnd..<(trainEnd + validation), (trainEnd + validation)..<count)
    }

    /// The part of session `index` of a user with `count` sessions.
    public func part(ofSession index: Int, count: Int) -> SplitPart {
        let r = ranges(count: count)
        if r.test.contains(index) { return .test }
        if r.validation.contains(index) { return .validation }
        return .train
    }
}
