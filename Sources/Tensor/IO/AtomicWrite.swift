import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `data` to a temporary file beside `url`, syncs it, then renames it over `url`.
///
/// Rename within one directory is atomic, so readers see the old file or the
/// new one, never half of either, even if the process dies mid-write. Failures are
/// `SafetensorsError.io` with the path and the reason.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do {
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw SafetensorsError.io(path: temporary.path, reason: "cannot create temporary file")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            throw SafetensorsError.io(path: url.path, reason: "cannot rename temporary file: \(String(cString: strerror(errno)))")
        }
    } catch let error as SafetensorsError {
        try? FileManager.default.removeItem(at: temporary)
        throw error
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw SafetensorsError.io(path: url.path, reason: "cannot write: \(error.localizedDescription)")
    }
}
