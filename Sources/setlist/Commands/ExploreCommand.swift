import ArgumentParser
import Explorer
import Foundation
import Listening
import Tensor
import TrackSpace
import UserModels

/// `setlist explore`: the terminal explorer.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the terminal explorer on a workspace (building the default workspace on first run).",
        discussion: """
            Screens: 1 users, 2 trajectory, 3 recommendations (with a live context editor), 4 compare (CoSeRNN vs FS-VAE), 5 same-context heatmap, 6 context diversity, 7 skips. Press ? for the keys of each screen and q to quit. The terminal must be at least 80×24; NO_COLOR turns colours off and a non-UTF-8 locale switches to ASCII.

            On first use without --workspace, the default workspace (.setlist/default) is built: generate → embed (40-d and 80-d) → train CoSeRNN and FS-VAE; later runs open at once. Without a terminal, --dump SCREEN prints one screen as text.
            """)

    @OptionGroup var workspaceOption: WorkspaceOption
    @Option(
        help: ArgumentHelp(
            "Print a screen as text and exit: \(ExplorerScreen.allCases.map(\.dumpName).joined(separator: ", ")).", valueName: "screen"))
    var dump: String?
    @Option(help: "Width of --dump output.") var width = 100
    @Option(help: "Height of --dump output.") var height = 30
    @Flag(help: "Plain ASCII glyphs.") var ascii = false
    @Option(help: "Most training epochs of each model when building the default workspace (early stopping usually ends sooner).")
    var setupEpochs = 12
    @Option(help: "Users when building the default workspace.") var setupUsers = SyntheticConfig().users

    func validate() throws {
        if let dump, ExplorerScreen.allCases.first(where: { $0.dumpName == dump.lowercased() }) == nil {
            throw ValidationError("unknown screen '\(dump)'; screens: \(ExplorerScreen.allCases.map(\.dumpName).joined(separator: ", "))")
        }
        guard width > 0, height > 0 else { throw ValidationError("--width and --height must be positive") }
        guard setupUsers > 0, setupEpochs > 0 else { throw ValidationError("--setup-users and --setup-epochs must be positive") }
    }

    func run() throws {
        let path = workspaceOption.path
        if dump == nil {
            // Fail before any long work when there is no terminal to draw on.
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        }
        try prepare(path)
        let context = try WorkspaceContext(path: path)
        let (models, notes) = try context.explorerModels()
        for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let data = ExplorerData(
            title: (path as NSString).lastPathComponent, vocabulary: context.vocabulary,
            users: context.users, models: models)
        data.trackSpaceHealth = context.trackSpaceHealth(dimension: models[0].tracks.dimension)
        if let dump, let screen = ExplorerScreen.allCases.first(where: { $0.dumpName == dump.lowercased() }) {
            // Text has no colours, so shaded screens draw block shades instead.
            let app = ExplorerApp(data: data, unicode: !ascii && NcursesTerminal.localeIsUTF8(), colors: false)
            app.show(screen)
            print(app.render(width: width, height: height).text)
            return
        }
        try ExplorerLoop.run { unicode, colors in ExplorerApp(data: data, unicode: unicode && !ascii, colors: colors) }
    }

    /// Builds whatever the default workspace lacks; a missing non-default workspace is an error.
    private func prepare(_ path: String) throws {
        guard workspaceOption.workspace == nil else {
            if !Workspace.exists(at: path) { throw WorkspaceError.missing(path: path) }
            return
        }
        let lines = try DefaultWorkspace.build(at: path, settings: .init(users: setupUsers, epochs: setupEpochs)) { step in
            if case .generating = step {
                FileHandle.standardError.write(
                    Data(
                        "First run: building the default workspace in \(path) (generate, then embed → train CoSeRNN and embed → train FS-VAE side by side).\n"
                            .utf8))
            }
        }
        for line in lines { print(line) }
    }
}
