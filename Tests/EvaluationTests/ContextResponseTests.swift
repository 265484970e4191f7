import Listening
import Testing
import UserModels

@testable import Evaluation

/// `setlist analyze context-response`: hand-checked groups, and the planted context effect seen through models.
@Suite struct ContextResponseTests {
    @Test func plantedClustersAreReadFromTheGeneratorsArtistNames() {
        #expect(SyntheticGenerator.plantedCluster(artist: "Cluster 3 Artist 7") == 3)
        #expect(SyntheticGenerator.plantedCluster(artist: "Cluster X Artist 7") == nil)
        #expect(SyntheticGenerator.plantedCluster(artist: "Cluster 3") == nil)
        #expect(SyntheticGenerator.plantedCluster(artist: "The Clusters") == nil)
        #expect(SyntheticGenerator.plantedCluster(artist: nil) == nil)
    }

    @Test func risingGroupAndSharesMatchHandCounts() {
        // Tracks 0, 1 by artist A; track 2 by B. Mornings: A A B B; evenings: A A A A.
        let vocabulary = Vocabulary(tracks: [
            TrackInfo(key: "a0", artist: "A"), TrackInfo(key: "a1", artist: "A"),
            TrackInfo(key: "b", artist: "B"),
        ])
        let groups = TrackGroups(vocabulary: vocabulary, trackCount: 3)
        #expect(groups.grouping == .artist)
        func session(_ tracks: [Int32], hour: Int8) -> Session {
            Session(user: 0, start: 0, context: SessionContext(hour: hour), plays: tracks.map { Play(track: $0, time: 0, skip: .played) })
        }
        let sessions = [session([0, 1, 2, 2], hour: 9), session([0, 1, 0, 1], hour: 19)]
        // Overall B has 2/8; in the morning 2/4: B rises by 0.25, A falls.
        let morning = groups.risingGroup(in: sessions) { $0.context.daypart == .morning }
        #expect(morning.map(groups.label) == "B")
        let evening = groups.risingGroup(in: sessions) { $0.context.daypart == .evening }
        #expect(evening.map(groups.label) == "A")
        #expect(groups.share(of: groups.groupOfTrack[2], in: [2, 0, 2, 1]) == 0.5)
        #expect(TrackGroups(vocabulary: Vocabulary(tracks: [TrackInfo(key: "t")]), trackCount: 1).grouping == .none)
    }

    static let synthetic = AnalysesTests.synthetic

    @Test func aContextBlindModelDoesNotMove() throws {
        let (users, tracks, generator) = Self.synthetic
        let response = try ContextResponse(
            model: AverageBaseline(tracks: tracks), tracks: tracks, users: users,
            vocabulary: generator.vocabulary, dimensions: [.daypart, .device, .source], sampleUsers: 40, k: 50)
        #expect(response.grouping == .plantedCluster)
        #expect(response.users == 40)
        #expect(response.fields.map(\.dimension) == [.daypart, .device, .source])
        for field in response.fields {
            #expect(abs(field.meanCosine - 1) < 1e-5)
            #expect(field.meanOverlap == 1)
            #expect(abs(try #require(field.meanLift)) < 1e-12 && field.positiveLiftShare == 0 && field.negativeLiftShare == 0)
        }
    }

    @Test func theContextAverageRespondsWithThePlantedTargets() throws {
        let (users, tracks, generator) = Self.synthetic
        let response = try ContextResponse(
            model: ContextAverageBaseline(tracks: tracks), tracks: tracks, users: users,
            vocabulary: generator.vocabulary, dimensions: [.daypart, .device], sampleUsers: 60, k: 50)
        // The targets found from plays are the generator's planted ones.
        for row in response.rows where row.dimension == .daypart {
            let daypart = try #require(Daypart.allCases.first { $0.description == row.value })
            #expect(row.targetGroup == "cluster \(generator.truth.daypartTarget[Int(daypart.rawValue)])")
        }
        for row in response.rows where row.dimension == .device {
            let device = try #require(generator.vocabulary.devices.firstIndex(of: row.value))
            #expect(row.targetGroup == "cluster \(generator.truth.deviceTarget[device])")
        }
        for field in response.fields {
            #expect(try #require(field.meanLift) > 0.05, "\(field.dimension)")
            // Many pairs tie at 0 (the user never played in that value); positives must still outnumber negatives.
            #expect(try #require(field.positiveLiftShare) > 2 * (try #require(field.negativeLiftShare)), "\(field.dimension): \(field)")
            #expect(field.meanCosine < 1)
        }
    }

    @Test func aBadSampleOrKOrDimensionIsAConfigurationError() {
        let (users, tracks, generator) = Self.synthetic
        func response(sampleUsers: Int = 10, k: Int = 10, model: UserModel) throws {
            _ = try ContextResponse(
                model: model, tracks: tracks, users: users, vocabulary: generator.vocabulary, sampleUsers: sampleUsers, k: k)
        }
        let average = AverageBaseline(tracks: tracks)
        #expect(throws: ConfigurationError.self) { try response(sampleUsers: 0, model: average) }
        #expect(throws: ConfigurationError.self) { try response(k: -1, model: average) }
        let otherSpace = TrackVectors(dimension: tracks.dimension + 1, values: [Float](repeating: 1, count: tracks.dimension + 1))
        #expect(throws: ConfigurationError.self) { try response(model: AverageBaseline(tracks: otherSpace)) }
    }

}
