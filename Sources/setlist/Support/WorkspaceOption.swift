import ArgumentParser
import Foundation

/// The `--workspace` option shared by every command that reads or writes a workspace.
struct WorkspaceOption: ParsableArguments {
    /// The default: $SETLIST_WORKSPACE, or .setlist/default under the current folder.
    static var defaultPath: String {
        ProcessInfo.processInfo.environment["SETLIST_WORKSPACE"] ?? ".setlist/default"
    }

    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Workspace folder (default: $SETLIST_WORKSPACE or .setlist/default).", valueName: "dir"))
    var workspace: String?

    /// The workspace folder to use.
    var path: String { workspace ?? Self.defaultPath }
}
