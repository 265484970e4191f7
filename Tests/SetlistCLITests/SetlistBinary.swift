import Foundation
import TestSupport
import Testing

/// Runs the built `setlist` executable and captures what it prints.
struct SetlistBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The process died of a signal it did not ask for (a runtime trap is SIGILL or SIGTRAP).
        var signalled = false
        /// `wait(timeout:)` ended it.
        var timedOut = false
    }

    /// The executable next to the test bundle (swift build puts both in the same folder).
    static let path: String? = {
        var candidates: [String] = []
        if let argument = CommandLine.arguments.first {
            var url = URL(fileURLWithPath: argument).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(url.appendingPathComponent("setlist").path)
                url.deleteLastPathComponent()
            }
        }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug/setlist").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// A `setlist` process started without waiting for it.
    struct Running {
        let process: Process
        let folder: String
        let out: FileHandle
        let err: FileHandle

        /// Waits for the process, or ends it with SIGKILL after `timeout` seconds (then `timedOut` is true).
        func wait(timeout: TimeInterval = .infinity) throws -> Result {
            let deadline = Date().addingTimeInterval(timeout)
            var timedOut = false
            while process.isRunning {
                if Date() > deadline {
                    kill(process.processIdentifier, SIGKILL)
                    timedOut = true
                    break
                }
                usleep(5_000)
            }
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try out.close()
            try err.close()
            let outData = FileManager.default.contents(atPath: folder + "/out") ?? Data()
            let errData = FileManager.default.contents(atPath: folder + "/err") ?? Data()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData, as: UTF8.self), signalled: process.terminationReason == .uncaughtSignal && !timedOut,
                timedOut: timedOut)
        }
    }

    /// Starts `setlist` with `arguments`, no TTY, in `directory` (default: this process's).
    static func start(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Running {
        guard let path else { throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "setlist executable not built"]) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        // Files rather than pipes: nothing can fill up and block the child.
        let folder = temporaryFolder()
        FileManager.default.createFile(atPath: folder + "/out", contents: nil)
        FileManager.default.createFile(atPath: folder + "/err", contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/err"))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, folder: folder, out: out, err: err)
    }

    /// Runs `setlist` with `arguments`, no TTY, and waits for it.
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Result {
        try start(arguments, environment: environment, directory: directory).wait()
    }
}

/// A fresh temporary folder, removed by the caller or else with the test process.
func temporaryFolder() -> String { TestScratch.folder("setlist-cli") }

/// Generates a tiny workspace (20 users × ~8 sessions × ~4 plays, 120 tracks) at `path` and embeds
/// its tracks in `dimension`; expects both commands to succeed.
func tinyEmbeddedWorkspace(at path: String, dimension: Int = 40) throws {
    let generate = try SetlistBinary.run(["generate", "--users", "20", "--sessions", "8", "--plays", "4", "--tracks", "120", "-w", path])
    #expect(generate.status == 0, "\(generate.stderr)")
    let embed = try SetlistBinary.run(["embed", "-w", path, "--dimension", String(dimension), "--epochs", "1", "--min-count", "1"])
    #expect(embed.status == 0, "\(embed.stderr)")
}
