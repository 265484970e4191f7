import Evaluation
import Explorer
import Listening
import Testing
import UserModels

/// The recommendations screen's explanations: rank arrows, context fields, the gate split and posterior samples.
@Suite struct ExplorerRecommendTests {
    @Test func rankMovementsAgainstAKnownList() {
        let before: [Int32] = [1, 2, 3, 4, 5]
        let after: [Int32] = [3, 1, 9, 2, 5]
        #expect(RankMovement.of(after, against: before) == [.up(2), .down(1), .new, .down(2), .same])
        #expect(RankMovement.of(before, against: before).allSatisfy { $0 == .same })
        let labels = [RankMovement.up(3), .down(5), .new, .same]
        #expect(labels.map { $0.label(Glyphs(unicode: true)) } == ["▲3", "▼5", "new", "="])
        #expect(labels.map { $0.label(Glyphs(unicode: false)) } == ["^3", "v5", "new", "="])
    }

    @Test func theScreenShowsEachTracksMovementAgainstTheUneditedList() throws {
        let app = ExplorerApp(data: ExplorerFixture.data(models: [try ExplorerFixture.coSeRNN()]), topK: 10)
        app.show(.recommendations)
        let unedited = app.recommendations(model: 0).map(\.track)
        app.handle(.character("v"))
        let edited = app.recommendations(model: 0).map(\.track)
        #expect(edited != unedited, "the device is an input of CoSeRNN")
        let lines = app.render(width: 100, height: 30).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, movement) in RankMovement.of(edited, against: unedited).enumerated() {
            let row = lines.first { $0.hasPrefix(String(i + 1).leftPaddedForTest(4) + ".") }
            #expect(row?.contains(" \(movement.label(Glyphs(unicode: true))) ") == true, "rank \(i + 1) shows \(movement): \(row ?? "")")
        }
    }

    @Test func everyModelStatesTheContextFieldsItReads() throws {
        #expect(AverageBaseline(tracks: ExplorerFixture.tracks).contextFields.isEmpty)
        #expect(ContextAverageBaseline(tracks: ExplorerFixture.tracks).contextFields == [.daypart, .device])
        #expect(try ExplorerFixture.coSeRNN().contextFields == [.hour, .weekday, .device, .source])
        #expect(try ExplorerFixture.coSeRNN { $0.hourEncoding = .daypart }.contextFields == [.daypart, .weekday, .device, .source])
        #expect(try ExplorerFixture.coSeRNN { $0 = $0.ablated(.noContext) }.contextFields.isEmpty)
        #expect(try ExplorerFixture.coSeRNN { $0 = $0.ablated(.noCurrentSource) }.contextFields == [.hour, .weekday, .device])
        let fsvae = try ExplorerFixture.fsvae()
        #expect(fsvae.contextFields == [.daypart])
        let app = ExplorerApp(data: ExplorerFixture.data())
        app.show(.recommendations)
        #expect(app.render(width: 100, height: 30).text.contains("reads: daypart, device"))
        app.show(.compare)
        #expect(app.render(width: 100, height: 30).text.contains("reads: none"))
    }

    /// Editing a field a model does not read leaves its prediction exactly as it was; for CoSeRNN, whose input
    /// encodes every field it reads, editing one of those moves it.
    @Test func fieldsAModelDoesNotReadDoNotMoveItsPrediction() throws {
        let encoders: [UserModel] = [
            try ExplorerFixture.coSeRNN(), try ExplorerFixture.coSeRNN { $0.hourEncoding = .daypart },
            try ExplorerFixture.coSeRNN { $0 = $0.ablated(.noCurrentSource) },
        ]
        let models: [UserModel] =
            encoders + [
                ContextAverageBaseline(tracks: ExplorerFixture.tracks), AverageBaseline(tracks: ExplorerFixture.tracks),
                try ExplorerFixture.fsvae(),
            ]
        let sessions = ExplorerFixture.users[1]
        let t = sessions.count - 1
        let own = SessionContext(hour: 13, weekday: 2, device: 0, source: 1)
        let edits: [(ContextField, SessionContext)] = [
            (.hour, SessionContext(hour: 15, weekday: 2, device: 0, source: 1)),  // the same daypart
            (.daypart, SessionContext(hour: 20, weekday: 2, device: 0, source: 1)),
            (.weekday, SessionContext(hour: 13, weekday: 5, device: 0, source: 1)),
            (.device, SessionContext(hour: 13, weekday: 2, device: 3, source: 1)),
            (.source, SessionContext(hour: 13, weekday: 2, device: 0, source: 4)),
        ]
        for (index, model) in models.enumerated() {
            let base = model.predict(history: sessions[0..<t], context: own, time: sessions[t].start)
            for (field, context) in edits {
                let edited = model.predict(history: sessions[0..<t], context: context, time: sessions[t].start)
                // A daypart change also changes the hour, so a model reading the hour reads it too.
                let reads = model.contextFields.contains(field) || (field == .daypart && model.contextFields.contains(.hour))
                if !reads { #expect(edited == base, "\(model.name) ignores \(field) but its prediction moved") }
                if reads && index < encoders.count { #expect(edited != base, "\(model.name) reads \(field) but its prediction stayed") }
            }
        }
    }

    @Test func theGateSplitSharesSumToOne() throws {
        let model = try ExplorerFixture.coSeRNN()
        for sessions in ExplorerFixture.users {
            for t in sessions.indices {
                for device in Int16(-1)..<3 {
                    var context = sessions[t].context
                    context.device = device
                    let split = try #require(model.gateSplit(history: sessions[0..<t], context: context, time: sessions[t].start))
                    #expect(abs(split.longTerm + split.shortTerm - 1) < 1e-9)
                    #expect((0...1).contains(split.longTerm) && (0...1).contains(split.longTermWeight))
                }
            }
        }
        #expect(
            try ExplorerFixture.coSeRNN { $0 = $0.ablated(.noLongTerm) }
                .gateSplit(history: ExplorerFixture.users[0][0..<2], context: .unknown, time: 0) == nil, "nothing is mixed without ū")
        let sessions = ExplorerFixture.users[0]
        let noHistory = try #require(model.gateSplit(history: sessions[0..<0], context: sessions[0].context, time: sessions[0].start))
        #expect(noHistory.longTerm == 0, "before any session ū is zero")
        let app = ExplorerApp(data: ExplorerFixture.data(models: [model]))
        app.show(.recommendations)
        let text = app.render(width: 100, height: 30).text
        #expect(text.contains("gate   ū ") && text.contains("% û"))
    }

    @Test func stabilityCountsStayWithinTheSamplesAndRepeat() throws {
        let data = ExplorerFixture.data(models: [try ExplorerFixture.fsvae()])
        let session = data.users[0].count - 1
        let list = data.models[0].search.nearest(data.prediction(model: 0, user: 0, session: session, context: nil), k: 10).map(\.track)
        let stability = try #require(data.stability(model: 0, user: 0, session: session, context: nil, list: list, k: 10, count: 10))
        #expect(stability.samples == 10)
        #expect(list.allSatisfy { (0...10).contains(stability.count($0)) })
        #expect(stability.meanPairwiseCosine <= 1 + 1e-6 && stability.meanPairwiseCosine > -1)
        let again = ExplorerFixture.data(models: [try ExplorerFixture.fsvae()])
        #expect(again.stability(model: 0, user: 0, session: session, context: nil, list: list, k: 10, count: 10) == stability, "seeded")
        #expect(
            ExplorerFixture.data().stability(model: 0, user: 0, session: session, context: nil, list: list, k: 10, count: 10) == nil,
            "a baseline has no posterior")
    }

    @Test func aDeterministicVariantIsStableInEverySample() throws {
        let data = ExplorerFixture.data(models: [try ExplorerFixture.fsvae(probabilistic: false)])
        for user in data.users.indices {
            let session = data.users[user].count - 1
            let sessions = data.users[user]
            // The list of the single-query prediction, which the samples decode the same way.
            let prediction = data.models[0].model.predict(
                history: sessions[0..<session], context: sessions[session].context,
                time: sessions[session].start)
            let list = data.models[0].search.nearest(prediction, k: 10).map(\.track)
            let stability = try #require(data.stability(model: 0, user: user, session: session, context: nil, list: list, k: 10, count: 10))
            #expect(list.allSatisfy { stability.count($0) == 10 })
            #expect(abs(stability.meanPairwiseCosine - 1) < 1e-5)
        }
    }

    @Test func samplingModeShowsStabilityAndSwitchesToAModelWithAPosterior() throws {
        let app = ExplorerApp(data: try ExplorerFixture.modelData())
        app.show(.recommendations)
        #expect(app.state.model == 0)
        app.handle(.character("u"))
        #expect(app.state.sampling && app.state.model == 1, "u turns sampling on and shows FS-VAE")
        let text = app.render(width: 100, height: 30).text
        #expect(text.contains("10 samples · mean pairwise cos"))
        #expect(text.contains("/10  Track"))
        app.handle(.character("u"))
        #expect(!app.state.sampling)
        let baselines = ExplorerApp(data: ExplorerFixture.data())
        baselines.show(.recommendations)
        baselines.handle(.character("u"))
        #expect(!baselines.state.sampling)
        #expect(baselines.render(width: 100, height: 30).text.contains("no model here has a posterior"))
    }

    @Test func theMixGroupsPlantedClustersAndCountsBeforeAndAfter() {
        let data = ExplorerFixture.data()
        #expect(data.groups.grouping == .plantedCluster)
        #expect(Set(data.groups.names) == ["cluster 0", "cluster 1", "cluster 2", "cluster 3"])
        let byArtist = TrackGroups(
            vocabulary: Vocabulary(tracks: [
                TrackInfo(key: "a", artist: "Nina"), TrackInfo(key: "b", artist: "Nina"),
                TrackInfo(key: "c", artist: "Miles"), TrackInfo(key: "d"),
            ]), trackCount: 4)
        #expect(byArtist.grouping == .artist)
        let mix = byArtist.mix(of: [[0, 1, 3], [2, 0]], slots: 1)
        #expect(mix.names == ["Nina", "other"])
        #expect(mix.counts == [[2, 1], [1, 1]])
    }
}

extension String {
    /// Right-aligned in `width` columns.
    func leftPaddedForTest(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
