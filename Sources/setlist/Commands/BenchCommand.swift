import ArgumentParser
import Foundation
import Listening
import Tensor

/// `setlist bench`: throughput figures, meant for release builds.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (run a release build: swift run -c release setlist bench ...).",
        subcommands: [
            ImportBench.self, TensorBench.self, EmbedBench.self, AnnBench.self, TrainBench.self, AnalyzeBench.self, ExploreBench.self,
            AllBench.self,
        ])
}

/// `setlist bench import`: rows/s importing a generated session log into a new workspace.
struct ImportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Rows/s for importing a generated session log end to end into a workspace.")

    @Option(help: "Approximate rows (plays) in the generated log.") var rows = 10_000_000
    @Option(help: "Folder for the temporary files, about 100 bytes per row (default: the system's temporary folder).")
    var scratch: String?

    func validate() throws {
        guard (1...1_000_000_000).contains(rows) else { throw ValidationError("--rows must be between 1 and 1,000,000,000") }
        if let scratch {
            var isFolder: ObjCBool = false
            guard !scratch.isEmpty, FileManager.default.fileExists(atPath: scratch, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--scratch must be an existing folder: '\(scratch)'")
            }
        }
    }

    func run() throws {
        try ScratchFolder.with(parent: scratch ?? NSTemporaryDirectory(), measure)
    }

    /// Generates the log in `folder`, then times parsing, sessionizing and the whole import.
    func measure(in folder: String) throws {
        let csv = folder + "/sessions.csv"
        let config = SyntheticConfig(
            users: max(1, rows / (50 * 10)), sessionsPerUser: 50, playsPerSession: 10, tracks: 50_000, clusters: 32, seed: 7)
        print("Generating a session log of about \(Format.grouped(rows)) rows ...")
        let generated = try GenerateCommand.generate(config: config, csv: csv, workspace: nil, threads: 2, replace: false)
        let bytes = (try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
        print("Log: \(Format.grouped(generated.plays)) rows, \(Format.count(Double(bytes)))B")

        // Parsing alone, then the whole import (parse, sessionize, write SQLite, rename).
        var log = ParsedLog()
        let parseStart = Date()
        let report = try LogReader(options: ImportOptions(format: .mssd)).read(file: csv, into: &log)
        let parseSeconds = Date().timeIntervalSince(parseStart)

        let sessionStart = Date()
        var sessionCount = 0
        log.forEachSession(gap: 20 * 60, skipGap: 30) { _ in sessionCount += 1 }
        let sessionSeconds = Date().timeIntervalSince(sessionStart)

        let start = Date()
        let outcome = try LogImport(options: ImportOptions(format: .mssd)).run(files: [csv], workspace: folder + "/ws")
        let seconds = Date().timeIntervalSince(start)
        let imported = outcome.written.plays
        guard report.rowsRejected == 0, imported == generated.plays else {
            throw ValidationError("benchmark import lost rows: \(report.rowsRejected) rejected, \(imported) of \(generated.plays) stored")
        }
        print(String(format: "parse only:   %.2f s  %@ rows/s", parseSeconds, Format.count(Double(report.rowsRead) / parseSeconds)))
        print(String(format: "sessionize:   %.2f s  %@ rows/s", sessionSeconds, Format.count(Double(report.rowsRead) / sessionSeconds)))
        print(
            String(
                format: "import total: %.2f s  %@ rows/s  (%@ sessions, %@ users)", seconds,
                Format.count(Double(imported) / seconds), Format.grouped(outcome.written.sessions), Format.grouped(outcome.written.users)))
    }
}

/// `setlist bench tensor`: sgemm GFLOP/s at the models' shapes and LSTM forward+backward time.
struct TensorBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tensor",
        abstract: "GFLOP/s of sgemm at the models' shapes, and LSTM(92→400) forward+backward over 256 × 50 steps.")

    func run() throws {
        for line in TensorBenchmark.run() { print(line) }
    }
}

/// `setlist bench all`: every benchmark with its default size.
struct AllBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every benchmark.")

    func run() throws {
        try ImportBench.parse([]).run()
        try TensorBench.parse([]).run()
        try EmbedBench.parse([]).run()
        try AnnBench.parse([]).run()
        try TrainBench.parse(["cosernn"]).run()
        try TrainBench.parse(["fsvae"]).run()
        for model in ["jodie", "latentcross", "vaecf"] { try TrainBench.parse([model]).run() }
        try AnalyzeBench.parse([]).run()
        try ExploreBench.parse([]).run()
    }
}
