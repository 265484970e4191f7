import Foundation
import Listening
import Tensor
import Testing

@testable import UserModels

/// A planted long-range effect: what the recurrent state carries and a window of w plays cannot see.
@Suite struct FSVAELongRangeTests {
    /// Each session opens with a cue track (one of `cues` directions), then the same five filler plays
    /// (orthogonal to the cues), then the answer: a track near the cue's direction. At the answer the
    /// cue is six plays back, just beyond the window of five, which then holds fillers only.
    struct Data {
        var users: [[Session]]
        var tracks: TrackVectors
        /// Track of the answer to cue c is `answers[c]`.
        var answers: [Int32]
    }

    static let cues = 6
    static let fillers = answerPosition - 1
    static let dimension = 16
    static let answerPosition = 6

    static func make(users: Int, sessions: Int, seed: UInt64) -> Data {
        var random = SeededRandom(seed: seed)
        var values: [Float] = []
        func unit(_ v: [Float]) -> [Float] {
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        // Cue c and answer c both lie near axis c; fillers live in the other axes.
        for c in 0..<cues {
            var v = [Float](repeating: 0, count: dimension)
            v[c] = 1
            values += v
        }
        for c in 0..<cues {
            var v = (0..<dimension).map { _ in Float(random.normal()) * 0.1 }
            v[c] += 1
            values += unit(v)
        }
        for _ in 0..<fillers {
            var v = (0..<dimension).map { _ in Float(random.normal()) }
            for c in 0..<cues { v[c] = 0 }
            values += unit(v)
        }
        let tracks = TrackVectors(dimension: dimension, values: values)
        let answers = (0..<cues).map { Int32(cues + $0) }
        var all: [[Session]] = []
        for user in 0..<users {
            var list: [Session] = []
            for s in 0..<sessions {
                let start = Int64(s) * 86_400 + Int64(user) * 60
                let cue = Int32(Int.random(in: 0..<cues, using: &random))
                var ids: [Int32] = [cue]
                for filler in 0..<(answerPosition - 1) { ids.append(Int32(2 * cues + filler)) }
                ids.append(answers[Int(cue)])
                let plays = ids.enumerated().map { Play(track: $1, time: start + Int64($0) * 200, skip: .played) }
                list.append(
                    Session(
                        user: Int32(user), start: start, context: SessionContext(hour: 12, weekday: 2, device: 0, source: 0), plays: plays))
            }
            all.append(list)
        }
        return Data(users: all, tracks: tracks, answers: answers)
    }

    static func config(seed: UInt64, recurrent: Bool) -> FSVAEConfig {
        var config = FSVAEConfig(
            fastScalars: FastScalar.timeOfDay, slowFeatures: [], sequentialHidden: 32, latent: 16, decoderHidden: 32,
            klWarmupSteps: 100, reconstructionVariance: 1e-3, dropout: 0, learningRate: 5e-3, batchSize: 128, epochs: 30, patience: 5,
            seed: seed)
        config.initialLogVariance = -4
        if recurrent {
            config.recurrentHidden = 32
            config.chunkLength = 16
        }
        return config
    }

    /// Mean cosine distance at the answer plays of each user's test sessions.
    static func answerDistance(_ model: FSVAE, data: Data) throws -> Double {
        let user = try FSVAEUserModel(model: model, tracks: data.tracks)
        let split = TimeSplit()
        var sum = 0.0
        var count = 0
        for sessions in data.users {
            let test = split.ranges(of: sessions).test
            let predictions = user.predictNextTracks(sessions: sessions, targets: test)
            for (offset, index) in test.enumerated() {
                let row = offset * sessions[index].plays.count + answerPosition
                let answer = sessions[index].plays[answerPosition].track
                sum += Double(1 - VectorOps.cosine(predictions[row], data.tracks.vector(answer)))
                count += 1
            }
        }
        return sum / Double(count)
    }

    @Test func theRecurrentStateRecoversACueBeyondTheWindowAndTheWindowedModelDoesNot() throws {
        let data = Self.make(users: 60, sessions: 12, seed: 21)
        var differences: [Double] = []
        var recurrentScores: [Double] = []
        var windowedScores: [Double] = []
        for seed: UInt64 in [1, 2, 3] {
            let recurrent = try FSVAE(config: Self.config(seed: seed, recurrent: true), dimension: Self.dimension)
            try recurrent.train(users: data.users, tracks: data.tracks)
            let windowed = try FSVAE(config: Self.config(seed: seed, recurrent: false), dimension: Self.dimension)
            try windowed.train(users: data.users, tracks: data.tracks)
            let (r, w) = (try Self.answerDistance(recurrent, data: data), try Self.answerDistance(windowed, data: data))
            recurrentScores.append(r)
            windowedScores.append(w)
            differences.append(w - r)
        }
        let mean = differences.reduce(0, +) / 3
        let std = (differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        let message = "answer cosine distance: recurrent \(recurrentScores), windowed \(windowedScores)"
        // Without the cue the best guess is the mean answer direction: about 1 − 1/√6 ≈ 0.59 from any answer.
        #expect(windowedScores.allSatisfy { $0 > 0.45 }, "the window cannot see the cue; \(message)")
        #expect(recurrentScores.allSatisfy { $0 < 0.3 }, "the state carries the cue; \(message)")
        #expect(mean > 2 * std, "beyond the seed spread; \(message)")
    }
}
