import Dispatch
import Foundation
import Listening

/// A temporary folder for one benchmark run, removed however the run ends.
///
/// The import benchmark writes a log of about a gigabyte. The folder goes when the run returns or
/// throws, on Ctrl-C or SIGTERM, and, after a SIGKILL no process can catch, at the start of the next
/// run, which removes the folders of benchmark processes that no longer exist.
enum ScratchFolder {
    static let prefix = "setlist-bench-"
    static let interrupts = [SIGINT, SIGTERM]

    /// Runs `body` with a new folder `<parent>/setlist-bench-<pid>`, after removing those of ended processes.
    static func with<Result>(parent: String, _ body: (String) throws -> Result) throws -> Result {
        FilePaths.removeAbandoned(in: parent, prefix: prefix)
        let path = (parent as NSString).appendingPathComponent(prefix + String(getpid()))
        let sources = removeOnInterrupt(path)
        defer {
            for source in sources { source.cancel() }
            for number in interrupts { signal(number, SIG_DFL) }
            try? FileManager.default.removeItem(atPath: path)
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return try body(path)
    }

    /// Ctrl-C and SIGTERM remove `path` on a queue of their own, then end the process as the signal would.
    private static func removeOnInterrupt(_ path: String) -> [any DispatchSourceSignal] {
        interrupts.map { number in
            // Dispatch sees the signal only when its default action (ending the process) is off.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(atPath: path)
                _exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
