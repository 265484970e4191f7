import Listening
import Testing
import UserModels

@testable import Evaluation

/// The papers' analyses: hand-checked numbers, and the planted effects of the synthetic data.
@Suite struct AnalysesTests {
    @Test func boxplotNumbersMatchHandComputation() {
        let b = BoxplotSummary([1, 2, 3, 4, 5, 6, 7, 8, 100])
        #expect(b.median == 5)
        #expect(b.lowerQuartile == 3 && b.upperQuartile == 7)
        #expect(b.lowerWhisker == 1 && b.upperWhisker == 8, "100 lies beyond 7 + 1.5·4")
        #expect(abs(b.mean - 136.0 / 9) < 1e-12)
        #expect(BoxplotSummary([]).count == 0)
    }

    @Test func linearFitMatchesHandComputation() {
        let perfect = LinearFit(x: [0, 1, 2, 3], y: [1, 3, 5, 7])
        #expect(perfect.slope == 2 && perfect.intercept == 1 && abs(perfect.pearson - 1) < 1e-12)
        // x = 1,2,3; y = 2,1,3: Sxy = 0.5·... → slope 0.5, r = 0.5.
        let fit = LinearFit(x: [1, 2, 3], y: [2, 1, 3])
        #expect(abs(fit.slope - 0.5) < 1e-12)
        #expect(abs(fit.pearson - 0.5) < 1e-12)
        #expect(LinearFit(x: [1, 1], y: [2, 3]).pearson.isNaN)
    }

    @Test func heatmapOfAHandMadeUser() {
        // 2-d tracks; sessions on the east axis are mornings, north evenings.
        let tracks = TrackVectors(dimension: 2, values: [1, 0, 0, 1])
        func session(_ track: Int32, hour: Int8) -> Session {
            Session(user: 0, start: 0, context: SessionContext(hour: hour), plays: [Play(track: track, time: 0, skip: .played)])
        }
        let user = [session(0, hour: 9), session(0, hour: 10), session(1, hour: 19), session(1, hour: 20)]
        let map = SameContextHeatmap(users: [user], tracks: tracks, vocabulary: Vocabulary(), dimension: .daypart)
        #expect(map.names == ["morning", "evening"])
        // Every nearest session shares the daypart; random pairing would give 1/3 same, 2/3 other.
        #expect(map.observed == [[1, 0], [0, 1]])
        #expect(abs(map.expected[0][0] - 1.0 / 3) < 1e-12 && abs(map.expected[0][1] - 2.0 / 3) < 1e-12)
        #expect(abs(map.meanDiagonalExcess - 2.0 / 3) < 1e-12)
    }

    // The planted structure of the synthetic data, with its own track vectors as the track space.
    static let synthetic: (users: [[Session]], tracks: TrackVectors, generator: SyntheticGenerator) = {
        let generator = SyntheticGenerator(
            config: SyntheticConfig(
                users: 200, sessionsPerUser: 40, playsPerSession: 10,
                tracks: 2_000, clusters: 16, seed: 5))
        var users: [[Session]] = []
        var current: [Session] = []
        generator.generate(users: 0..<200) { session in
            if let last = current.last, last.user != session.user {
                users.append(current)
                current = []
            }
            current.append(session)
        }
        users.append(current)
        let tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        return (users, tracks, generator)
    }()

    @Test func rareContextsAreMoreDiverse() {
        let (users, tracks, generator) = Self.synthetic
        let sessions = users.flatMap { $0 }
        let dayparts = ContextDiversity(
            sessions: sessions, tracks: tracks, vocabulary: generator.vocabulary, dimension: .daypart,
            pairsPerValue: 5_000)
        let rare = dayparts.rows.filter { generator.truth.rareDayparts.contains(Daypart(rawValue: Int8($0.value)) ?? .morning) }
        let common = dayparts.rows.filter { !generator.truth.rareDayparts.contains(Daypart(rawValue: Int8($0.value)) ?? .morning) }
        #expect(!rare.isEmpty && !common.isEmpty)
        #expect(dayparts.rows.allSatisfy { $0.pairsSampled == 5_000 })
        let rareMedian = rare.map(\.similarity.median).max() ?? 1
        let commonMedian = common.map(\.similarity.median).min() ?? 0
        #expect(rareMedian < commonMedian, "every rare daypart is more diverse than every common one")
        let devices = ContextDiversity(
            sessions: sessions, tracks: tracks, vocabulary: generator.vocabulary, dimension: .device,
            pairsPerValue: 5_000)
        let rareDevices = devices.rows.filter { generator.truth.rareDevices.contains($0.value) }.map(\.similarity.mean)
        let commonDevices = devices.rows.filter { !generator.truth.rareDevices.contains($0.value) }.map(\.similarity.mean)
        #expect((rareDevices.max() ?? 1) < (commonDevices.min() ?? 0))
    }

    @Test func sameContextHeatmapHasAPositiveDiagonal() {
        let (users, tracks, generator) = Self.synthetic
        for dimension in [ContextDimension.daypart, .device] {
            let map = SameContextHeatmap(users: users, tracks: tracks, vocabulary: generator.vocabulary, dimension: dimension)
            #expect(map.meanDiagonalExcess > 0.05, "\(dimension): \(map.meanDiagonalExcess)")
            for i in map.values.indices where map.rowCounts[i] >= 50 {
                #expect(map.excess[i][i] > 0, "\(dimension) \(map.names[i])")
            }
        }
    }

