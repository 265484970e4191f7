import Foundation
import TestSupport

/// Locates `../shared/datasets`, which the real-data tests need; nil (with a printed reason) when absent.
enum SharedDatasets {
    static let folder: String? = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let candidate = url.deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }()

    /// The path of a dataset file, or nil when it is absent.
    static func file(_ name: String) -> String? {
        guard let folder else { return nil }
        let path = (folder as NSString).appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Whether `name` is present, for `.enabled(if:)`.
    static func has(_ name: String) -> Bool { file(name) != nil }
}

/// A fresh temporary folder, removed by the caller or else with the test process.
func temporaryFolder(_ name: String = "setlist-test") -> String { TestScratch.folder(name) }

/// Writes `text` to a new temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "log.csv") -> String {
    let folder = temporaryFolder()
    let path = (folder as NSString).appendingPathComponent(name)
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

/// Writes raw bytes to a new temporary file and returns its path.
func temporaryFile(bytes: [UInt8], name: String = "log.csv") -> String {
    let folder = temporaryFolder()
    let path = (folder as NSString).appendingPathComponent(name)
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}
