import Foundation

/// Path helpers shared by the workspace writer and the command line.
public enum FilePaths {
    /// The absolute folder holding `path` (relative paths resolve against the current directory).
    ///
    /// Goes through `URL` because NSString's `deletingLastPathComponent` traps on a one-component
    /// path such as "ws" on Linux.
    public static func parentFolder(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }
}
