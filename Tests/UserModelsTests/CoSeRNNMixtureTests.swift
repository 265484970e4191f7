import Listening
import Testing

@testable import UserModels

/// `CoSeRNN.mixture`: the gate weights and û lengths that explain what a trained model follows.
struct CoSeRNNMixtureTests {
    let data = CoSeRNNTestData(users: 6, sessionsPerUser: 12)

    /// Sessions of every user in `part` of the default split.
    func scored(_ part: SplitPart) -> Int {
        data.users.reduce(0) { $0 + TimeSplit().range(part, of: $1).count }
    }

    @Test func aFixedHalfGateOverAUnitShortTermGivesHalfShares() throws {
        var config = data.config(hidden: 8, dense: 8).ablated(.noGate)
        config.normalizeShortTerm = true
        let mixture = try CoSeRNN(config: config, tracks: data.tracks).mixture(users: data.users, split: TimeSplit(), part: .validation)
        // û and ū are unit vectors weighted 0.5 each, at every validation session.
        #expect(mixture.sessions == scored(.validation))
        #expect(mixture.shortTermWeight == 0.5)
        #expect(abs(mixture.shortTermLength - 1) < 1e-5)
        #expect(abs(mixture.shortTermShare - 0.5) < 1e-5)
    }

    @Test func aLearnedGateGivesWeightsAndSharesStrictlyBetweenZeroAndOne() throws {
        let model = try CoSeRNN(config: data.config(hidden: 8, dense: 8), tracks: data.tracks)
        let mixture = model.mixture(users: data.users, split: TimeSplit(), part: .test)
        let weight = try? #require(mixture.shortTermWeight)
        #expect(mixture.sessions == scored(.test) && weight.map { $0 > 0 && $0 < 1 } == true)
        #expect(mixture.shortTermLength > 0)
        #expect(mixture.shortTermShare > 0 && mixture.shortTermShare < 1)
    }

    @Test func withoutTheLongTermVectorTheShortTermIsEverything() throws {
        let model = try CoSeRNN(config: data.config(hidden: 8, dense: 8).ablated(.noLongTerm), tracks: data.tracks)
        let mixture = model.mixture(users: data.users, split: TimeSplit(), part: .test)
        #expect(mixture.shortTermWeight == nil && mixture.shortTermShare == 1)
    }
}

extension CoSeRNNMixtureTests {
    /// Padded batches of users of different lengths give the figures of one user at a time.
    @Test func batchesOfUnequalUsersGiveTheFiguresOfOneUserAtATime() throws {
        let model = try CoSeRNN(config: data.config(hidden: 8, dense: 8), tracks: data.tracks)
        let users = data.users.enumerated().map { Array($1.prefix(12 - 2 * $0)) }
        let together = model.mixture(users: users, split: TimeSplit(), part: .validation, batchSize: 4)
        let alone = users.map { model.mixture(users: [$0], split: TimeSplit(), part: .validation) }.filter { $0.sessions > 0 }
        let sessions = alone.reduce(0) { $0 + $1.sessions }
        func mean(_ value: (CoSeRNNMixture) -> Double) -> Double {
            alone.reduce(0.0) { $0 + value($1) * Double($1.sessions) } / Double(sessions)
        }
        #expect(alone.count > 2 && together.sessions == sessions)
        let weight = try #require(together.shortTermWeight)
        #expect(abs(weight - mean { $0.shortTermWeight ?? .nan }) < 1e-5)
        #expect(abs(together.shortTermLength - mean(\.shortTermLength)) < 1e-4)
        #expect(abs(together.shortTermShare - mean(\.shortTermShare)) < 1e-5)
    }
}
