import Dispatch
import Foundation
import Listening

/// A temporary folder for one benchmark run, removed however the run ends.
///
/// The import benchmark writes a log of about a gigabyte. The folder goes when the run returns or
/// throws, on Ctrl-C or SIGTERM, and, after a SIGKILL no process can catch, at the start of the next
/// run, which removes the folders of benchmark processes that no longer exist.
final class ScratchFolder {
    static let prefix = "setlist-bench-"
    static let interrupts = [SIGINT, SIGTERM]

    let path: String
    private var signalSources: [any DispatchSourceSignal] = []

    /// Creates `<parent>/setlist-bench-<pid>` after removing those left by ended processes.
    init(parent: String) throws {
        FilePaths.removeAbandoned(in: parent, prefix: Self.prefix)
        path = (parent as NSString).appendingPathComponent(Self.prefix + String(getpid()))
        removeOnInterrupt()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// Removes the folder and gives Ctrl-C and SIGTERM back their default action (it may be called more than once).
    func remove() {
        for source in signalSources { source.cancel() }
        if !signalSources.isEmpty { for number in Self.interrupts { signal(number, SIG_DFL) } }
        signalSources = []
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Ctrl-C and SIGTERM remove the folder on a queue of their own, then end the process as the signal would.
    private func removeOnInterrupt() {
        let folder = path
        for number in Self.interrupts {
            // Dispatch sees the signal only when its default action (ending the process) is off.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(atPath: folder)
                _exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }
}