    @Test func skipRateFallsWithSimilarityToTheUser() {
        let (users, tracks, _) = Self.synthetic
        let analysis = SkipSimilarity(users: users, tracks: tracks)
        let all = analysis.rows[0]
        #expect(all.minimumSkipRate == 0)
        #expect(all.sessions > 5_000)
        #expect(all.pearson < -0.1, "r = \(all.pearson)")
        #expect(all.slope < 0)
        #expect(analysis.rows.map(\.sessions) == analysis.rows.map(\.sessions).sorted(by: >), "higher thresholds keep fewer sessions")
    }

    @Test func movementOfTheAverageShrinksAsHistoryGrows() {
        let (users, tracks, _) = Self.synthetic
        let average = AverageBaseline(tracks: tracks)
        let last = LastSessionBaseline(tracks: tracks)
        let movement = RepresentationMovement(models: [average, last], users: Array(users.prefix(50)))
        let row = { (model: String, steps: Int) in movement.rows.first { $0.model == model && $0.steps == steps } }
        let average1 = try? #require(row("Average", 1))
        let average7 = try? #require(row("Average", 7))
        let last1 = try? #require(row("Last session", 1))
        #expect(average1?.unit == .plays, "Average predicts the next track, so its time step is a play")
        #expect(last1?.unit == .sessions)
        let plays = users.prefix(50).reduce(0) { $0 + $1.reduce(0) { $0 + $1.plays.count } - 2 }
        #expect(average1?.l2.count == plays, "steps 1 ..< plays − 1 of every user")
        // A running mean moves less than the last session alone, and further over 7 steps than over 1.
        #expect((average1?.l2.median ?? 1) < (last1?.l2.median ?? 0))
        #expect((average7?.l2.median ?? 0) > (average1?.l2.median ?? 1))
    }

    @Test func movementDistancesAreOnRawRepresentations() {
        // Steps 0…3 of one user: step 0 has no history and is left out; s = 1 pairs (1,2), (2,3); s = 2 pairs (1,3).
        let representations: [[Float]] = [[9, 9], [3, 0], [0, 4], [0, 2]]
        var l2: [Int: [Double]] = [:]
        var cosine: [Int: [Double]] = [:]
        RepresentationMovement.collect(representations, steps: [1, 2, 7], l2: &l2, cosine: &cosine)
        #expect(l2[1] == [5, 2], "‖(3,0) − (0,4)‖ = 5 and ‖(0,4) − (0,2)‖ = 2: not normalised first")
        #expect(cosine[1] == [1, 0])
        #expect(l2[2] == [Double(Float(13).squareRoot())] && cosine[2] == [1])
        #expect(l2[7] == nil, "fewer than 7 steps after step 1")
    }

    @Test func diversityPoolsTheTracksOfAContextValue() {
        // Unit 2-d tracks: 0 = (1, 0), 1 = (0, 1), 2 = (0.6, 0.8).
        let tracks = TrackVectors(dimension: 2, values: [1, 0, 0, 1, 0.6, 0.8])
        func session(_ tracks: [Int32], hour: Int8) -> Session {
            Session(user: 0, start: 0, context: SessionContext(hour: hour), plays: tracks.map { Play(track: $0, time: 0, skip: .played) })
        }
        let sessions = [
            // Morning: one play per session, so no within-session pair, but the pooled pair (0, 1) has cosine 0.
            session([0], hour: 9), session([1], hour: 10),
            // Evening pool 0, 1, 2, 0, 0: pairs with distinct tracks are 0–1 ×3 (cos 0), 0–2 ×3 (0.6), 1–2 (0.8);
            // the three pairs of track 0 with itself are left out.
            session([0, 1, 2], hour: 19), session([0, 0], hour: 20),
        ]
        let diversity = ContextDiversity(sessions: sessions, tracks: tracks, vocabulary: Vocabulary(), dimension: .daypart)
        #expect(diversity.rows.map(\.name) == ["morning", "evening"])
        let morning = diversity.rows[0], evening = diversity.rows[1]
        #expect(morning.sessions == 2 && morning.plays == 2 && morning.distinctTrackPairs == 1)
        #expect(morning.pairsSampled == 1 && morning.similarity.mean == 0)
        #expect(evening.sessions == 2 && evening.plays == 5 && evening.distinctTrackPairs == 7 && evening.pairsSampled == 7)
        #expect(abs(evening.similarity.mean - (3 * 0.6 + 0.8) / 7) < 1e-6)
        #expect(abs(evening.similarity.median - 0.6) < 1e-6)
        #expect(abs(evening.similarity.upperWhisker - 0.8) < 1e-6)
        // More pairs than wanted: a seeded sample of the same pool, only from the three similarities.
        let sampled = ContextDiversity(sessions: sessions, tracks: tracks, vocabulary: Vocabulary(), dimension: .daypart, pairsPerValue: 3)
        #expect(sampled.rows[1].pairsSampled == 3 && sampled.rows[1].distinctTrackPairs == 7)
        let again = ContextDiversity(sessions: sessions, tracks: tracks, vocabulary: Vocabulary(), dimension: .daypart, pairsPerValue: 3)
        #expect(sampled.rows == again.rows, "seeded")
    }
}

#if canImport(Glibc)
import Glibc
#endif
