import Foundation

/// One progress bar per imported file, updated from whichever thread reads the file.
///
/// `@unchecked Sendable` is true here: every access to the bars goes through the lock.
final class FileProgressBars: @unchecked Sendable {
    private let lock = NSLock()
    private var bars: [String: ProgressBar] = [:]

    /// Draws `read` of `total` bytes of `file`, finishing its bar at the end.
    func report(file: String, read: Int, total: Int) {
        lock.withLock {
            let bar = bars[file] ?? ProgressBar("read \(URL(fileURLWithPath: file).lastPathComponent)", total: total, unit: "bytes")
            bars[file] = bar
            if read >= total { bar.finish(read) } else { bar.update(read) }
        }
    }
}
