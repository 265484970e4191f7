import Foundation
import Testing

/// End-to-end tests of the built binary: what a user types and what they see.
@Suite(.serialized) struct CommandLineTests {
    /// A help paragraph is one source line that ArgumentParser wraps: a short line followed by more text means a hard wrap.
    @Test func helpTextsAreParagraphsThatWrapCleanly() throws {
        for command in [
            "", "generate", "import", "info", "embed", "neighbours", "train", "evaluate", "recommend", "analyze", "explore", "bench",
        ] {
            let help = try SetlistBinary.run(command.isEmpty ? ["--help"] : [command, "--help"], environment: ["COLUMNS": "80"]).stdout
            let text = help.components(separatedBy: "\nUSAGE:")[0].split(separator: "\n", omittingEmptySubsequences: false)
            for (line, next) in zip(text, text.dropFirst())
            where !line.isEmpty && !next.isEmpty && !line.hasPrefix(" ") && !next.hasPrefix(" ") {
                // A clean wrap breaks only where the next word would not fit (ArgumentParser fills 79 of 80 columns).
                let nextWord = next.split(separator: " ").first.map(String.init) ?? ""
                #expect(line.count + 1 + nextWord.count > 79, "setlist \(command) --help breaks a paragraph after \"\(line)\"")
            }
        }
    }

