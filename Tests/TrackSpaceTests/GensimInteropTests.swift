import Foundation
import TestSupport
import Testing

@testable import TrackSpace

/// Runs `python3 -c script arguments…` and returns its exit status and output.
func runPython(_ script: String, arguments: [String] = []) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do {
        try process.run()
    } catch {
        return (-1, "\(error)")
    }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

/// Whether python3 can import gensim (`pip install gensim`).
let pythonGensimAvailable = runPython("import gensim").status == 0

/// `setlist embed --export` files load in gensim, the reference word2vec toolkit, keys with spaces included.
@Suite(.enabled(if: pythonGensimAvailable, "python3 cannot import gensim: pip install gensim"))
struct GensimInteropTests {
    @Test func gensimLoadsTheExportWithEscapedRealKeys() throws {
        let keys = ["Daft Punk\u{1F}One More Time", "100% Pure", "naïve café live", "t3"]
        let vectors: [Float] = [0.5, -1.25, 2, 0.125, 3, -4, 1e-3, 7]
        let embeddings = try TrackEmbeddings(dimension: 2, vectors: vectors, trained: [true, true, true, true])
        let folder = TestScratch.root + "/setlist-gensim-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/vectors.txt"
        try embeddings.exportWord2VecText(to: path, keys: keys)
        // gensim reads the escaped keys as they are; printing them with their vectors lets us compare both.
        let script = """
            import sys
            from gensim.models import KeyedVectors
            kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=False)
            print(len(kv.index_to_key), kv.vector_size)
            for key in kv.index_to_key:
                print(key, *[repr(float(x)) for x in kv[key]])
            """
        let (status, output) = runPython(script, arguments: [path])
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n")
        #expect(lines.first == "4 2", "\(output)")
        for (row, key) in keys.enumerated() {
            let line = lines.first { $0.hasPrefix(TrackEmbeddings.escapedKey(key) + " ") }
            let fields = line?.split(separator: " ") ?? []
            #expect(fields.count == 3, "\(key): \(output)")
            guard fields.count == 3 else { continue }
            #expect(TrackEmbeddings.unescapedKey(fields[0]) == key)
            #expect(Float(fields[1]) == vectors[2 * row] && Float(fields[2]) == vectors[2 * row + 1], "\(line ?? "")")
        }
    }
}
