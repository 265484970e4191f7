import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real binary in a real terminal: tmux runs `setlist explore`, types keys and reads the screen.
@Suite(.serialized) struct ExplorerTerminalTests {
    static let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        // posix_spawn and waitpid rather than Foundation's Process: the tmux server that
        // new-session forks keeps inherited descriptors open, which stalls Process on Linux.
        let output = TestScratch.root + "/tmux-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([Self.tmuxPath ?? "tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // The test runner blocks most signals, and a spawned process inherits the mask: tmux and the
        // shells and explorers in its panes would then ignore the hang-up that kill-server sends.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        guard posix_spawn(&pid, Self.tmuxPath ?? "tmux", &actions, &attributes, argv, environ) == 0 else {
            throw CocoaError(.executableLoad)
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
    }

    /// One tmux server per test: a server being killed by the previous test must not take the next session down.
    let socket = "setlist-test-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"

    /// Runs the `setlist` commands that prepare a test's workspace, expecting each to succeed.
    func runSetup(_ commands: [[String]]) throws {
        for arguments in commands {
            let result = try SetlistBinary.run(arguments)
            #expect(result.status == 0, "\(arguments[0]) failed: \(result.stderr)")
        }
    }

    /// Runs `body` with the built binary and a temporary folder removed afterwards; records an issue when setlist is not built.
    func withBuiltBinary(_ body: (_ binary: String, _ folder: String) throws -> Void) throws {
        guard let binary = SetlistBinary.path else {
            Issue.record("setlist is not built")
            return
        }
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(binary, folder)
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "explore"]) }

    /// Kills the tmux server and checks that no `setlist` started on `folder` outlives it.
    ///
    /// A survivor is recorded, then killed, so that no test leaves an explorer behind on the machine.
    func endServer(expectingNoProcessOn folder: String) {
        _ = try? tmux(["kill-server"])
        let deadline = Date().addingTimeInterval(5)
        var survivors = Self.setlistProcesses(mentioning: folder)
        while !survivors.isEmpty, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            survivors = Self.setlistProcesses(mentioning: folder)
        }
        if !survivors.isEmpty {
            let states = survivors.map {
                ((try? String(contentsOfFile: "/proc/\($0)/stat", encoding: .utf8)) ?? "gone")
                    + ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/fd/0")) ?? "?")
                    + ((try? String(contentsOfFile: "/proc/\($0)/wchan", encoding: .utf8)) ?? "?")
            }
            Issue.record("setlist outlived its terminal: \(states)")
        }
        for pid in survivors { kill(pid, SIGKILL) }
    }

    /// Live `setlist` processes whose command line or environment mentions `text` (read from /proc).
    static func setlistProcesses(mentioning text: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            // The first-run test names its workspace in the environment rather than the arguments.
            let environment =
                FileManager.default.contents(atPath: "/proc/\(entry)/environ").map { String(decoding: $0, as: UTF8.self) } ?? ""
            guard arguments.first?.hasSuffix("setlist") == true,
                arguments.contains(where: { $0.contains(text) }) || environment.contains(text)
            else { return nil }
            // A zombie is already gone; the state is the first field after the command's closing parenthesis.
            let stat = (try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8)) ?? ""
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            return state == "Z" ? nil : pid
        }
    }

    /// The screen once two captures 0.2 s apart agree: a loaded machine can be caught mid-redraw.
    func stableScreen(timeout: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try screen()
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            let next = try screen()
            if next == last { return next }
            last = next
        }
        return last
    }

    /// Polls the screen until `text` appears (the app draws asynchronously to the test).
    func waitFor(_ text: String, timeout: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out waiting for \"\(text)\"; screen:\n\(last)")
        return last
    }

    @Test(.enabled(if: ExplorerTerminalTests.tmuxPath != nil, "tmux is not installed"))
    func opensNavigatesChangesContextResizesAndQuits() throws {
        try withBuiltBinary { binary, folder in
            let workspace = folder + "/ws"
            // Both models trained (tiny), so the explorer shows CoSeRNN and FS-VAE rather than the stand-in baselines.
            try runSetup([
                ["generate", "--users", "40", "--sessions", "12", "--plays", "8", "--tracks", "400", "-w", workspace],
                ["embed", "--dimension", "40", "--epochs", "2", "-w", workspace],
                ["embed", "--dimension", "80", "--epochs", "2", "-w", workspace],
                ["train", "cosernn", "--epochs", "1", "--hidden", "8", "-w", workspace],
                ["train", "fsvae", "--epochs", "1", "--hidden", "8", "-w", workspace],
            ])
            let done = folder + "/done"
            // After the explorer exits, record its status and the terminal modes it left behind.
            let command =
                "LANG=C.UTF-8 LC_ALL=C.UTF-8 '\(binary)' explore -w '\(workspace)'; echo $? > '\(done)'; stty -a >> '\(done)'; sleep 30"
            try tmux(["new-session", "-d", "-s", "explore", "-x", "120", "-y", "36", command])
            defer { endServer(expectingNoProcessOn: folder) }

            var text = try waitFor("1 Users")
            #expect(text.contains("sessions"))
            // Too small, then back (swift test exports LINES/COLUMNS: the app must still follow the real size).
            try tmux(["resize-window", "-t", "explore", "-x", "60", "-y", "20"])
            _ = try waitFor("Terminal too small")
            try tmux(["resize-window", "-t", "explore", "-x", "120", "-y", "36"])
            _ = try waitFor("sorted by sessions")
            // Every screen opens.
            for (key, marker) in [
                ("2", "path in track space"), ("3", "context editor"), ("4", "overlap"),
                ("5", "Same-context heatmap"), ("6", "Context diversity"), ("7", "Skip rate vs"),
            ] {
                try tmux(["send-keys", "-t", "explore", key])
                _ = try waitFor(marker)
            }
            // Recommendations: CoSeRNN with the fields it reads and its gate split; change the device until the list or its rank arrows change.
            try tmux(["send-keys", "-t", "explore", "3"])
            text = try waitFor("top 20 for CoSeRNN")
            // The official CoSeRNN leaves the current session's source out (Docs/cosernn.md).
            #expect(
                text.contains("reads: hour, weekday, device") && !text.contains("device, source"),
                "the header lists the context fields:\n\(text)")
            #expect(text.contains("gate   ū ") && text.contains("% û"), "CoSeRNN's gate split is shown:\n\(text)")
            var changed = false
            for _ in 0..<6 {
                try tmux(["send-keys", "-t", "explore", "v"])
                Thread.sleep(forTimeInterval: 0.3)
                text = try screen()
                let entered = text.split(separator: "\n").first { $0.contains("entered") }.map { !$0.contains("+0 entered") } ?? false
                if text.contains("editing") && (entered || text.contains("▲") || text.contains("▼")) {
                    changed = true
                    break
                }
            }
            #expect(changed, "changing the context must change the recommendations or their ranks:\n\(text)")
            // FS-VAE's posterior samples: u switches to it and shows each track's stability.
            try tmux(["send-keys", "-t", "explore", "u"])
            text = try waitFor("10 samples · mean pairwise cos")
            #expect(text.contains("top 20 for FS-VAE"))
            #expect(text.range(of: #"\d+/10  Track"#, options: .regularExpression) != nil, "stability counts per track:\n\(text)")
            try tmux(["resize-window", "-t", "explore", "-x", "100", "-y", "30"])
            _ = try waitFor("context editor")
            // Help, then quit.
            try tmux(["send-keys", "-t", "explore", "?"])
            _ = try waitFor("back to the session's own context")
            try tmux(["send-keys", "-t", "explore", "Escape"])
            try tmux(["send-keys", "-t", "explore", "q"])
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, (try? String(contentsOfFile: done, encoding: .utf8))?.contains("speed") != true {
                Thread.sleep(forTimeInterval: 0.1)
            }
            let after = try String(contentsOfFile: done, encoding: .utf8)
            #expect(after.hasPrefix("0\n"), "explore exits with status 0")
            #expect(after.contains(" icanon") && after.contains(" echo "), "the terminal is back in canonical mode with echo:\n\(after)")
        }
    }

    @Test(.enabled(if: ExplorerTerminalTests.tmuxPath != nil, "tmux is not installed"))
    func firstRunProgressFitsATerminalShrunkTo60Columns() throws {
        try withBuiltBinary { binary, folder in
            // The first run builds the default workspace ($SETLIST_WORKSPACE) with progress bars, then opens the explorer.
            let command =
                "SETLIST_WORKSPACE='\(folder)/ws' LANG=C.UTF-8 LC_ALL=C.UTF-8 '\(binary)' explore --setup-users 60 --setup-epochs 2; sleep 30"
            try tmux(["new-session", "-d", "-s", "explore", "-x", "120", "-y", "50", command])
            defer { endServer(expectingNoProcessOn: folder) }
            _ = try waitFor("First run")
            try tmux(["resize-window", "-t", "explore", "-x", "60", "-y", "50"])
            // Keep the last capture of the build's output before the explorer's screen replaces it; -J joins wrapped lines.
            var build = ""
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                let text = try tmux(["capture-pane", "-p", "-J", "-t", "explore"])
                if text.contains("Setlist needs at least") || text.contains("1 Users") { break }
                if text.contains("setup ") { build = text }
                Thread.sleep(forTimeInterval: 0.05)
            }
            // Both chains (embed → train) run at once under one progress line ("setup ███ 40%  … CoSeRNN 1/2 · 80-d space 60%").
            // The line may already be drawn at 120 columns when the window shrinks; tmux then reflows it into
            // a full 60-column row and the rest, and the bar rewrites the rest in place. Only that stale row
            // may remain above the live line, and every line drawn after the resize fits.
            let bars = build.split(separator: "\n").filter { $0.hasPrefix("setup ") }
            let live = try #require(bars.last, "a progress line:\n\(build)")
            #expect(live.count < 60, "the progress line fits 60 columns (\(live.count)):\n\(live)")
            let stale = bars.dropLast()
            #expect(stale.count <= 1 && stale.allSatisfy { $0.count == 60 }, "one progress line, rewritten in place:\n\(build)")
            _ = try waitFor("Setlist needs at least")
        }
    }

    @Test(
        .enabled(if: ExplorerTerminalTests.tmuxPath != nil, "tmux is not installed"),
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid"), "setsid is not installed"))
    func quitsWhenItsTerminalHangsUpWithoutASignal() throws {
        try withBuiltBinary { binary, folder in
            let workspace = folder + "/ws"
            try runSetup([
                ["generate", "--users", "10", "--sessions", "5", "--plays", "5", "--tracks", "100", "-w", workspace],
                ["embed", "--dimension", "40", "--epochs", "1", "-w", workspace],
            ])
            // setsid puts the explorer in a session of its own: when the terminal goes away it gets no
            // SIGHUP, only reads that fail, and it must notice that rather than poll a dead terminal forever.
            let command = "setsid '\(binary)' explore -w '\(workspace)'; sleep 30"
            try tmux(["new-session", "-d", "-s", "explore", "-x", "120", "-y", "36", command])
            defer { endServer(expectingNoProcessOn: folder) }
            _ = try waitFor("1 Users")
            #expect(!Self.setlistProcesses(mentioning: workspace).isEmpty, "the explorer runs before the hang-up")
            endServer(expectingNoProcessOn: folder)
        }
    }

    @Test(.enabled(if: ExplorerTerminalTests.tmuxPath != nil, "tmux is not installed"))
    func aLastfmLogShowsArtistAndTrackNames() throws {
        try withBuiltBinary { binary, folder in
            // A Last.fm 1K-format TSV: 24 users, daily sessions of 6 plays, 8 artists with 6 songs each, no track MBIDs
            // (so the keys are artist and title, with spaces). Each user keeps to two artists.
            let artists = [
                "Velvet Foxes", "Hollow Pines", "Marble Echo", "Saint Lumen", "Quiet Harbour", "Neon Orchard", "Paper Comets", "Iron Tulip",
            ]
            var rows: [String] = []
            for user in 0..<24 {
                for day in 0..<30 {
                    for play in 0..<6 {
                        let artist = artists[(user + (play % 2) * 3) % artists.count]
                        let song = (user * 7 + day * 3 + play) % 6
                        let time = String(format: "2009-%02d-%02dT%02d:%02d:00Z", 3 + day / 28, 1 + day % 28, 8 + (user % 12), play * 4)
                        rows.append("user_\(user)\t\(time)\t\t\(artist)\t\t\(artist) Song \(song)")
                    }
                }
            }
            let log = folder + "/userid-timestamp-artid-artname-traid-traname.tsv"
            try (rows.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
            let workspace = folder + "/lastfm"
            try runSetup([
                ["import", log, "-w", workspace],
                ["embed", "-w", workspace], ["embed", "-w", workspace, "--dimension", "80"],
                ["train", "cosernn", "--epochs", "1", "--hidden", "8", "-w", workspace],
                ["train", "fsvae", "--epochs", "1", "--hidden", "8", "-w", workspace],
            ])
            let command = "LANG=C.UTF-8 LC_ALL=C.UTF-8 '\(binary)' explore -w '\(workspace)'; sleep 30"
            try tmux(["new-session", "-d", "-s", "explore", "-x", "120", "-y", "36", command])
            defer { endServer(expectingNoProcessOn: folder) }
            _ = try waitFor("1 Users")
            try tmux(["send-keys", "-t", "explore", "2"])
            _ = try waitFor("path in track space")
            var text = try stableScreen()
            #expect(
                artists.contains { text.contains("Song") && text.contains($0) },
                "the Trajectory names the session's tracks and artists:\n\(text)")
            try tmux(["send-keys", "-t", "explore", "3"])
            _ = try waitFor("u samples")
            text = try stableScreen()
            #expect(artists.filter { text.contains($0) }.count >= 2, "the Recommend list names tracks by artist:\n\(text)")
            #expect(text.range(of: #"track \d+"#, options: .regularExpression) == nil, "no track falls back to a bare id:\n\(text)")
            try tmux(["send-keys", "-t", "explore", "q"])
        }
    }

    @Test func withoutATerminalItSaysSoAndDumpStillWorks() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let workspace = folder + "/ws"
        _ = try SetlistBinary.run(["generate", "--users", "10", "--sessions", "5", "--plays", "5", "--tracks", "100", "-w", workspace])
        _ = try SetlistBinary.run(["embed", "--dimension", "40", "--epochs", "1", "-w", workspace])
        let noTTY = try SetlistBinary.run(["explore", "-w", workspace])
        #expect(noTTY.status != 0)
        #expect(noTTY.stderr.contains("needs an interactive terminal") && noTTY.stderr.contains("--dump"))
        let dump = try SetlistBinary.run(["explore", "-w", workspace, "--dump", "users", "--width", "90", "--height", "26"])
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains("1 Users") && dump.stdout.contains("u000000"))
        #expect(dump.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 27, "26 rows and the final newline")
        let missing = try SetlistBinary.run(["explore", "-w", folder + "/none", "--dump", "users"])
        #expect(missing.stderr.contains("no workspace at"))
    }
}
