import Listening
import Tensor
import UserModels

/// Synthetic users for the CoSeRNN tests, with the generator's planted track vectors as the track space.
struct CoSeRNNTestData {
    let generator: SyntheticGenerator
    let tracks: TrackVectors
    /// Each user's sessions in time order.
    let users: [[Session]]

    init(users: Int, sessionsPerUser: Int, tracks: Int = 1_000, seed: UInt64 = 11, parameters: SyntheticParameters = .standard) {
        generator = SyntheticGenerator(
            config: SyntheticConfig(
                users: users, sessionsPerUser: sessionsPerUser, playsPerSession: 10, tracks: tracks, clusters: 16, seed: seed),
            parameters: parameters)
        self.tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        var grouped: [[Session]] = Array(repeating: [], count: users)
        generator.generate(users: 0..<users) { grouped[Int($0.user)].append($0) }
        self.users = grouped
    }

    /// A CoSeRNN config for this data with the given sizes.
    func config(hidden: Int, dense: Int, seed: UInt64 = 42) -> CoSeRNNConfig {
        CoSeRNNConfig(
            dimension: tracks.dimension, deviceCount: generator.vocabulary.devices.count,
            sourceCount: generator.vocabulary.sources.count, hiddenSize: hidden, denseSize: dense, seed: seed)
    }
}
