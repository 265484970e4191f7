import Explorer
import Foundation
import Listening
import UserModels

/// A small fixed workspace in memory: 8 synthetic users with planted track vectors and two baseline models.
enum ExplorerFixture {
    static func data() -> ExplorerData {
        let generator = SyntheticGenerator(config: SyntheticConfig(users: 8, sessionsPerUser: 6, playsPerSession: 4, tracks: 60,
                                                                   clusters: 4, seed: 3))
        var users: [[Session]] = []
        generator.generate(users: 0..<8) { session in
            if users.last?.last?.user != session.user { users.append([]) }
            users[users.count - 1].append(session)
        }
        let tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        return ExplorerData(title: "fixture", vocabulary: generator.vocabulary, users: users,
                            models: [ModelEntry(model: ContextAverageBaseline(tracks: tracks), tracks: tracks),
                                     ModelEntry(model: AverageBaseline(tracks: tracks), tracks: tracks)])
    }

    static let snapshotFolder: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Snapshots").path
    }()
}
