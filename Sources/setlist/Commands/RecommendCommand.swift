import ArgumentParser
import Explorer
import Foundation
import Listening
import UserModels

/// `setlist recommend`: a model's top-k tracks for a user's session, in its own or a given context.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Top-k tracks for a user's session from a trained model, optionally in another context.")

    @OptionGroup var workspaceOption: WorkspaceOption
    @Option(help: "User key, as in `setlist info`/the users table.") var user: String
    @Option(help: "Session number, 1-based (default: the user's last session).") var session: Int?
    @Option(help: "Daypart: early-morning, morning, afternoon, evening, night.") var daypart: String?
    @Option(help: "Hour of day 0-23 (overrides --daypart).") var hour: Int?
    @Option(help: "Day of week 0 = Monday … 6 = Sunday.") var weekday: Int?
    @Option(help: "Device name from the workspace's vocabulary.") var device: String?
    @Option(help: "Stream source name from the workspace's vocabulary.") var source: String?
    @Option(help: "Model: \(ModelChoice.names).") var model: ModelChoice = .cosernn
    @Option(name: .shortAndLong, help: "How many tracks.") var k = 20

    func validate() throws {
        guard (1...100_000).contains(k) else { throw ValidationError("-k must be between 1 and 100000") }
    }

    func run() throws {
        let context = try WorkspaceContext(path: workspaceOption.path)
        guard let userIndex = context.users.firstIndex(where: { context.vocabulary.users[Int($0[0].user)] == user }) else {
            throw ValidationError("no user '\(user)' in \(context.path)")
        }
        let sessions = context.users[userIndex]
        let index = (session ?? sessions.count) - 1
        guard sessions.indices.contains(index) else { throw ValidationError("--session must be 1…\(sessions.count)") }
        var target = sessions[index].context
        if let daypart {
            guard let part = Daypart(name: daypart) else { throw ValidationError("unknown daypart '\(daypart)'") }
            target.hour = part.representativeHour
        }
        if let hour {
            guard (0..<24).contains(hour) else { throw ValidationError("--hour must be 0-23") }
            target.hour = Int8(hour)
        }
        if let weekday {
            guard (0..<7).contains(weekday) else { throw ValidationError("--weekday must be 0-6") }
            target.weekday = Int8(weekday)
        }
        if let device { target.device = try Self.lookup(device, in: context.vocabulary.devices, what: "device") }
        if let source { target.source = try Self.lookup(source, in: context.vocabulary.sources, what: "source") }

        let entry = try model.entry(in: context)
        let prediction = entry.model.predict(history: sessions[0..<index], context: target, time: sessions[index].start)
        let list = entry.search.nearest(prediction, k: k)
        let played = Set(sessions[index].plays.filter { $0.skip != .skipped }.map(\.track))
        print("\(entry.name) for \(user), session \(index + 1)/\(sessions.count), context \(Self.describe(target, context.vocabulary))")
        for (rank, item) in list.enumerated() {
            let info = context.vocabulary.tracks[Int(item.track)]
            let name = [info.name, info.artist].compactMap { $0 }.joined(separator: " — ")
            print(
                String(
                    format: "%3d. %.3f  %@%@", rank + 1, item.score, name.isEmpty ? info.key : name,
                    played.contains(item.track) ? "  (played in this session)" : ""))
        }
    }

    static func lookup(_ name: String, in vocabulary: [String], what: String) throws -> Int16 {
        guard let index = vocabulary.firstIndex(of: name) else {
            throw ValidationError("unknown \(what) '\(name)'; known: \(vocabulary.joined(separator: ", "))")
        }
        return Int16(index)
    }

    static func describe(_ c: SessionContext, _ vocabulary: Vocabulary) -> String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return [
            c.daypart.map { "\($0) (\(c.hour)h)" } ?? "unknown time",
            c.weekday >= 0 ? days[Int(c.weekday)] : "unknown day",
            c.device >= 0 ? vocabulary.devices[Int(c.device)] : "unknown device",
            c.source >= 0 ? vocabulary.sources[Int(c.source)] : "unknown source",
        ].joined(separator: ", ")
    }
}
