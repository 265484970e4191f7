import Explorer

/// Runs the explorer in the terminal until the analyst quits.
enum ExplorerLoop {
    static func run(_ makeApp: (_ unicode: Bool) -> ExplorerApp) throws {
        let terminal = try NcursesTerminal()
        defer { terminal.close() }
        let app = makeApp(terminal.unicode)
        var (width, height) = terminal.size
        terminal.draw(app.render(width: width, height: height))
        while true {
            guard let event = terminal.nextEvent() else { continue }
            if case let .resize(w, h) = event { (width, height) = (w, h) }
            let running = app.handle(event)
            guard running else { break }
            terminal.draw(app.render(width: width, height: height))
        }
    }
}
