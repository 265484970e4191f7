import Foundation
import Tensor
import Testing

/// Random option values on every command of the real binary: errors are fine, signals are not.
///
/// The commands, their options and their documented values are read from `--help`, so a new command or
/// option is fuzzed without editing this file.
@Suite("Command-line fuzzing") struct CommandLineFuzzTests {
    /// A command path (`["analyze"]`, `["bench", "tensor"]`), its options and its positional arguments.
    struct CommandShape {
        var path: [String]
        /// Option name and whether it takes a value.
        var options: [(name: String, takesValue: Bool)]
        var arguments: [String]
        /// Documented values per option or argument name (`(values: a, b)` in the help).
        var values: [String: [String]]
    }

    /// Values that have broken parsers: zero, negatives, overflow, non-numbers, odd text and paths.
    static let hostile = [
        "0", "-1", "1", "2", "7", "0.5", "-0.5", "nan", "inf", "-inf", "1e300", "-1e300", "9223372036854775807",
        "-9223372036854775808", "18446744073709551616", "", " ", "abc", "ü", "u000001", "#0", "#999999", "/nonexistent/x",
        "..", "2024-13-45", "2024-01-10", "0.95", "1.5", String(repeating: "9", count: 400),
    ]

    /// Parses the OPTIONS, ARGUMENTS and SUBCOMMANDS sections of one help text.
    static func shape(of path: [String]) throws -> (CommandShape, subcommands: [String]) {
        let help = try SetlistBinary.run(path + ["--help"]).stdout
        var shape = CommandShape(path: path, options: [], arguments: [], values: [:])
        var subcommands: [String] = []
        var section = ""
        var current: String?
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasSuffix(":"), !line.hasPrefix(" ") {
                section = line
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let startsEntry = line.hasPrefix("  ") && !line.hasPrefix("   ") && !trimmed.isEmpty
            if startsEntry {
                let head = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
                switch section {
                case "OPTIONS:":
                    // "-w, --workspace <dir>   Help" or "--json   Help".
                    let words = trimmed.components(separatedBy: "  ")[0].split(separator: " ").map(String.init)
                    if let name = words.first(where: { $0.hasPrefix("--") }), name != "--help" {
                        shape.options.append((name.trimmingCharacters(in: [","]), words.last?.hasPrefix("<") ?? false))
                        current = name
                    } else {
                        current = nil
                    }
                case "ARGUMENTS:":
                    if let name = head.first, name.hasPrefix("<") {
                        shape.arguments.append(name)
                        current = name
                    }
                case "SUBCOMMANDS:":
                    if let name = head.first?.replacingOccurrences(of: ",", with: ""), name != "help" { subcommands.append(name) }
                    current = nil
                default:
                    current = nil
                }
            }
            if let current, let range = trimmed.range(of: "(values: ") {
                let list = trimmed[range.upperBound...].split(separator: ";")[0].replacingOccurrences(of: ")", with: "")
                shape.values[current, default: []] += list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        return (shape, subcommands)
    }

    /// Every leaf command of `setlist`, with its shape.
    static func allCommands() throws -> [CommandShape] {
        var found: [CommandShape] = []
        var pending: [[String]] = [[]]
        while let path = pending.popLast() {
            let (shape, subcommands) = try shape(of: path)
            // A command with subcommands may run itself too (`analyze ANALYSIS`); the root only lists.
            if !path.isEmpty, subcommands.isEmpty || !shape.arguments.isEmpty { found.append(shape) }
            // A word that is not a subcommand gets its parent's help back, listing the same subcommands:
            // follow each name once per path, and no deeper than setlist's commands go.
            guard path.count < 3 else { continue }
            pending += subcommands.filter { !path.contains($0) }.map { path + [$0] }
        }
        return found
    }

    @Test func randomOptionValuesNeverKillTheProcess() throws {
        let commands = try Self.allCommands()
        let names = Set(commands.map { $0.path.joined(separator: " ") })
        for expected in ["generate", "import", "info", "embed", "neighbours", "train", "evaluate", "recommend", "analyze", "explore"] {
            #expect(names.contains(expected), "\(expected) was not found in the help: \(names.sorted())")
        }
        #expect(names.contains { $0.hasPrefix("bench ") }, "\(names.sorted())")

        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scratch = folder + "/tmp"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let pristine = folder + "/pristine"
        try tinyEmbeddedWorkspace(at: pristine)
        try "user,item,timestamp,state_label\n1,2,100,0\n1,3,160,1\n".write(
            toFile: folder + "/log.csv", atomically: true, encoding: .utf8)

        // A fixed seed, so that a failure reproduces; change it to explore further.
        var generator = SeededRandom(seed: 20_261_206)
        var outcomes: [String: Int] = [:]
        let runsPerCommand = 12
        for command in commands {
            for run in 0..<runsPerCommand {
                let ws = folder + "/ws-\(run)"
                try? FileManager.default.removeItem(atPath: ws)
                try FileManager.default.copyItem(atPath: pristine, toPath: ws)
                var arguments = command.path
                for argument in command.arguments {
                    let documented = command.values[argument] ?? []
                    let pool = documented.isEmpty ? Self.hostile + [folder + "/log.csv", "u000001", "cosernn"] : documented + ["bogus"]
                    arguments.append(pool.randomElement(using: &generator) ?? "")
                }
                if command.options.contains(where: { $0.name == "--workspace" }) { arguments += ["--workspace", ws] }
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    guard let option = command.options.randomElement(using: &generator) else { break }
                    arguments.append(option.name)
                    guard option.takesValue else { continue }
                    let documented = command.values[option.name] ?? []
                    let pool = Self.hostile + documented + documented
                    arguments.append(pool.randomElement(using: &generator) ?? "")
                }
                // A run killed at the deadline leaves its temporary files (the import benchmark's log is a
                // gigabyte): they go in the test's folder, not the machine's.
                let result = try SetlistBinary.start(arguments, environment: ["TMPDIR": scratch], directory: folder).wait(timeout: 4)
                let line = arguments.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
                if result.timedOut {
                    outcomes["ran past 4 s", default: 0] += 1
                    continue
                }
                #expect(!result.signalled && result.status < 128, "setlist \(line): exit \(result.status)\n\(result.stderr.suffix(600))")
                #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"), "setlist \(line)")
                outcomes[result.status == 0 ? "succeeded" : "refused", default: 0] += 1
            }
        }
        // Mostly errors, as expected of random values; some runs must get through validation too.
        #expect(outcomes["succeeded", default: 0] > 0 && outcomes["refused", default: 0] > 0, "\(outcomes)")
    }
}
