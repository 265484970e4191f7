@preconcurrency import CNcursesw
import Explorer
import Foundation

/// Errors starting the terminal UI.
enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case cannotStart(String)

    var description: String {
        switch self {
        case .notATerminal:
            "setlist explore needs an interactive terminal (stdin and stdout are not a TTY). Use `setlist explore --dump SCREEN` to print a screen as text."
        case .cannotStart(let reason):
            "cannot start the terminal UI: \(reason)"
        }
    }
}

/// The only code that talks to ncurses: it renders cell grids and turns keys into `KeyEvent`s.
final class NcursesTerminal {
    private var screen: OpaquePointer?
    let unicode: Bool
    let colors: Bool
    /// Whether the colour pairs of `CellStyle`'s ramp exist (after the palette's).
    private var rampPairs = false
    private static let rampPairBase = Int32(Palette.allCases.count)

    /// Whether the current locale encodes UTF-8 (after `setlocale`).
    static func localeIsUTF8() -> Bool {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Takes over the terminal; `close()` (or deinit) gives it back.
    init() throws {
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        unicode = Self.localeIsUTF8()
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        // Escape must answer at once, not after ncurses' default second.
        setenv("ESCDELAY", "25", 0)
        // ncurses prefers LINES/COLUMNS from the environment over the terminal's real size, also on
        // resize; tools such as `swift test` export them, so drop them and let ioctl decide.
        unsetenv("LINES")
        unsetenv("COLUMNS")
        setlist_unblock_terminal_signals()
        guard let screen = newterm(nil, stdout, stdin) else {
            throw TerminalError.cannotStart("newterm failed (is TERM set to a known terminal?)")
        }
        self.screen = screen
        set_term(screen)
        raw()
        noecho()
        nonl()
        keypad(stdscr, true)
        curs_set(0)
        // Reads time out every 200 ms so the loop can notice size changes on its own.
        wtimeout(stdscr, 200)
        var useColors = false
        if !noColor, has_colors() {
            start_color()
            use_default_colors()
            let pairs: [(Palette, Int32)] = [
                (.accent, Int32(COLOR_CYAN)), (.good, Int32(COLOR_GREEN)), (.bad, Int32(COLOR_RED)),
                (.warning, Int32(COLOR_YELLOW)), (.first, Int32(COLOR_CYAN)), (.second, Int32(COLOR_MAGENTA)),
            ]
            for (palette, color) in pairs { init_pair(Int16(palette.rawValue), Int16(color), -1) }
            useColors = true
            rampPairs = Self.initRampPairs()
        }
        colors = useColors
        Self.installSignalHandlers()
    }

    deinit { close() }

    /// Pairs for the ramp levels: background from dark to light, with a foreground that stays readable.
    private static func initRampPairs() -> Bool {
        guard setlist_color_pairs() > rampPairBase + Int32(CellStyle.rampLevels) else { return false }
        // 256 colours: a viridis-like ramp (purple, blue, teal, green, lime, yellow); 8 colours: by luminance.
        let backgrounds: [Int32] =
            setlist_colors() >= 256
            ? [54, 61, 31, 36, 113, 220]
            : [COLOR_BLUE, COLOR_RED, COLOR_MAGENTA, COLOR_GREEN, COLOR_CYAN, COLOR_YELLOW].map { Int32($0) }
        for level in 0..<CellStyle.rampLevels {
            let index = min(backgrounds.count - 1, level * backgrounds.count / CellStyle.rampLevels)
            let foreground = Int32(index < backgrounds.count / 2 ? COLOR_WHITE : COLOR_BLACK)
            init_pair(Int16(rampPairBase + Int32(level)), Int16(foreground), Int16(backgrounds[index]))
        }
        return true
    }

    /// Restores the terminal to its normal mode.
    func close() {
        guard let screen else { return }
        endwin()
        delscreen(screen)
        self.screen = nil
    }

    /// The terminal's size in cells, asking the kernel so a missed resize signal cannot leave it stale.
    var size: (width: Int, height: Int) {
        var rows: Int32 = 0, columns: Int32 = 0
        if setlist_terminal_size(&rows, &columns) == 0, rows > 0, columns > 0,
            rows != getmaxy(stdscr) || columns != getmaxx(stdscr)
        {
            resizeterm(rows, columns)
        }
        return (Int(getmaxx(stdscr)), Int(getmaxy(stdscr)))
    }

    /// Draws a grid, sending only what changed (ncurses diffs against the last frame).
    func draw(_ grid: CellGrid) {
        erase()
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                // Runs of one style go out as one wide string.
                let style = grid[x, y].style
                var run = ""
                var end = x
                while end < grid.width, grid[end, y].style == style {
                    run.append(grid[end, y].character)
                    end += 1
                }
                attrset(attributes(style))
                // The last cell of the screen cannot be written without scrolling: stop one short.
                if y == grid.height - 1, end == grid.width { run.removeLast() }
                _ = run.withCString(encodedAs: UTF32.self) { pointer in
                    pointer.withMemoryRebound(to: wchar_t.self, capacity: run.unicodeScalars.count + 1) {
                        mvaddwstr(Int32(y), Int32(x), $0)
                    }
                }
                x = end
            }
        }
        attrset(0)
        refresh()
    }

    private func attributes(_ style: CellStyle) -> Int32 {
        var value: Int32 = 0
        if style.bold { value |= setlist_a_bold() }
        if style.reverse { value |= setlist_a_reverse() }
        if style.dim { value |= setlist_a_dim() }
        if style.underline { value |= setlist_a_underline() }
        if rampPairs, let level = style.ramp {
            value |= setlist_color_pair(Self.rampPairBase + Int32(level))
        } else if colors, style.color != .normal {
            value |= setlist_color_pair(Int32(style.color.rawValue))
        }
        return value
    }

    /// Waits up to 200 ms for the next key and maps it; nil on a timeout or a key the explorer does not use.
    ///
    /// A terminal that hung up reads as `.interrupt`: a process outside the terminal's session gets
    /// no SIGHUP, and its reads fail at once, so without this the loop would spin on a dead terminal.
    func nextEvent() -> KeyEvent? {
        // Checked before reading: on a hung-up terminal ncurses may return neither ERR nor a key.
        if Self.inputHungUp() { return .interrupt }
        var character: wint_t = 0
        let result = get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_BTAB: return .backTab
            case setlist_key_resize():
                let (w, h) = size
                return .resize(width: w, height: h)
            default: return nil
            }
        }
        switch character {
        case 3: return .interrupt  // Ctrl-C in raw mode
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)), scalar.value >= 32 else { return nil }
            return .character(Character(scalar))
        }
    }

    /// Whether standard input reports a hang-up or an error rather than a plain timeout.
    private static func inputHungUp() -> Bool {
        var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&input, 1, 0) >= 0 else { return false }
        return input.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// SIGTERM and SIGINT restore the terminal before the process ends; SIGHUP ends it at once.
    ///
    /// After a hang-up there is no terminal to restore, and endwin's writes to it could block.
    private static func installSignalHandlers() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber) { number in
                endwin()
                _exit(128 + number)
            }
        }
        signal(SIGHUP) { number in _exit(128 + number) }
    }
}
