import Explorer
import Listening
import Testing

/// Key handling: what the analyst does and what changes.
@Suite struct ExplorerBehaviourTests {
    @Test func theStatusLineShowsTheTrackSpaceHealth() {
        let data = ExplorerFixture.data()
        #expect(!ExplorerApp(data: data).render(width: 120, height: 30).text.contains("space cos"), "unknown health: nothing shown")
        data.trackSpaceHealth = (0.37, false)
        let healthy = ExplorerApp(data: data).render(width: 120, height: 30).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(healthy.hasSuffix("space cos 0.37"), "\(healthy)")
        data.trackSpaceHealth = (0.98, true)
        let bad = ExplorerApp(data: data).render(width: 120, height: 30).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(bad.hasSuffix("space cos 0.98 degenerate"), "\(bad)")
    }

    @Test func changingTheContextChangesTheListAndMarksEntries() {
        let app = ExplorerApp(data: ExplorerFixture.data(), topK: 10)
        app.show(.recommendations)
        let before = app.recommendations(model: 0).map(\.track)
        var changed = false
        // Cycle the device, then the daypart, until the context-average model's list changes.
        for key in ["v", "v", "d", "d", "d", "v"] {
            app.handle(.character(Character(key)))
            if app.recommendations(model: 0).map(\.track) != before {
                changed = true
                break
            }
        }
        #expect(changed, "a context-aware model's list must respond to the context")
        #expect(app.state.context != nil)
        let text = app.render(width: 100, height: 30).text
        #expect(text.contains("entered"), "the screen reports entries and exits")
        #expect(text.contains("editing"))
        // The context-free model ignores the context.
        let average = app.recommendations(model: 1).map(\.track)
        app.handle(.character("r"))
        #expect(app.state.context == nil)
        #expect(app.recommendations(model: 1).map(\.track) == average)
        #expect(app.recommendations(model: 0).map(\.track) == before, "reset restores the original list")
    }

    @Test func sortingSearchingAndNavigating() {
        let data = ExplorerFixture.data()
        let app = ExplorerApp(data: data)
        let bySessions = app.state.order.map { data.stats[$0].sessions }
        #expect(bySessions == bySessions.sorted(by: >))
        app.handle(.character("s"))
        let bySkips = app.state.order.map { data.stats[$0].skipRate ?? -1 }
        #expect(bySkips == bySkips.sorted(by: >))
        // Search for the user with key u000005.
        app.handle(.character("/"))
        for c in "000005" { app.handle(.character(c)) }
        app.handle(.enter)
        #expect(data.stats[app.user].key == "u000005")
        app.handle(.enter)
        #expect(app.state.screen == .trajectory)
        let last = app.state.session
        app.handle(.left)
        #expect(app.state.session == last - 1)
        app.handle(.character("g"))
        #expect(app.state.session == 0)
        app.handle(.left)
        #expect(app.state.session == 0, "stays at the first session")
        app.handle(.character("3"))
        #expect(app.state.screen == .recommendations)
        #expect(app.handle(.character("q")) == false)
    }

    @Test func escapeCancelsSearchAndUnknownQueriesSaySo() {
        let app = ExplorerApp(data: ExplorerFixture.data())
        let user = app.user
        app.handle(.character("/"))
        app.handle(.character("x"))
        app.handle(.escape)
        #expect(app.state.searchInput == nil && app.user == user)
        app.handle(.character("/"))
        for c in "nobody" { app.handle(.character(c)) }
        app.handle(.enter)
        #expect(app.render(width: 100, height: 30).text.contains("no user matches \"nobody\""))
    }

    @Test func heatmapAndDiversityCycleDimensions() {
        let app = ExplorerApp(data: ExplorerFixture.data())
        app.show(.heatmap)
        #expect(app.render(width: 100, height: 30).text.contains("by daypart"))
        app.handle(.tab)
        #expect(app.render(width: 100, height: 30).text.contains("by device"))
        app.show(.diversity)
        app.handle(.tab)
        #expect(app.render(width: 100, height: 30).text.contains("by source"))
    }
}
