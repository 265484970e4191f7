import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files through a temporary file and a rename, so readers never see half a file.
enum AtomicFile {
    /// Writes `data` beside `path`, syncs it, then renames it over `path`.
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        do {
            guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
                throw TrackSpaceError.io(path: temporary, reason: "cannot create a temporary file")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary, path) == 0 else {
                throw TrackSpaceError.io(path: path, reason: "cannot rename the temporary file: \(String(cString: strerror(errno)))")
            }
        } catch let error as TrackSpaceError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw TrackSpaceError.io(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
