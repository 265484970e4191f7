import Testing

@testable import Listening

@Suite struct TimeSplitTests {
    /// `count` sessions of one user, one a day from day 0.
    static func sessions(_ count: Int, firstDay: Int64 = 0) -> [Session] {
        (0..<count).map { Session(user: 0, start: (firstDay + Int64($0)) * 86_400, context: .unknown, plays: []) }
    }

    @Test func lastTenPercentIsTestAndTheTenBeforeValidation() {
        let split = TimeSplit()
        let r = split.ranges(of: Self.sessions(50))
        #expect(r.train == 0..<40)
        #expect(r.validation == 40..<45)
        #expect(r.test == 45..<50)
        let small = split.ranges(of: Self.sessions(3))
        #expect(small.train == 0..<1 && small.validation == 1..<2 && small.test == 2..<3)
        #expect(split.ranges(of: Self.sessions(2)).train == 0..<2)
        #expect(split.part(ofSession: 49, in: Self.sessions(50)) == .test)
        #expect(split.part(ofSession: 40, in: Self.sessions(50)) == .validation)
        #expect(split.part(ofSession: 39, in: Self.sessions(50)) == .train)
        // Every session belongs to exactly one part, in time order.
        for n in 0..<200 {
            let parts = split.ranges(of: Self.sessions(n))
            #expect(parts.train.count + parts.validation.count + parts.test.count == n)
            #expect(parts.train.upperBound == parts.validation.lowerBound && parts.validation.upperBound == parts.test.lowerBound)
        }
    }

    @Test func globalCutSplitsEveryUserAtTheSameDates() throws {
        let split = try TimeSplit.global(validationStart: 10 * 86_400, testStart: 15 * 86_400)
        // Days 0–19: 10 training, 5 validation, 5 test.
        let r = split.ranges(of: Self.sessions(20))
        #expect(r.train == 0..<10 && r.validation == 10..<15 && r.test == 15..<20)
        // A user who starts on day 12 has no training sessions; one who stops on day 7 has only training.
        let late = split.ranges(of: Self.sessions(8, firstDay: 12))
        #expect(late.train.isEmpty && late.validation == 0..<3 && late.test == 3..<8)
        let early = split.ranges(of: Self.sessions(8))
        #expect(early.train == 0..<8 && early.validation.isEmpty && early.test.isEmpty)
        // A session starting exactly at a cut belongs to the later part.
        #expect(split.part(ofSession: 10, in: Self.sessions(20)) == .validation)
        #expect(split.part(ofSession: 9, in: Self.sessions(20)) == .train)
    }

    @Test func globalQuantilesCutAtSessionStartTimes() throws {
        // 100 sessions on days 0–99: quantiles 0.8 and 0.9 cut at days 80 and 90.
        let starts = (0..<100).map { Int64($0) * 86_400 }
        let split = try TimeSplit.global(validationQuantile: 0.8, testQuantile: 0.9, sessionStarts: starts.shuffled())
        #expect(split.cut == .global(validationStart: 80 * 86_400, testStart: 90 * 86_400))
        let r = split.ranges(of: Self.sessions(100))
        #expect(r.train.count == 80 && r.validation.count == 10 && r.test.count == 10)
        // Quantile 1 leaves the test part empty.
        let noTest = try TimeSplit.global(validationQuantile: 0.9, testQuantile: 1, sessionStarts: starts)
        #expect(noTest.ranges(of: Self.sessions(100)).test.isEmpty)
    }

    @Test func invalidSplitsAreErrorsNotTraps() {
        #expect(throws: ConfigurationError.self) { try TimeSplit.perUser(validationShare: 0.6, testShare: 0.5) }
        #expect(throws: ConfigurationError.self) { try TimeSplit.perUser(validationShare: -0.1, testShare: 0.1) }
        #expect(throws: ConfigurationError.self) { try TimeSplit.perUser(validationShare: .nan, testShare: 0.1) }
        #expect(throws: ConfigurationError.self) { try TimeSplit.global(validationStart: 10, testStart: 5) }
        #expect(throws: ConfigurationError.self) {
            try TimeSplit.global(validationQuantile: 0.9, testQuantile: 0.8, sessionStarts: [1, 2])
        }
        #expect(throws: ListeningError.self) { try TimeSplit.global(validationQuantile: 0.8, testQuantile: 0.9, sessionStarts: []) }
        // The unchecked initialiser defers to validate(), which trainers call; saved splits are checked on reading.
        let unchecked = TimeSplit(validationShare: 0.6, testShare: 0.5)
        let error = #expect(throws: ConfigurationError.self) { try unchecked.validate() }
        #expect(error?.field == "validationShare and testShare" && error?.description.contains("\n") == false)
        #expect(TimeSplit(json: unchecked.json) == nil && TimeSplit(json: TimeSplit().json) == TimeSplit())
        #expect(throws: Never.self) { try TimeSplit().validate() }
    }
}
