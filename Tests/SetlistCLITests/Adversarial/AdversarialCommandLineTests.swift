import Foundation
import TestSupport
import Testing

/// Issue 17's adversarial runs of the release binary, one test per failure it found: each must now be
/// one clear line (or a row reported as file:line:reason), exit 1 or 64 rather than a signal, and lose nothing.
///
/// The library-level cases (byte order marks, CR line endings, corrupt rows, lock waits) are in
/// ListeningTests/Adversarial; the random-input fuzzers beside this file.
@Suite("Adversarial command lines") struct AdversarialCommandLineTests {
    /// Expects a failure that is an error line, not a crash, and that mentions `phrase`.
    func expectCleanFailure(_ result: SetlistBinary.Result, mentioning phrase: String, _ what: String) {
        #expect(result.status != 0 && result.status < 128 && !result.signalled, "\(what): exit \(result.status)")
        #expect(result.stderr.contains(phrase), "\(what): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"), "\(what): \(result.stderr)")
    }

    /// Sessions in the workspace at `path`, from `info --json`.
    func sessions(in path: String) throws -> Int {
        let info = try SetlistBinary.run(["info", "-w", path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any], "\(info.stderr)")
        return try #require(object["sessions"] as? Int)
    }

    /// Option values that trapped the Swift runtime (exit 132) are one-line errors naming the option.
    @Test func optionValuesThatTrappedTheRuntimeAreErrors() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "user,item,timestamp,state_label\n1,2,100,0\n".write(toFile: folder + "/log.csv", atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["import", folder + "/log.csv", "-w", folder + "/a", "--session-gap", "inf"], "--session-gap"),
            (["import", folder + "/log.csv", "-w", folder + "/b", "--session-gap", "1e300"], "--session-gap"),
            (["import", folder + "/log.csv", "-w", folder + "/c", "--time-origin", "9223372036854775807"], "--time-origin"),
            (["import", folder + "/log.csv", "-w", folder + "/d", "--format", "csv", "--map", "user=a,user=b,track=b,time=c"], "twice"),
            (["recommend", "--user", "u1", "-k", "0"], "-k"),
            (["recommend", "--user", "u1", "-k", "9223372036854775807"], "-k"),
            (["recommend", "--user", "u1", "-k=-1"], "-k"),
            (["analyze", "diversity", "--pairs", "9223372036854775807"], "--pairs"),
            (["analyze", "diversity", "--pairs", "0"], "--pairs"),
            (["train", "cosernn", "--hidden", "0"], "--hidden"),
            (["train", "cosernn", "--epochs", "0"], "--epochs"),
            (["evaluate", "--learning-rate", "nan"], "--learning-rate"),
            (["embed", "--split", "global", "--validation-cut", "0.95", "--test-cut", "0.5"], "quantile"),
        ]
        for (arguments, option) in cases {
            let result = try SetlistBinary.run(arguments + (arguments.contains("-w") ? [] : ["-w", folder + "/none"]))
            expectCleanFailure(result, mentioning: option, "\(arguments)")
        }
        for name in ["a", "b", "c", "d"] {
            #expect(!FileManager.default.fileExists(atPath: folder + "/" + name), "nothing was imported into \(name)")
        }
    }

    /// `-w ws`, a one-component relative path, trapped inside Foundation's NSString path code on Linux.
    @Test func aRelativeOneComponentWorkspacePathWorks() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let generate = try SetlistBinary.run(
            ["generate", "--users", "5", "--sessions", "3", "--tracks", "50", "-w", "ws"], directory: folder)
        #expect(generate.status == 0, "\(generate.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/ws/setlist.sqlite"))
        let csv = try SetlistBinary.run(
            ["generate", "--users", "5", "--sessions", "3", "--tracks", "50", "--output", "log.csv"], directory: folder)
        #expect(csv.status == 0, "\(csv.stderr)")
        let imported = try SetlistBinary.run(["import", "log.csv", "-w", "other"], directory: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try sessions(in: folder + "/other") > 0)
    }

    /// A second `train --epochs 0` used to replace a good model with an untrained one.
    @Test func aRejectedTrainingLeavesTheSavedModelAlone() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ws = folder + "/ws"
        try tinyEmbeddedWorkspace(at: ws)
        #expect(try SetlistBinary.run(["train", "cosernn", "-w", ws, "--epochs", "1", "--hidden", "8"]).status == 0)
        let model = ws + "/models/cosernn.safetensors"
        let before = try #require(FileManager.default.contents(atPath: model))
        expectCleanFailure(try SetlistBinary.run(["train", "cosernn", "-w", ws, "--epochs", "0"]), mentioning: "--epochs", "epochs 0")
        #expect(FileManager.default.contents(atPath: model) == before)
    }

    /// Two imports into one new workspace at once: both files end up in it, or one says the workspace is busy.
    @Test func concurrentImportsIntoOneWorkspaceLoseNothing() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var expected: [Int] = []
        for seed in 1...2 {
            let csv = folder + "/log\(seed).csv"
            let made = try SetlistBinary.run([
                "generate", "--users", "40", "--sessions", "6", "--tracks", "200", "--seed", String(seed), "--output", csv,
            ])
            #expect(made.status == 0, "\(made.stderr)")
            #expect(try SetlistBinary.run(["import", csv, "-w", folder + "/alone\(seed)"]).status == 0)
            expected.append(try sessions(in: folder + "/alone\(seed)"))
        }
        // Into a new workspace three times, then into an existing one (the two appends race for the vocabulary).
        for round in 0..<4 {
            let ws = folder + (round < 3 ? "/new\(round)" : "/alone1")
            let base = round < 3 ? 0 : expected[0]
            let files = round < 3 ? ["/log1.csv", "/log2.csv"] : ["/log2.csv", "/log2.csv"]
            let running = try files.map { try SetlistBinary.start(["import", folder + $0, "-w", ws, "--allow-duplicate"]) }
            let results = try running.map { try $0.wait(timeout: 120) }
            var stored = base
            for (file, result) in zip(files, results) {
                if result.status == 0 {
                    stored += expected[file == "/log1.csv" ? 0 : 1]
                } else {
                    expectCleanFailure(result, mentioning: "busy", "round \(round)")
                }
            }
            #expect(try sessions(in: ws) == stored, "round \(round): \(results.map(\.stderr))")
        }
    }

    /// Importing into an existing workspace extends its vocabularies: a generated log into a generated
    /// workspace, and a second Last.fm file into a Last.fm workspace.
    @Test func importsExtendAnExistingWorkspace() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ws = folder + "/ws"
        let csv = folder + "/more.csv"
        #expect(try SetlistBinary.run(["generate", "--users", "20", "--sessions", "5", "--tracks", "100", "-w", ws]).status == 0)
        #expect(
            try SetlistBinary.run(["generate", "--users", "30", "--sessions", "5", "--tracks", "150", "--seed", "3", "--output", csv])
                .status == 0)
        let before = try sessions(in: ws)
        let result = try SetlistBinary.run(["import", csv, "-w", ws])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sessions(in: ws) > before)

        func lastfm(_ user: String, _ day: Int, _ tracks: [String]) -> String {
            tracks.enumerated().map { offset, track in
                "\(user)\t2009-05-\(String(format: "%02d", day))T10:\(String(format: "%02d", offset * 4)):00Z\ta-\(track)\tArtist \(track)\t\(track)\tTitle \(track)\n"
            }.joined()
        }
        try (lastfm("user_000001", 4, ["t1", "t2", "t3"]) + lastfm("user_000002", 5, ["t2", "t4"]))
            .write(toFile: folder + "/a.tsv", atomically: true, encoding: .utf8)
        try (lastfm("user_000002", 6, ["t4", "t5"]) + lastfm("user_000003", 7, ["t1", "t6"]))
            .write(toFile: folder + "/b.tsv", atomically: true, encoding: .utf8)
        #expect(try SetlistBinary.run(["import", folder + "/a.tsv", "-w", folder + "/fm"]).status == 0)
        let second = try SetlistBinary.run(["import", folder + "/b.tsv", "-w", folder + "/fm"])
        #expect(second.status == 0, "\(second.stderr)")
        let info = try SetlistBinary.run(["info", "-w", folder + "/fm", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        #expect(object["users"] as? Int == 3 && object["tracks"] as? Int == 6 && object["sessions"] as? Int == 4, "\(info.stdout)")
    }

    /// A 2 GB file with no recognisable first line is refused from its start, not scanned.
    @Test func aHugeUnrecognisableFileIsRefusedQuickly() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/f.csv"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 2 << 30)  // sparse: no disk used
        try handle.close()
        let result = try SetlistBinary.start(["import", path, "-w", folder + "/ws"]).wait(timeout: 120)
        #expect(!result.timedOut, "the import scanned the whole file")
        expectCleanFailure(result, mentioning: "format", "2 GB of zeros")
        #expect(!FileManager.default.fileExists(atPath: folder + "/ws"))
    }

    /// Byte order marks, CR-only line endings, corrupted MSSD bytes and implausible times: each is a row
    /// reported by file and line, or read correctly; never a phantom user, an "empty file" or a whole-file failure.
    @Test func awkwardBytesAreReadOrReportedByRow() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tsv = "user_000001\t2009-05-04T23:08:57Z\ta1\tDeep Dish\tt1\tOne\nuser_000001\t2009-05-04T23:12:10Z\ta2\tUnkle\tt2\tTwo\n"
        try Data([0xEF, 0xBB, 0xBF] + Array(tsv.utf8)).write(to: URL(fileURLWithPath: folder + "/bom.tsv"))
        #expect(try SetlistBinary.run(["import", folder + "/bom.tsv", "-w", folder + "/bom"]).status == 0)
        let bom = try SetlistBinary.run(["info", "-w", folder + "/bom", "--json"]).stdout
        #expect(bom.contains("\"users\" : 1"), "\(bom)")

        try tsv.replacingOccurrences(of: "\n", with: "\r").write(toFile: folder + "/cr.tsv", atomically: true, encoding: .utf8)
        let cr = try SetlistBinary.run(["import", folder + "/cr.tsv", "-w", folder + "/cr"])
        #expect(cr.status == 0 && cr.stdout.contains("2 rows read, 2 imported"), "\(cr.stdout)\(cr.stderr)")

        let mssd = folder + "/mssd.csv"
        #expect(try SetlistBinary.run(["generate", "--users", "10", "--sessions", "4", "--tracks", "80", "--output", mssd]).status == 0)
        var bytes = try #require(FileManager.default.contents(atPath: mssd))
        for offset in stride(from: bytes.count / 3, to: bytes.count * 2 / 3, by: bytes.count / 7) { bytes[offset] = 0xFF }
        try bytes.write(to: URL(fileURLWithPath: mssd))
        let corrupt = try SetlistBinary.run(["import", mssd, "-w", folder + "/mssd", "--show-rejected", "5"])
        #expect(corrupt.status == 0, "\(corrupt.stderr)")
        #expect(!corrupt.stdout.contains(" 0 rejected") && corrupt.stdout.contains("mssd.csv:"), "\(corrupt.stdout)\(corrupt.stderr)")

        var rows = ["user,track,time"]
        for (index, time) in ["1704067200", "253402300799", "-315619200", "9223372036854775807", "1704067800"].enumerated() {
            rows.append("u1,t\(index),\(time)")
        }
        try rows.joined(separator: "\n").write(toFile: folder + "/times.csv", atomically: true, encoding: .utf8)
        let times = try SetlistBinary.run([
            "import", folder + "/times.csv", "--format", "csv", "--map", "user=user,track=track,time=time", "-w", folder + "/times",
            "--show-rejected", "5",
        ])
        #expect(times.status == 0, "\(times.stderr)")
        #expect(times.stdout.contains("2 imported, 3 rejected"), "\(times.stdout)")
        for line in [3, 4, 5] { #expect(times.stdout.contains("times.csv:\(line):"), "line \(line): \(times.stdout)") }
        #expect(times.stdout.contains("outside 1990-2100"), "\(times.stdout)")
    }

    /// A stale HNSW index, non-finite vectors and damaged model files are refused in one line naming the file.
    @Test func staleOrDamagedFilesAreRefusedByName() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ws = folder + "/ws"
        try tinyEmbeddedWorkspace(at: ws)
        let index = ws + "/tracks-40d.hnsw"
        let vectors = ws + "/tracks-40d.safetensors"
        let stale = try #require(FileManager.default.contents(atPath: index))
        let reembed = try SetlistBinary.run(["embed", "-w", ws, "--epochs", "1", "--min-count", "1", "--seed", "9"])
        #expect(reembed.status == 0, "\(reembed.stderr)")
        try stale.write(to: URL(fileURLWithPath: index))
        let neighbours = try SetlistBinary.run(["neighbours", "#0", "-w", ws])
        expectCleanFailure(neighbours, mentioning: index, "stale index")
        #expect(neighbours.stderr.contains("was not built from the current"))

        // The first vector's first value becomes NaN: 8-byte header length, the JSON header, then the data.
        let finite = try #require(FileManager.default.contents(atPath: vectors))
        var bytes = finite
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let json = try #require(try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        let entry = try #require(json["vectors"] as? [String: Any])
        let start = try #require((entry["data_offsets"] as? [Int])?.first)
        let nan = withUnsafeBytes(of: Float.nan.bitPattern.littleEndian, Array.init)
        bytes.replaceSubrange((8 + headerLength + start)..<(8 + headerLength + start + 4), with: nan)
        try bytes.write(to: URL(fileURLWithPath: vectors))
        let recommend = try SetlistBinary.run(["recommend", "-w", ws, "--user", "u000001", "--model", "average"])
        expectCleanFailure(recommend, mentioning: vectors, "NaN vector")
        #expect(recommend.stderr.contains("non-finite"), "\(recommend.stderr)")
        try finite.write(to: URL(fileURLWithPath: vectors))

        try FileManager.default.createDirectory(atPath: ws + "/models", withIntermediateDirectories: true)
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: ws + "/models/cosernn.safetensors"))
        let damaged = try SetlistBinary.run(["recommend", "-w", ws, "--user", "u000001", "--model", "cosernn"])
        expectCleanFailure(damaged, mentioning: ws + "/models/cosernn.safetensors", "damaged model")
        #expect(damaged.stderr.split(separator: "\n").count == 1, "\(damaged.stderr)")
    }

    /// A killed import's staging folder is removed by the next write beside it; a live process's is kept.
    @Test func abandonedStagingFoldersAreCleanedUp() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dead = endedProcessID()
        let live = getpid()
        for name in ["ws.partial-\(dead)", "ws.old-\(dead)", "ws.partial-\(live)"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
        }
        #expect(try SetlistBinary.run(["generate", "--users", "5", "--sessions", "3", "--tracks", "50", "-w", folder + "/ws"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder + "/ws.partial-\(dead)"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/ws.old-\(dead)"))
        #expect(FileManager.default.fileExists(atPath: folder + "/ws.partial-\(live)"))
    }

    /// The import benchmark's scratch folder (a gigabyte log at the default size) goes on SIGTERM, and one
    /// that a killed run left goes at the start of the next run; a scratch that is not a folder is refused.
    @Test func benchmarkScratchIsRemovedWhenInterruptedOrAbandoned() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (value, phrase) in [("", "--scratch"), (folder + "/none", "--scratch")] {
            expectCleanFailure(try SetlistBinary.run(["bench", "import", "--scratch", value]), mentioning: phrase, "--scratch '\(value)'")
        }
        expectCleanFailure(try SetlistBinary.run(["bench", "import", "--rows", "0"]), mentioning: "--rows", "--rows 0")

        let dead = endedProcessID()
        let abandoned = folder + "/setlist-bench-\(dead)"
        try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: abandoned + "/sessions.csv.tmp-\(dead)"))

        let running = try SetlistBinary.start(["bench", "import", "--rows", "20000000", "--scratch", folder])
        let own = folder + "/setlist-bench-\(running.process.processIdentifier)"
        let deadline = Date().addingTimeInterval(60)
        while running.process.isRunning, Date() < deadline, (try? FileManager.default.contentsOfDirectory(atPath: own))?.isEmpty ?? true {
            usleep(20_000)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: own).isEmpty == false, "the benchmark is writing its log")
        #expect(!FileManager.default.fileExists(atPath: abandoned), "a dead process's scratch folder was removed")
        kill(running.process.processIdentifier, SIGTERM)
        let result = try running.wait(timeout: 30)
        #expect(!result.timedOut && result.status == 128 + SIGTERM, "exit \(result.status): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: own), "SIGTERM removed the running benchmark's folder")
    }
}
