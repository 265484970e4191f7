import Listening

extension ExplorerApp {
    /// Re-sorts the users, keeping the selected user selected.
    func resort() {
        let selected = state.order.isEmpty ? nil : user
        let stats = data.stats
        let indices = Array(stats.indices)
        switch state.sort {
        case .sessions: state.order = indices.sorted { (stats[$0].sessions, stats[$1].key) > (stats[$1].sessions, stats[$0].key) }
        case .skipRate:
            state.order = indices.sorted { (stats[$0].skipRate ?? -1, stats[$1].key) > (stats[$1].skipRate ?? -1, stats[$0].key) }
        case .diversity: state.order = indices.sorted { (stats[$0].diversity, stats[$1].key) > (stats[$1].diversity, stats[$0].key) }
        case .key: state.order = indices.sorted { stats[$0].key < stats[$1].key }
        }
        if let selected, let row = state.order.firstIndex(of: selected) { state.row = row } else { state.row = 0 }
    }

    func selectRow(_ row: Int) {
        guard !state.order.isEmpty else { return }
        let clamped = max(0, min(state.order.count - 1, row))
        if clamped != state.row {
            state.row = clamped
            state.session = max(0, data.users[user].count - 1)
            resetContext()
        }
    }

    func handleUsers(_ event: KeyEvent) {
        switch event {
        case .up, .character("k"): selectRow(state.row - 1)
        case .down, .character("j"): selectRow(state.row + 1)
        case .pageUp: selectRow(state.row - 10)
        case .pageDown: selectRow(state.row + 10)
        case .home, .character("g"): selectRow(0)
        case .end, .character("G"): selectRow(state.order.count - 1)
        case .enter: state.screen = .trajectory
        case .character("s"):
            let all = UserSort.allCases
            state.sort = all[((all.firstIndex(of: state.sort) ?? 0) + 1) % all.count]
            resort()
        case .character("/"): state.searchInput = ""
        case .character("n"): findNext(forward: true)
        case .character("N"): findNext(forward: false)
        default: break
        }
    }

    func handleSearch(_ event: KeyEvent) {
        switch event {
        case .escape: state.searchInput = nil
        case .enter:
            state.query = state.searchInput ?? ""
            state.searchInput = nil
            findNext(forward: true, includeCurrent: true)
        case .backspace: if state.searchInput?.isEmpty == false { state.searchInput?.removeLast() }
        case .character(let c): state.searchInput?.append(c)
        default: break
        }
    }

    /// Moves to the next (or previous) user whose key contains the query.
    func findNext(forward: Bool, includeCurrent: Bool = false) {
        guard !state.query.isEmpty, !state.order.isEmpty else { return }
        let n = state.order.count
        for step in (includeCurrent ? 0 : 1)...n {
            let row = ((state.row + (forward ? step : -step)) % n + n) % n
            if data.stats[state.order[row]].key.localizedCaseInsensitiveContains(state.query) {
                selectRow(row)
                state.notice = "found \(data.stats[state.order[row]].key)"
                return
            }
        }
        state.notice = "no user matches \"\(state.query)\""
    }

    func handleSessions(_ event: KeyEvent) {
        let count = data.users[user].count
        switch event {
        case .left, .character("h"): moveSession(to: state.session - 1, count: count)
        case .right, .character("l"): moveSession(to: state.session + 1, count: count)
        case .character("g"), .home: moveSession(to: 0, count: count)
        case .character("G"), .end: moveSession(to: count - 1, count: count)
        case .up, .character("k"): selectRow(state.row - 1)
        case .down, .character("j"): selectRow(state.row + 1)
        case .character("m"): state.model = (state.model + 1) % data.models.count
        case .character("u") where state.screen == .recommendations: toggleSampling()
        default:
            if state.screen == .trajectory { handleTrajectory(event) } else { editContext(event) }
        }
    }

    private func moveSession(to index: Int, count: Int) {
        let clamped = max(0, min(count - 1, index))
        guard clamped != state.session else { return }
        state.session = clamped
        resetContext()
    }

    func resetContext() {
        state.context = nil
        state.before = [:]
    }

    /// The context editor: one key per field cycles its value; `r` restores the session's own.
    func editContext(_ event: KeyEvent) {
        guard case .character(let key) = event else { return }
        var edited = context
        switch key {
        case "d", "D":
            let count = Daypart.allCases.count
            let current = edited.daypart.map { Int($0.rawValue) } ?? -1
            let next = key == "d" ? (current + 1) % count : (current + count - 1) % count
            edited.hour = Daypart(rawValue: Int8(max(0, next)))?.representativeHour ?? edited.hour
        case "w": edited.weekday = Int8((Int(edited.weekday) + 1) % 7)
        case "v": edited.device = Self.cycle(edited.device, count: data.vocabulary.devices.count)
        case "o": edited.source = Self.cycle(edited.source, count: data.vocabulary.sources.count)
        case "r":
            resetContext()
            state.notice = "context reset to the session's own"
            return
        default: return
        }
        // Remember what the lists were before the first change, to mark entries and exits.
        if state.before.isEmpty {
            for model in data.models.indices { state.before[model] = recommendations(model: model).map(\.track) }
        }
        state.context = edited
    }

    /// Turns posterior sampling on or off; turning it on shows the first model with a posterior if the current one has none.
    func toggleSampling() {
        if state.sampling {
            state.sampling = false
            return
        }
        guard let model = data.models[state.model].sampler != nil ? state.model : data.models.firstIndex(where: { $0.sampler != nil })
        else {
            state.notice = "no model here has a posterior to sample: train FS-VAE"
            return
        }
        state.model = model
        state.sampling = true
    }

    /// Next vocabulary index, going through unknown (-1) after the last.
    static func cycle(_ value: Int16, count: Int) -> Int16 {
        guard count > 0 else { return -1 }
        return value + 1 >= Int16(count) ? -1 : value + 1
    }

    /// The top-k tracks of a model for the selected session in the current context.
    public func recommendations(model: Int) -> [ScoredTrack] {
        let vector = data.prediction(model: model, user: user, session: state.session, context: state.context)
        return data.models[model].search.nearest(vector, k: topK)
    }
}
