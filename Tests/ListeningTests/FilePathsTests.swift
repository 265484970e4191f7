import Foundation
import Listening
import Testing

@Suite struct FilePathsTests {
    @Test func parentFolderIsAbsoluteAndSafeForOneComponentPaths() {
        let here = FileManager.default.currentDirectoryPath
        // "ws" trapped in NSString's deletingLastPathComponent on Linux.
        #expect(FilePaths.parentFolder(of: "ws") == here)
        #expect(FilePaths.parentFolder(of: "runs/ws") == here + "/runs")
        #expect(FilePaths.parentFolder(of: "/tmp/a/b.md") == "/tmp/a")
        #expect(FilePaths.parentFolder(of: "/tmp/a/") == "/tmp")
    }
}
