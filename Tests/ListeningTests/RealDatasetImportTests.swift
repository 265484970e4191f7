import Foundation
import Testing

@testable import Listening

/// Imports of the real logs in ../shared/datasets, checked against counts computed independently here.
@Suite struct RealDatasetImportTests {
    /// Sessions by the 20-minute rule, computed the slow obvious way.
    static func referenceSessionCount(userTimes: [String: [Double]], gap: Double = 1200) -> Int {
        userTimes.values.reduce(0) { total, times in
            let sorted = times.sorted()
            var sessions = sorted.isEmpty ? 0 : 1
            for i in 1..<max(sorted.count, 1) where sorted[i] - sorted[i - 1] >= gap { sessions += 1 }
            return total + sessions
        }
    }

    @Test(.enabled(if: SharedDatasets.has("lastfm-1k-jodie-prefix.csv"), "../shared/datasets/lastfm-1k-jodie-prefix.csv is absent"))
    func lastfmJodiePrefixRejectsOnlyItsTruncatedLastLine() throws {
        let path = try #require(SharedDatasets.file("lastfm-1k-jodie-prefix.csv"))
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let workspacePath = folder + "/ws"
        let outcome = try LogImport(options: ImportOptions()).run(files: [path], workspace: workspacePath)
        let report = try #require(outcome.reports.first)
        #expect(report.format == .jodie)
        #expect(report.rowsRead == 108_502)
        #expect(report.rowsImported == 108_501)
        #expect(report.rowsRejected == 1)
        let rejected = try #require(report.examples.first)
        #expect(rejected.line == 108_503)
        #expect(rejected.category == "wrong field count")
        #expect(rejected.reason.contains("cut off"))

        // Independent reference: split lines by hand.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var userTimes: [String: [Double]] = [:]
        var items = Set<Substring>()
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 4, let t = Double(fields[2]) else { continue }
            userTimes[String(fields[0]), default: []].append(t)
            items.insert(fields[1])
        }
        #expect(userTimes.count == 271)
        #expect(items.count == 778)

        let summary = try Workspace(at: workspacePath).summary()
        #expect(summary.users == 271)
        #expect(summary.tracks == 778)
        #expect(summary.plays == 108_501)
        #expect(summary.sessions == Self.referenceSessionCount(userTimes: userTimes))
        #expect(summary.playsWithSkipState == 0, "JODIE has no skips; unknown must stay unknown")
        #expect(summary.sessionsByDevice == ["unknown": summary.sessions])
        #expect(summary.lastTime.map { $0 - (summary.firstTime ?? 0) } ?? 0 > 365 * 86_400)
    }

    @Test(.enabled(if: SharedDatasets.has("spotify-mssd-sample.csv"), "../shared/datasets/spotify-mssd-sample.csv is absent"))
    func spotifyMSSDSampleKeepsSessionsAndSkips() throws {
        let path = try #require(SharedDatasets.file("spotify-mssd-sample.csv"))
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try LogImport(options: ImportOptions()).run(files: [path], workspace: folder + "/ws")
        let report = try #require(outcome.reports.first)
        #expect(report.format == .mssd)
        #expect(report.rowsRead == 1_180)
        #expect(report.rowsRejected == 0)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let skippedRows = rows.filter { $0[7] == "False" || $0[5] == "True" }.count
        let contexts = Set(rows.map { String($0[18]) })

        let workspace = try Workspace(at: folder + "/ws")
        let summary = try workspace.summary()
        #expect(summary.sessions == 169)
        #expect(summary.users == 169, "MSSD has no user ids: each session is its own anonymous user")
        #expect(summary.tracks == 917)
        #expect(summary.plays == 1_180)
        #expect(summary.playsWithSkipState == 1_180)
        #expect(summary.skippedPlays == skippedRows)
        #expect(Set(summary.sessionsBySource.keys) == contexts)
        #expect(summary.sessionsByDevice == ["unknown": 169])
        // Plays keep their logged order inside a session.
        let sessions = try workspace.sessions()
        #expect(sessions.allSatisfy { s in zip(s.plays, s.plays.dropFirst()).allSatisfy { $0.time <= $1.time } })
    }

    @Test(.enabled(if: SharedDatasets.has("deezer-dsg17-sample.csv"), "../shared/datasets/deezer-dsg17-sample.csv is absent"))
    func deezerSampleReadsDevicesAndListenedFlags() throws {
        let path = try #require(SharedDatasets.file("deezer-dsg17-sample.csv"))
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try LogImport(options: ImportOptions()).run(files: [path], workspace: folder + "/ws")
        let report = try #require(outcome.reports.first)
        #expect(report.format == .deezer)
        // Counted independently of the importer: the sample has no quoted fields. Its README warns that some
        // ts_listen values are in 1970/1980; those rows are rejected as implausible times.
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let plausible = rows.filter { Int64($0[1]).map(LogImport.Outcome.plausibleTimes.contains) ?? false }
        #expect(report.rowsRead == rows.count)
        #expect(report.rowsRejected == rows.count - plausible.count && report.rowsRejected > 0)
        #expect(report.rejectedByCategory["implausible time"] == report.rowsRejected)
        let summary = try Workspace(at: folder + "/ws").summary()
        #expect(summary.users == Set(plausible.map { $0[11] }).count)
        #expect(summary.tracks == Set(plausible.map { $0[2] }).count)
        #expect(summary.plays == plausible.count)
        #expect(summary.skippedPlays == plausible.filter { $0[14] == "0" }.count)
        #expect(summary.playsWithSkipState == plausible.count)
        #expect(Set(summary.sessionsByDevice.keys).isSubset(of: ["platform-0", "platform-1", "platform-2"]))
    }
}
