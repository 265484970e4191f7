import Foundation

extension TimeSplit {
    /// A split as a user states it, before quantiles are turned into dates against the sessions.
    public struct Specification: Sendable, Hashable {
        /// Per user or one calendar cut.
        public enum Kind: String, Sendable, CaseIterable {
            case perUser = "per-user"
            case global
        }

        /// Where a global part begins: a calendar time, or a quantile of all session start times.
        public enum CutPoint: Sendable, Hashable {
            case time(Int64)
            case quantile(Double)

            /// Reads `2024-03-01`, `2024-03-01T12:00:00Z` (UTC) or a quantile such as `0.9`.
            public init(parsing text: String) throws {
                if let q = Double(text) {
                    guard q > 0, q <= 1 else {
                        throw ListeningError.invalidOption("split cut '\(text)': a quantile must be in (0, 1]")
                    }
                    self = .quantile(q)
                    return
                }
                let formatter = ISO8601DateFormatter()
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.formatOptions = text.count == 10 ? [.withFullDate] : [.withInternetDateTime]
                guard let date = formatter.date(from: text) else {
                    throw ListeningError.invalidOption(
                        "split cut '\(text)' is neither a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) nor a quantile in (0, 1]")
                }
                self = .time(Int64(date.timeIntervalSince1970))
            }

            func time(in sortedStarts: [Int64]) -> Int64 {
                switch self {
                case .time(let t): return t
                case .quantile(let q):
                    let index = Int((Double(sortedStarts.count) * q).rounded(.down))
                    return index >= sortedStarts.count ? (sortedStarts.last ?? 0) + 1 : sortedStarts[index]
                }
            }
        }

        public var kind: Kind
        /// Per user: the share of each user's sessions in validation and in test.
        public var validationShare: Double
        public var testShare: Double
        /// Global: where validation and test begin.
        public var validationCut: CutPoint
        public var testCut: CutPoint

        /// The default: per user, 10% validation and 10% test; a global cut defaults to quantiles 0.8 and 0.9.
        public init(
            kind: Kind = .perUser, validationShare: Double = 0.1, testShare: Double = 0.1,
            validationCut: CutPoint = .quantile(0.8), testCut: CutPoint = .quantile(0.9)
        ) {
            self.kind = kind
            self.validationShare = validationShare
            self.testShare = testShare
            self.validationCut = validationCut
            self.testCut = testCut
        }

        /// Checks what can be checked before the sessions are read: shares, and cuts of the same kind in order.
        public func validate() throws {
            switch kind {
            case .perUser: _ = try TimeSplit.perUser(validationShare: validationShare, testShare: testShare)
            case .global:
                switch (validationCut, testCut) {
                case (.quantile(let v), .quantile(let t)) where v > t:
                    throw ConfigurationError(
                        subject: "time split", field: "validationCut", allowed: "a quantile ≤ the test quantile (\(t))", value: v)
                case (.time(let v), .time(let t)) where v > t:
                    try TimeSplit(checked: .global(validationStart: v, testStart: t)).validate()
                default: break
                }
            }
        }

        /// The split over `sessionStarts` (every session of the workspace), or an error in one line.
        public func resolve(sessionStarts: [Int64]) throws -> TimeSplit {
            switch kind {
            case .perUser:
                return try TimeSplit.perUser(validationShare: validationShare, testShare: testShare)
            case .global:
                guard !sessionStarts.isEmpty else { throw ListeningError.invalidOption("a global split needs at least one session") }
                let sorted = sessionStarts.sorted()
                return try TimeSplit.global(validationStart: validationCut.time(in: sorted), testStart: testCut.time(in: sorted))
            }
        }
    }
}

extension TimeSplit {
    /// The split as one line of JSON, for file metadata and run records.
    public var json: String {
        (try? StableJSON.text(self)) ?? ""
    }

    /// A split read back from `json`, or nil when the text is not a valid one.
    public init?(json: String) {
        guard let split = try? JSONDecoder().decode(TimeSplit.self, from: Data(json.utf8)), (try? split.validate()) != nil else {
            return nil
        }
        self = split
    }
}
