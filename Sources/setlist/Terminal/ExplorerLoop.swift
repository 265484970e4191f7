import Explorer

/// Runs the explorer in the terminal until the analyst quits.
enum ExplorerLoop {
    static func run(_ makeApp: (_ unicode: Bool, _ colors: Bool) -> ExplorerApp) throws {
        let terminal = try NcursesTerminal()
        defer { terminal.close() }
        let app = makeApp(terminal.unicode, terminal.colors)
        var (width, height) = terminal.size
        terminal.draw(app.render(width: width, height: height))
        while true {
            let event = terminal.nextEvent()
            // Poll the size too: a resize signal that lands mid-read can come back as a plain timeout.
            let size = terminal.size
            let resized = size != (width, height)
            (width, height) = size
            if let event {
                guard app.handle(event) else { break }
            } else if !resized {
                continue
            }
            terminal.draw(app.render(width: width, height: height))
        }
    }
}
