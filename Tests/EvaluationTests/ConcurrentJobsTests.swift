import Foundation
import Testing

@testable import Evaluation

/// Jobs run at once come back in job order, and a failing job's error reaches the caller.
struct ConcurrentJobsTests {
    struct Failure: Error, Equatable { let index: Int }

    @Test func resultsComeBackInJobOrderWhateverFinishesFirst() throws {
        let results = try ConcurrentJobs.run(count: 9, workers: 3) { index -> Int in
            // Early jobs take longest, so they finish last.
            Thread.sleep(forTimeInterval: Double(9 - index) * 0.002)
            return index * index
        }
        #expect(results == (0..<9).map { $0 * $0 })
        #expect(try ConcurrentJobs.run(count: 4, workers: 1) { $0 + 1 } == [1, 2, 3, 4])
    }

    @Test func theFirstErrorIsRethrown() {
        #expect(throws: Failure(index: 2)) {
            _ = try ConcurrentJobs.run(count: 6, workers: 2) { index -> Int in
                if index == 2 { throw Failure(index: 2) }
                return index
            }
        }
    }
}