    @Test func helpListsTheCommands() throws {
        let result = try SetlistBinary.run(["--help"])
        #expect(result.status == 0)
        for command in ["generate", "import", "info", "explore", "bench"] { #expect(result.stdout.contains(command)) }
        let importHelp = try SetlistBinary.run(["import", "--help"])
        for format in ["lastfm", "jodie", "mssd", "deezer", "csv"] { #expect(importHelp.stdout.contains(format)) }
    }

    @Test func generateThenInfo() throws {
        let folder = temporaryFolder() + "/ws"
        let generated = try SetlistBinary.run([
            "generate", "--users", "30", "--sessions", "6", "--plays", "4", "--tracks", "200", "-w", folder,
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout.contains("sessions of 30 users"))
        #expect(!generated.stderr.contains("\r"), "no terminal control characters when stderr is not a TTY")
        let info = try SetlistBinary.run(["info", "-w", folder, "--json"])
        #expect(info.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        #expect(json["users"] as? Int == 30)
        #expect(json["tracks"] as? Int == 200)
        let text = try SetlistBinary.run(["info", "-w", folder])
        #expect(text.stdout.contains("dayparts") && text.stdout.contains("devices") && text.stdout.contains("skips"))
    }

    @Test func generateReadsPlantedParametersFromAFile() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let printed = try SetlistBinary.run(["generate", "--print-parameters"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let standard = try #require(try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
        #expect(standard["deviceShift"] as? Double == 1.1 && standard["sharpness"] as? Double == 8)
        // The same size and seed with no context shifts: other sessions, and `info` names the changed constants.
        let sizes = ["--users", "20", "--sessions", "6", "--plays", "4", "--tracks", "200"]
        try #"{"daypartShift": 0, "deviceShift": 0}"#.write(toFile: folder + "/flat.json", atomically: true, encoding: .utf8)
        for (name, extra) in [("standard", [String]()), ("flat", ["--parameters", folder + "/flat.json"])] {
            let result = try SetlistBinary.run(["generate", "--output", folder + "/\(name).csv"] + sizes + extra)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let standardCSV = FileManager.default.contents(atPath: folder + "/standard.csv")
        #expect(standardCSV != nil && standardCSV != FileManager.default.contents(atPath: folder + "/flat.csv"))
        let workspace = try SetlistBinary.run(["generate", "-w", folder + "/ws", "--parameters", folder + "/flat.json"] + sizes)
        #expect(workspace.status == 0, "\(workspace.stderr)")
        let info = try SetlistBinary.run(["info", "-w", folder + "/ws"])
        #expect(info.stdout.contains(#"{"daypartShift":0,"deviceShift":0}, the rest standard"#), "\(info.stdout)")
        // A misspelt key is one line naming the file and the key, and nothing is written.
        try #"{"deviceShfit": 0}"#.write(toFile: folder + "/typo.json", atomically: true, encoding: .utf8)
        let typo = try SetlistBinary.run(["generate", "-w", folder + "/typo-ws", "--parameters", folder + "/typo.json"] + sizes)
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("typo.json") && typo.stderr.contains("deviceShfit"), "\(typo.stderr)")
        #expect(typo.stderr.split(separator: "\n").count == 1, "one line:\n\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/typo-ws"))
    }

    @Test func generatedCSVImportsToTheSameWorkspace() throws {
        let folder = temporaryFolder()
        let arguments = ["--users", "25", "--sessions", "5", "--plays", "6", "--tracks", "150", "--seed", "9"]
        let both = try SetlistBinary.run(["generate", "--output", folder + "/log.csv", "-w", folder + "/direct"] + arguments)
        #expect(both.status == 0, "\(both.stderr)")
        let imported = try SetlistBinary.run(["import", folder + "/log.csv", "-w", folder + "/imported"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("(mssd)") && imported.stdout.contains("0 rejected"))
        let direct = try SetlistBinary.run(["info", "-w", folder + "/direct", "--json"])
        let viaCSV = try SetlistBinary.run(["info", "-w", folder + "/imported", "--json"])
        let a = try #require(try JSONSerialization.jsonObject(with: Data(direct.stdout.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(viaCSV.stdout.utf8)) as? [String: Any])
        for key in ["users", "sessions", "plays", "skippedPlays", "playsWithSkipState", "firstTime", "lastTime"] {
            #expect("\(a[key] ?? "nil")" == "\(b[key] ?? "nil")", "\(key) differs between direct and CSV routes")
        }
        #expect(a["sessionsByDaypart"] as? [String: Int] == b["sessionsByDaypart"] as? [String: Int])
        #expect(a["sessionsByDevice"] as? [String: Int] == b["sessionsByDevice"] as? [String: Int])
        #expect(a["sessionsBySource"] as? [String: Int] == b["sessionsBySource"] as? [String: Int])
    }

    @Test func badRowsAreReportedAndGoodRowsKept() throws {
        let folder = temporaryFolder()
        let log = folder + "/bad.csv"
        try "user,item,timestamp,state_label\n1,2,100,0\n1,2\n1,3,soon,0\n2,4,50,0".write(toFile: log, atomically: true, encoding: .utf8)
        let result = try SetlistBinary.run(["import", log, "-w", folder + "/ws"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("4 rows read, 2 imported, 2 rejected"))
        #expect(result.stdout.contains("bad.csv:3: expected at least 4 fields, found 2"))
        #expect(result.stdout.contains("bad.csv:4: timestamp \"soon\" is not a valid time"))
        #expect(result.stdout.contains("+2 users"))
    }

    @Test func errorsAreOneClearLineWithoutAStackTrace() throws {
        let folder = temporaryFolder()
        let missing = try SetlistBinary.run(["info", "-w", folder + "/none"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no workspace at") && missing.stderr.contains("setlist generate"))
        try "".write(toFile: folder + "/empty.csv", atomically: true, encoding: .utf8)
        let empty = try SetlistBinary.run(["import", folder + "/empty.csv", "-w", folder + "/ws"])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("empty.csv is empty"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/ws"), "a failed import creates no workspace")
        let unknown = try SetlistBinary.run(["import", "/nonexistent.csv", "-w", folder + "/ws"])
        #expect(unknown.stderr.contains("cannot open /nonexistent.csv"))
        for result in [missing, empty, unknown] {
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
            #expect(result.stderr.split(separator: "\n").count <= 2)
        }
        let badOption = try SetlistBinary.run(["generate", "--users", "0", "-w", folder + "/g"])
        #expect(badOption.status != 0 && badOption.stderr.contains("--users must be at least 1"))
        for (option, value) in [("--minimum-improvement", "-0.5"), ("--minimum-improvement", "nan"), ("--validation-examples", "0")] {
            let bad = try SetlistBinary.run(["train", "fsvae", option + "=" + value, "-w", folder + "/none"])
            #expect(bad.status == 64 && bad.stderr.contains(option + " must be"), "\(option) \(value): \(bad.stderr)")
        }
    }

    /// Library errors carry data; the command line adds the option or command that fixes them, in one line with exit 1.
    @Test func libraryErrorsGetTheirAdviceFromTheCommandLine() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/log.csv"
        try "user,item,timestamp,state_label\n1,2,100,0\n1,3,200,0\n".write(toFile: log, atomically: true, encoding: .utf8)
        let imported = try SetlistBinary.run(["import", log, "-w", folder + "/ws"])
        #expect(imported.status == 0, "\(imported.stderr)")
        try FileManager.default.createDirectory(atPath: folder + "/taken", withIntermediateDirectories: true)
        try "keep".write(toFile: folder + "/taken/notes.txt", atomically: true, encoding: .utf8)
        try "hello world\n".write(toFile: folder + "/odd.txt", atomically: true, encoding: .utf8)
        try "listener,song,when\nu,a,03-07-18 10:00\nu,b,04-07-18 11:00\n".write(
            toFile: folder + "/dates.csv", atomically: true, encoding: .utf8)
        let map = ["--format", "csv", "--map", "user=listener,track=song,time=when"]
        let generated = try SetlistBinary.run([
            "generate", "--users", "8", "--sessions", "10", "--plays", "5", "--tracks", "50", "-w", folder + "/gen",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let cases: [([String], String)] = [
            (["info", "-w", folder + "/none"], "Create one with `setlist generate --workspace \(folder)/none`"),
            (["import", log, "-w", folder + "/ws"], "(same path and size); pass --allow-duplicate to import it again"),
            (["generate", "--users", "5", "-w", folder + "/taken"], "already exists; pass --replace to overwrite it"),
            (
                ["embed", "-w", folder + "/gen", "--min-count", "1", "--epochs", "2", "--learning-rate", "1e30"],
                "word2vec diverged at learning rate 1e+30: the track vectors are no longer finite numbers; lower --learning-rate"
            ),
            (
                ["import", folder + "/odd.txt", "-w", folder + "/odd"],
                "cannot tell the format from the first line (\"hello world\"); pass --format "
            ),
            (["import", folder + "/dates.csv", "-w", folder + "/dates"] + map, "alike; pass --date-format"),
            (
                ["import", folder + "/dates.csv", "-w", folder + "/colour", "--format", "csv", "--map", "user=a,track=b,time=c,colour=d"],
                "--map: unknown field 'colour'; fields are artist,"
            ),
            (
                ["import", folder + "/dates.csv", "-w", folder + "/short", "--format", "csv", "--map", "user=a,track=b"],
                "--map needs at least user=COL"
            ),
            (["embed", "-w", folder + "/ws", "--min-count", "1000"], "no track has min-count 1000 plays; lower --min-count"),
        ]
        for (arguments, advice) in cases {
            let result = try SetlistBinary.run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(advice) && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
    }

    @Test func exploreBuildsTheDefaultWorkspaceOnFirstRunOnly() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // SETLIST_WORKSPACE moves the default; a tiny setup keeps the test fast (make run uses the full defaults).
        let environment = ["SETLIST_WORKSPACE": folder + "/default"]
        let arguments = ["explore", "--dump", "compare", "--setup-users", "30", "--setup-epochs", "1"]
        let first = try SetlistBinary.run(arguments, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("First run: building the default workspace"))
        #expect(first.stdout.contains("CoSeRNN") && first.stdout.contains("FS-VAE"), "both models trained and shown:\n\(first.stdout)")
        for file in [
            "setlist.sqlite", "tracks-40d.safetensors", "tracks-80d.safetensors", "models/cosernn.safetensors", "models/fsvae.safetensors",
        ] {
            #expect(FileManager.default.fileExists(atPath: folder + "/default/" + file), "\(file) is cached")
        }
        let second = try SetlistBinary.run(arguments, environment: environment)
        #expect(second.status == 0)
        #expect(!second.stderr.contains("First run"))
        #expect(first.stdout.hasSuffix(second.stdout), "the cached workspace shows the same screen (the first run also logs its setup)")

        // Only what is missing is rebuilt: FS-VAE's chain (its space and model), not CoSeRNN's.
        let kept = folder + "/default/models/cosernn.safetensors"
        let before = try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date
        for file in ["tracks-80d.safetensors", "models/fsvae.safetensors"] {
            try FileManager.default.removeItem(atPath: folder + "/default/" + file)
        }
        let third = try SetlistBinary.run(arguments, environment: environment)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("80-d") && !third.stderr.contains("40-d,"), "only the 80-d space is trained:\n\(third.stderr)")
        #expect(third.stdout.contains("Saved FS-VAE") && !third.stdout.contains("Saved CoSeRNN"), "\(third.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder + "/default/models/fsvae.safetensors"))
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date == before, "CoSeRNN is not retrained")
    }

    @Test func evaluateFSVAEWritesTablesOneAndTwoAndNeedsThe80dEmbeddings() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ws = folder + "/ws"
        let generated = try SetlistBinary.run([
            "generate", "--users", "24", "--sessions", "10", "--plays", "5", "--tracks", "150", "-w", ws,
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let embed40 = try SetlistBinary.run(["embed", "-w", ws, "--epochs", "1", "--min-count", "1"])
        #expect(embed40.status == 0, "\(embed40.stderr)")

        // Only the 40-d space exists: one clear line saying what to run, before any training.
        let missing = try SetlistBinary.run(["evaluate", "fsvae", "-w", ws, "--seeds", "1", "--epochs", "1"])
        #expect(missing.status != 0)
        #expect(
            missing.stderr.contains("no 80-d track embeddings") && missing.stderr.contains("setlist embed --dimension 80"),
            "\(missing.stderr)")
        #expect(!missing.stderr.contains("Fatal error") && !missing.stderr.contains("Stack dump"))
        #expect(missing.stderr.split(separator: "\n").count <= 2)
        #expect(!FileManager.default.fileExists(atPath: ws + "/results/fsvae-evaluation.md"))

        let embed80 = try SetlistBinary.run(["embed", "-w", ws, "--dimension", "80", "--epochs", "1", "--min-count", "1"])
        #expect(embed80.status == 0, "\(embed80.stderr)")
        let result = try SetlistBinary.run(["evaluate", "fsvae", "-w", ws, "--seeds", "1", "--epochs", "1", "--hidden", "16"])
        #expect(result.status == 0, "\(result.stderr)")
        for row in [
            "| FS-VAE |", "| JODIE |", "| LatentCross |", "| VAE-CF |", "| Vanilla RNN |", "| Aggregate sequence |", "| Last-5 mean |",
            "| Average |", "| Popularity |",
            "| FS-VAE, no fast features |", "| FS-VAE, shuffled sequence |", "| FS-VAE, no slow features |",
            "| FS-VAE, non-probabilistic |", "| FS-VAE, windowed (no recurrent state) |",
        ] {
            #expect(result.stdout.contains(row), "\(row) missing from:\n\(result.stdout)")
        }
        #expect(result.stdout.contains("paper Table 1") && result.stdout.contains("paper Table 2"))
        #expect(result.stdout.contains("| Model | L2 distance ↓ | Cosine distance ↓ | Mean rank ↓ | MRR ↑ | Recall@10 ↑ | raw L2 |"))
        #expect(
            result.stderr.contains("[1/11] FS-VAE seed 42") && result.stderr.contains("FS-VAE: cosine distance"),
            "progress:\n\(result.stderr)")
        let markdown = try String(contentsOfFile: ws + "/results/fsvae-evaluation.md", encoding: .utf8)
        #expect(markdown.contains("| FS-VAE, non-probabilistic |"))
        let data = try #require(FileManager.default.contents(atPath: ws + "/results/fsvae-evaluation.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let table1 = try #require(json["table1"] as? [String: Any])
        let rows = try #require(table1["rows"] as? [[String: Any]])
        #expect(rows.count == 9 && (json["table2"] as? [String: Any])?["rows"] as? [[String: Any]] != nil)
        #expect((rows.first?["cosineDistance"] as? [String: Any])?["mean"] is Double)
        #expect((json["setup"] as? [String: Any])?["seeds"] as? [Int] == [42])
        let info = try SetlistBinary.run(["info", "-w", ws, "--json"])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        #expect(summary["runs"] as? Int == 1, "the evaluation is recorded in the runs table")
    }

    @Test func evaluateWithoutATaskStillRunsTheCoSeRNNRanking() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ws = folder + "/ws"
        try tinyEmbeddedWorkspace(at: ws)
        let result = try SetlistBinary.run([
            "evaluate", "-w", ws, "--seeds", "1", "--epochs", "1", "--hidden", "8", "--users", "12", "--output", folder + "/out/eval",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("CoSeRNN: session and track ranking"))
        #expect(
            FileManager.default.fileExists(atPath: folder + "/out/eval.md")
                && FileManager.default.fileExists(atPath: folder + "/out/eval.json"))
        // `all` needs both track spaces and checks them before training anything.
        let all = try SetlistBinary.run(["evaluate", "all", "-w", ws, "--seeds", "1", "--epochs", "1"])
        #expect(all.status != 0 && all.stderr.contains("no 80-d track embeddings"), "\(all.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws + "/results/evaluation.md"), "nothing was evaluated")
        let badTask = try SetlistBinary.run(["evaluate", "latentcross", "-w", ws])
        #expect(badTask.status != 0 && badTask.stderr.contains("cosernn"))
    }

    @Test func theStateOfTheArtBaselinesTrainAndRecommend() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ws = folder + "/ws"
        try tinyEmbeddedWorkspace(at: ws)
        let untrained = try SetlistBinary.run(["recommend", "-w", ws, "--user", "u000001", "--model", "jodie"])
        #expect(untrained.status == 1 && untrained.stderr.contains("setlist train jodie"), "\(untrained.stderr)")
        for (model, name) in [("jodie", "JODIE"), ("latentcross", "LatentCross"), ("vaecf", "VAE-CF")] {
            let train = try SetlistBinary.run(["train", model, "-w", ws, "--epochs", "1"])
            #expect(train.status == 0, "\(model): \(train.stderr)")
            #expect(
                train.stdout.contains("Saved \(name) to") && FileManager.default.fileExists(atPath: ws + "/models/\(model).safetensors"))
            #expect(
                !FileManager.default.fileExists(atPath: ws + "/models/\(model).training.safetensors"),
                "the checkpoint is removed once saved")
            let recommend = try SetlistBinary.run(["recommend", "-w", ws, "--user", "u000001", "--model", model, "-k", "5"])
            #expect(recommend.status == 0, "\(model): \(recommend.stderr)")
            #expect(recommend.stdout.split(separator: "\n").count >= 5, "\(recommend.stdout)")
        }
    }

    @Test func trainFSVAEResumeWithoutACheckpointStartsFreshAndLeavesNone() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ws = folder + "/ws"
        try tinyEmbeddedWorkspace(at: ws, dimension: 80)
        let result = try SetlistBinary.run(["train", "fsvae", "-w", ws, "--epochs", "1", "--hidden", "8", "--resume"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("starting from scratch"))
        #expect(result.stdout.contains("Saved FS-VAE to"))
        #expect(FileManager.default.fileExists(atPath: ws + "/models/fsvae.safetensors"))
        #expect(
            !FileManager.default.fileExists(atPath: ws + "/models/fsvae.training.safetensors"),
            "the checkpoint is removed once the model is saved")
        // `info` shows the run's validation curve: one epoch, so the first loss is the best.
        let info = try SetlistBinary.run(["info", "-w", ws])
        let line = try #require(
            info.stdout.split(separator: "\n").first { $0.contains("model") && $0.contains("fsvae:") }, "\(info.stdout)")
        #expect(line.contains("at epoch 1 of 1"), "\(line)")
        // The recurrent FS-VAE's posterior: printed per epoch by train, kept by info for the kept epoch.
        #expect(
            result.stderr.contains("FS-VAE epoch 1: reconstruction") && result.stderr.contains("latent units active"), "\(result.stderr)")
        #expect(info.stdout.contains("posterior at that epoch: KL"), "\(info.stdout)")
        let json = try SetlistBinary.run(["info", "-w", ws, "--json"])
        #expect(json.stdout.contains("\"bestEpoch\" : 1") && json.stdout.contains("\"model\" : \"fsvae\""), "\(json.stdout)")
    }

