import Explorer
import Foundation
import Listening
import UserModels

/// A small fixed workspace in memory: 8 synthetic users with planted track vectors and two baseline models.
enum ExplorerFixture {
    static let generator = SyntheticGenerator(
        config: SyntheticConfig(
            users: 8, sessionsPerUser: 6, playsPerSession: 4, tracks: 60,
            clusters: 4, seed: 3))

    static let users: [[Session]] = {
        var users: [[Session]] = []
        generator.generate(users: 0..<8) { session in
            if users.last?.last?.user != session.user { users.append([]) }
            users[users.count - 1].append(session)
        }
        return users
    }()

    /// The planted track vectors.
    static let tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)

    static func data() -> ExplorerData {
        data(models: [ContextAverageBaseline(tracks: tracks), AverageBaseline(tracks: tracks)])
    }

    static func data(models: [UserModel]) -> ExplorerData {
        ExplorerData(
            title: "fixture", vocabulary: generator.vocabulary, users: users,
            models: models.map { ModelEntry(model: $0, tracks: tracks) })
    }

    /// A small untrained CoSeRNN (weights from a fixed seed) reading every context field.
    static func coSeRNN(_ change: (inout CoSeRNNConfig) -> Void = { _ in }) throws -> CoSeRNN {
        var config = CoSeRNNConfig(
            dimension: tracks.dimension, deviceCount: generator.vocabulary.devices.count,
            sourceCount: generator.vocabulary.sources.count, hiddenSize: 16, denseSize: 16, useCurrentSource: true, seed: 5)
        change(&config)
        return try CoSeRNN(config: config, tracks: tracks)
    }

    /// A small FS-VAE trained briefly on the fixture, so its posterior has some spread.
    static func fsvae(probabilistic: Bool = true) throws -> FSVAEUserModel {
        let config = FSVAEConfig(
            probabilistic: probabilistic, sequentialHidden: 16, slowHidden: 16, latent: 8, decoderHidden: 16,
            klWarmupSteps: 0, reconstructionVariance: nil, dropout: 0, learningRate: 1e-2, batchSize: 32,
            epochs: 20, patience: 20, seed: 5)
        let model = try FSVAE(config: config, dimension: tracks.dimension)
        try model.train(users: users, tracks: tracks)
        return try FSVAEUserModel(model: model, tracks: tracks)
    }

    /// CoSeRNN and FS-VAE, as a workspace with both trained shows them.
    static func modelData() throws -> ExplorerData {
        data(models: [try coSeRNN(), try fsvae()])
    }

    static let snapshotFolder: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Snapshots").path
    }()
}
