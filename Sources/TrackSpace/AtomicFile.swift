import Foundation
import Tensor

/// Writes whole files through a temporary file and a rename, so readers never see half a file.
enum AtomicFile {
    /// Writes `data` beside `path`, syncs it, then renames it over `path` (Tensor's atomic write).
    static func write(_ data: Data, to path: String) throws {
        do {
            try writeAtomically(data, to: URL(fileURLWithPath: path))
        } catch let SafetensorsError.io(failedPath, reason) {
            throw TrackSpaceError.io(path: failedPath, reason: reason)
        }
    }
}
