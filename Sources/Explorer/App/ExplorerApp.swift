import Evaluation
import Listening

/// The explorer without a terminal: it turns key events into state and draws the state into a cell grid.
public final class ExplorerApp {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public let data: ExplorerData
    public internal(set) var state = ExplorerState()
    public let glyphs: Glyphs
    /// Whether the terminal shows colours (false under NO_COLOR and for text dumps).
    public let colors: Bool
    public let topK: Int

    public init(data: ExplorerData, unicode: Bool = true, colors: Bool = true, topK: Int = 20) {
        self.data = data
        glyphs = Glyphs(unicode: unicode)
        self.colors = colors
        self.topK = topK
        resort()
        state.session = max(0, (data.users.isEmpty ? 1 : data.users[user].count) - 1)
    }

    /// The selected user's index into `data.users`.
    public var user: Int { state.order.isEmpty ? 0 : state.order[min(state.row, state.order.count - 1)] }

    /// The context in force for the selected session.
    public var context: SessionContext {
        state.context ?? data.users[user][min(state.session, data.users[user].count - 1)].context
    }

    /// Opens a screen directly (for `--dump` and tests).
    public func show(_ screen: ExplorerScreen) { state.screen = screen }

    /// Handles one event; returns false once the app wants to quit.
    @discardableResult
    public func handle(_ event: KeyEvent) -> Bool {
        state.notice = nil
        if case .interrupt = event {
            state.quit = true
            return false
        }
        if case .resize = event { return true }
        if state.searchInput != nil {
            handleSearch(event)
            return !state.quit
        }
        if state.showHelp {
            if case .character("q") = event { state.quit = true } else { state.showHelp = false }
            return !state.quit
        }
        switch event {
        case .character("q"): state.quit = true
        case .character("?"): state.showHelp = true
        case .character(let c) where ("1"..."7").contains(c):
            if let value = c.wholeNumberValue, let screen = ExplorerScreen(rawValue: value) { state.screen = screen }
        default: handleScreen(event)
        }
        return !state.quit
    }

    private func handleScreen(_ event: KeyEvent) {
        switch state.screen {
        case .users: handleUsers(event)
        case .trajectory, .recommendations, .compare: handleSessions(event)
        case .heatmap, .diversity:
            if case .tab = event { cycleDimension(forward: true) }
            if case .backTab = event { cycleDimension(forward: false) }
        case .skips: break
        }
    }

    private func cycleDimension(forward: Bool) {
        let all: [ContextDimension] = state.screen == .heatmap ? [.daypart, .device] : ContextDimension.allCases
        let index = all.firstIndex(of: state.dimension) ?? 0
        state.dimension = all[(index + (forward ? 1 : all.count - 1)) % all.count]
    }

    /// Draws the current screen into a new grid of the given size.
    public func render(width: Int, height: Int) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            let lines = [
                "Terminal too small: \(width)×\(height).",
                "Setlist needs at least \(Self.minimumWidth)×\(Self.minimumHeight); enlarge the window or press q.",
            ]
            for (i, line) in lines.enumerated() {
                let y = max(0, height / 2 - 1 + i)
                grid.put(line, x: max(0, (width - line.count) / 2), y: y, style: i == 0 ? .heading : .plain)
            }
            if !glyphs.unicode { grid.foldToASCII() }
            return grid
        }
        drawTabs(&grid)
        let area = Area(x: 0, y: 1, width: width, height: height - 2)
        switch state.screen {
        case .users: drawUsers(&grid, area)
        case .trajectory: drawTrajectory(&grid, area)
        case .recommendations: drawRecommendations(&grid, area)
        case .compare: drawCompare(&grid, area)
        case .heatmap: drawHeatmap(&grid, area)
        case .diversity: drawDiversity(&grid, area)
        case .skips: drawSkips(&grid, area)
        }
        if state.showHelp { drawHelp(&grid, area) }
        drawStatus(&grid)
        if !glyphs.unicode { grid.foldToASCII() }
        return grid
    }

    private func drawTabs(_ grid: inout CellGrid) {
        let wide = grid.width >= 110
        var x = grid.put(" Setlist ", x: 0, y: 0, style: CellStyle(bold: true, reverse: true))
        if wide { x += grid.put(" \(data.title) ", x: x, y: 0, style: .muted) }
        for screen in ExplorerScreen.allCases {
            let label = " \(screen.rawValue) \(wide ? screen.title : screen.shortTitle) "
            guard x + label.count <= grid.width else { break }
            x += grid.put(label, x: x, y: 0, style: screen == state.screen ? CellStyle(bold: true, reverse: true, color: .accent) : .plain)
        }
    }

    private func drawStatus(_ grid: inout CellGrid) {
        let y = grid.height - 1
        grid.fill(x: 0, y: y, width: grid.width, height: 1, with: Cell(" ", style: CellStyle(reverse: true)))
        let text: String
        if let input = state.searchInput {
            text = " /\(input)▏  Enter search · Esc cancel"
        } else if let notice = state.notice {
            text = " \(notice)"
        } else {
            text = " " + hints(for: state.screen) + " · ? help · q quit"
        }
        // The track space's health at the right end, when the hints leave room for it.
        if let (cosine, degenerate) = data.trackSpaceHealth {
            let health = " space cos \(Self.fixed(cosine, 2))\(degenerate ? " degenerate" : "") "
            if text.count + health.count + 1 <= grid.width {
                grid.put(
                    health, x: grid.width - health.count, y: y,
                    style: degenerate ? CellStyle(bold: true, reverse: true, color: .bad) : CellStyle(reverse: true))
            }
        }
        grid.put(text, x: 0, y: y, style: CellStyle(reverse: true), maxWidth: grid.width)
    }

    func hints(for screen: ExplorerScreen) -> String {
        switch screen {
        case .users: "↑↓ select · Enter open · s sort: \(state.sort.rawValue) · / search"
        case .trajectory: "←→ session · ↑↓ user · [ ] window \(glyphs.plusMinus)\(state.pathWindow) · f full path"
        case .recommendations: "←→ session · d w v o context · r reset · m model · u samples"
        case .compare: "←→ session · d/w/v/o change context · r reset"
        case .heatmap: "Tab daypart/device"
        case .diversity: "Tab daypart/device/source"
        case .skips: "skip rate vs similarity to the user's past"
        }
    }
}

/// A rectangle of the screen.
struct Area {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
}
