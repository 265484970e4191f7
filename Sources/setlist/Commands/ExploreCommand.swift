import ArgumentParser
import Foundation
import Listening

/// `setlist explore`: the terminal explorer. Until it exists, it prepares the default workspace and summarises it.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the explorer on a workspace (builds the default workspace on first run).",
        discussion: """
            The interactive explorer is not built yet (issue 8). For now this command makes sure
            the workspace exists, generating the default synthetic data on first use, and prints
            its summary.
            """)

    @OptionGroup var workspaceOption: WorkspaceOption

    func run() throws {
        let path = workspaceOption.path
        if !Workspace.exists(at: path) {
            guard workspaceOption.workspace == nil || path == WorkspaceOption.defaultPath else {
                throw WorkspaceError.missing(path: path)
            }
            print("No workspace at \(path) yet: generating the default synthetic data (seed \(SyntheticConfig().seed)).")
            _ = try GenerateCommand.generate(config: SyntheticConfig(), csv: nil, workspace: path, threads: 2, replace: false)
        }
        print(InfoCommand.render(try Workspace(at: path, readOnly: true).summary(), path: path))
    }
}
