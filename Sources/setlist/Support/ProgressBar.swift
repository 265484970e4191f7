@preconcurrency import CNcursesw
import Foundation

/// A progress display on standard error: a bar with rate and ETA on a terminal, plain lines otherwise.
final class ProgressBar {
    private let label: String
    /// What is counted, or nil for a line of percent, ETA and detail only (parts measured in different units).
    private let unit: String?
    private var total: Double
    private let isTerminal: Bool
    private let start = Date()
    private var lastDraw: Date
    private let interval: TimeInterval
    private var finished = false
    /// Model-specific figures shown after the rate, e.g. the loss.
    private var detail = ""

    /// A bar counting `total` items of `unit` (e.g. "rows"), or with a nil unit a share shown as percent only; `total` may be revised later.
    init(_ label: String, total: Int, unit: String?, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = Double(max(total, 1))
        self.unit = unit
        self.isTerminal = isTerminal
        interval = isTerminal ? 0.1 : 5
        // Plain output waits a first interval, so short jobs print only their final line.
        lastDraw = isTerminal ? .distantPast : Date()
    }

    /// Reports `done` items; draws at most every 0.1 s on a terminal and every 5 s otherwise.
    func update(_ done: Int, total newTotal: Int? = nil, detail: String? = nil) {
        if let newTotal { total = Double(max(newTotal, 1)) }
        if let detail { self.detail = detail }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        draw(Double(done), now: now)
    }

    /// Draws the final state and ends the line.
    func finish(_ done: Int, detail: String? = nil) {
        guard !finished else { return }
        finished = true
        if let detail { self.detail = detail }
        draw(Double(done), now: Date(), final: true)
    }

    private func draw(_ done: Double, now: Date, final: Bool = false) {
        let elapsed = max(now.timeIntervalSince(start), 1e-6)
        let fraction = min(max(done / total, 0), 1)
        let rate = done / elapsed
        let eta = rate > 0 ? (total - done) / rate : 0
        var numbers = unit.map { "\(Format.count(done)) \($0)  \(Format.count(rate)) \($0)/s  " } ?? ""
        numbers += final ? "in \(Format.duration(elapsed))" : "ETA \(Format.duration(eta))"
        if !detail.isEmpty { numbers += "  " + detail }
        var line: String
        if isTerminal {
            line = "\r\u{1B}[K" + Self.fitted(label: label, fraction: fraction, numbers: numbers, columns: Self.columns())
            if final { line += "\n" }
        } else {
            line = "\(label): \(String(format: "%.1f%%", fraction * 100))  \(numbers)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Prints a line of its own (an epoch's losses, say) above the bar, which the next update redraws.
    func note(_ text: String) {
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + text + "\n").utf8))
        if isTerminal { lastDraw = .distantPast }
    }

    /// Standard error's terminal width, read each time so a resize takes effect (80 when unknown).
    static func columns() -> Int {
        let columns = Int(setlist_terminal_columns(STDERR_FILENO))
        return columns > 0 ? columns : 80
    }

    /// The bar line within `columns` − 1 characters: the bar shrinks first, then the numbers are cut,
    /// so it never wraps (a wrapped line scrolls on every redraw).
    static func fitted(label: String, fraction: Double, numbers: String, columns: Int) -> String {
        let percent = String(format: "%5.1f%%", fraction * 100)
        let limit = max(columns - 1, 1)
        let fixed = label.count + percent.count + numbers.count + 4
        let width = min(30, max(0, limit - fixed))
        let filled = Int(fraction * Double(width))
        let bar = width >= 5 ? String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + " " : ""
        let line = "\(label) \(bar)\(percent)  \(numbers)"
        return line.count <= limit ? line : String(line.prefix(limit))
    }
}

/// Human-readable numbers for progress and summaries.
enum Format {
    /// 1234567 → "1.23M".
    static func count(_ value: Double) -> String {
        switch abs(value) {
        case 1e9...: String(format: "%.2fG", value / 1e9)
        case 1e6...: String(format: "%.2fM", value / 1e6)
        case 1e4...: String(format: "%.1fk", value / 1e3)
        default: String(Int(value.rounded()))
        }
    }

    /// Seconds as "1:02:03", "2:03" or "4.5s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds)
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// A Unix time as an ISO date and time in UTC.
    static func time(_ unix: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(unix)))
    }

    /// Integer with thousands separators: 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }
}
