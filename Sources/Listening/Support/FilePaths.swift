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

    /// Removes the entries of `parent` named `prefix` followed by the id of a process that no longer runs.
    ///
    /// Files a process names after itself (a staging folder, a benchmark's scratch) are abandoned once it
    /// is gone, whatever ended it; those of running processes, including other users', are left alone.
    public static func removeAbandoned(in parent: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: (parent as NSString).appendingPathComponent(name))
        }
    }
}
