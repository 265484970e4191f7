import Foundation
import Listening

/// Temporary files for tests, under one folder per test process.
///
/// Tests remove what they make, but a failed expectation, a crash or a killed run would otherwise leave
/// files in the system's temporary folder on every run, and CI machines share it. The process's folder
/// goes when the process exits; folders of test processes that no longer run go when the next one starts.
public enum TestScratch {
    static let prefix = "setlist-tests-"

    /// This process's folder, made on first use.
    public static let root: String = {
        let parent = NSTemporaryDirectory()
        FilePaths.removeAbandoned(in: parent, prefix: prefix)
        let path = (parent as NSString).appendingPathComponent(prefix + String(getpid()))
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestScratch.root) }
        return path
    }()

    /// A new, empty folder whose name starts with `name`.
    public static func folder(_ name: String = "setlist-test") -> String {
        let path = (root as NSString).appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A path in this process's folder that nothing uses yet (nothing is made there).
    public static func url(_ name: String) -> URL {
        URL(fileURLWithPath: root).appendingPathComponent(name)
    }
}

/// A process id that no running process has, for files named after a process that has ended.
public func endedProcessID() -> pid_t {
    var candidate: pid_t = 4_000_000
    while kill(candidate, 0) == 0 || errno != ESRCH { candidate -= 1 }
    return candidate
}
