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
