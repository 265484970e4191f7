import Foundation

/// One process at a time may write a workspace: an advisory `flock` on a file beside its folder.
///
/// The lock spans an import from reading the workspace's vocabulary to committing, so a concurrent
/// import waits instead of writing ids the other one also wrote. The kernel drops the lock when the
/// holder exits, even after `kill -9`, so a crash never leaves a workspace locked.
final class WorkspaceWriterLock {
    private let descriptor: Int32

    /// The lock file of the workspace at `folder`: a hidden sibling, so that it exists before the workspace does.
    static func path(for folder: String) -> String {
        let url = URL(fileURLWithPath: folder)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).lock").path
    }

    /// Takes the lock, waiting up to `timeout` seconds for another process to release it.
    init(folder: String, timeout: TimeInterval) throws {
        let lockPath = Self.path(for: folder)
        try FileManager.default.createDirectory(atPath: FilePaths.parentFolder(of: lockPath), withIntermediateDirectories: true)
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WorkspaceError.database("cannot open the lock file \(lockPath): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                let holder = Self.holder(descriptor)
                close(descriptor)
                throw WorkspaceError.busy(path: folder, pid: holder)
            }
            usleep(50_000)
        }
        // The holder's PID, for the busy message of the process that waits.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        self.descriptor = descriptor
    }

    /// The PID written by the process that holds the lock, if it wrote one.
    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    deinit { close(descriptor) }
}

extension Workspace {
    /// Seconds a writer waits for another process's writer lock before failing with `WorkspaceError.busy`.
    public static let writerLockTimeout: TimeInterval = 60

    /// Runs `body` holding the workspace's writer lock, so that no other setlist process writes `folder` meanwhile.
    public static func whileLocked<T>(_ folder: String, timeout: TimeInterval = writerLockTimeout, _ body: () throws -> T) throws -> T {
        let lock = try WorkspaceWriterLock(folder: folder, timeout: timeout)
        return try withExtendedLifetime(lock) { try body() }
    }
}