    @Test func trainBaselinesSavesTheVanillaRNNAndRecordsTheRun() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ws = folder + "/ws"
        try tinyEmbeddedWorkspace(at: ws)
        let result = try SetlistBinary.run(["train", "baselines", "-w", ws, "--epochs", "1", "--hidden", "8"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("need no training") && result.stdout.contains("Saved Vanilla RNN to"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: ws + "/models/vanilla-rnn.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: ws + "/models/cosernn.safetensors"))
        let info = try SetlistBinary.run(["info", "-w", ws, "--json"])
        #expect(info.status == 0 && info.stdout.contains("\"runs\" : 1"), "\(info.stdout)")
    }

    /// Issue 12's leak test: tracks heard only in held-out sessions get no vector, and evaluation refuses a leaking space.
    @Test func heldOutPlaysNeverReachTheTrackSpace() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 20 users × 20 daily sessions of 5 plays. Training sessions draw from 30 shared tracks; each
        // held-out session (validation and test: each user's last 4) plays tracks of its own.
        var rows = ["user,track,time"]
        for u in 0..<20 {
            for s in 0..<20 {
                for p in 0..<5 {
                    let track = s >= 16 ? "held-\(u)-\(s)-\(p)" : "shared-\((u * 7 + s * 3 + p) % 30)"
                    rows.append("u\(u),\(track),\(1_704_067_200 + s * 86_400 + u * 600 + p * 180)")
                }
            }
        }
        try rows.joined(separator: "\n").write(toFile: folder + "/log.csv", atomically: true, encoding: .utf8)
        let ws = folder + "/ws"
        let imported = try SetlistBinary.run([
            "import", folder + "/log.csv", "--format", "csv", "--map", "user=user,track=track,time=time", "-w", ws,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        let embedded = try SetlistBinary.run(["embed", "-w", ws, "--min-count", "1", "--epochs", "2", "--threads", "1"])
        #expect(embedded.status == 0, "\(embedded.stderr)")
        #expect(embedded.stdout.contains("Trained 30 of 430 tracks"), "\(embedded.stdout)")
        let exported = try SetlistBinary.run(["embed", "-w", ws, "--export", folder + "/vectors.txt"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let text = try String(contentsOfFile: folder + "/vectors.txt", encoding: .utf8)
        #expect(text.hasPrefix("30 40\n") && !text.contains("held-") && text.contains("shared-0 "))
        let untrained = try SetlistBinary.run(["neighbours", "held-3-19-0", "-w", ws])
        #expect(untrained.status != 0)

        // Evaluation under the same split is clean, and says so.
        let evaluate = ["evaluate", "-w", ws, "--seeds", "1", "--epochs", "1", "--hidden", "4", "--output", folder + "/eval"]
        let clean = try SetlistBinary.run(evaluate)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("no validation or test session reached it") && clean.stdout.contains("Seeds: 42 (1)"))
        // A track space fitted with smaller held-out shares saw sessions the default split scores: refused in one line.
        let wider = try SetlistBinary.run([
            "embed", "-w", ws, "--min-count", "1", "--epochs", "1", "--validation-share", "0.05", "--test-share", "0.05",
        ])
        #expect(wider.status == 0, "\(wider.stderr)")
        let refused = try SetlistBinary.run(evaluate)
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("trained on 0 of 40 test sessions and 40 of 40 validation sessions")
                && refused.stderr.contains("--allow-leak"),
            "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        let allowed = try SetlistBinary.run(evaluate + ["--allow-leak"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("LEAK (--allow-leak)"))
        // A global calendar cut: the last 20% of days held out for every user.
        let global = try SetlistBinary.run([
            "embed", "-w", ws, "--min-count", "1", "--epochs", "1", "--split", "global", "--validation-cut", "2024-01-17",
        ])
        #expect(global.status == 0 && global.stdout.contains("Trained 30 of 430 tracks"), "\(global.stdout)\(global.stderr)")
        let badCut = try SetlistBinary.run(["embed", "-w", ws, "--split", "global", "--test-cut", "next week"])
        #expect(badCut.status != 0 && badCut.stderr.contains("neither a date"), "\(badCut.stderr)")
    }

    @Test func playTimesOutsideTheYears1990To2100AreWarnedAbout() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "user,item,timestamp,state_label\n1,2,100,0\n1,3,160,0\n".write(toFile: folder + "/log.csv", atomically: true, encoding: .utf8)
        let relative = try SetlistBinary.run(["import", folder + "/log.csv", "-w", folder + "/a"])
        #expect(
            relative.status == 0 && relative.stderr.contains("warning: plays run from 1970") && relative.stderr.contains("--time-origin"),
            "\(relative.stderr)")
        let anchored = try SetlistBinary.run(["import", folder + "/log.csv", "-w", folder + "/b", "--time-origin", "1704067200"])
        #expect(anchored.status == 0 && !anchored.stderr.contains("warning"), "\(anchored.stderr)")
    }

    /// Datasets/synthetic-sample.csv is exactly what the generator writes today with its documented command.
    @Test func bundledSampleMatchesTheGenerator() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let bundled = root.appendingPathComponent("Datasets/synthetic-sample.csv").path
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try SetlistBinary.run([
            "generate", "--output", folder + "/sample.csv", "--users", "200", "--sessions", "8", "--plays", "6",
            "--tracks", "1000", "--seed", "7",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let generated = try #require(FileManager.default.contents(atPath: folder + "/sample.csv"))
        let stored = try #require(FileManager.default.contents(atPath: bundled), "Datasets/synthetic-sample.csv is missing")
        #expect(generated == stored, "regenerate it with the command in Datasets/README.md")
        let imported = try SetlistBinary.run(["import", bundled, "-w", folder + "/ws"])
        #expect(imported.status == 0 && imported.stdout.contains("0 rejected"), "\(imported.stdout)\(imported.stderr)")
    }
}
