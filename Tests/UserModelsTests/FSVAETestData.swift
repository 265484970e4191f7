import Listening
import UserModels

/// Small synthetic datasets for the FS-VAE tests, with the planted track vectors as the track space.
enum FSVAETestData {
    struct Dataset {
        var users: [[Session]]
        var tracks: TrackVectors
    }

    static func make(users: Int, sessionsPerUser: Int, tracks: Int = 1_000, seed: UInt64 = 7) -> Dataset {
        let generator = SyntheticGenerator(
            config: SyntheticConfig(
                users: users, sessionsPerUser: sessionsPerUser, playsPerSession: 10, tracks: tracks, clusters: 16, seed: seed))
        var byUser = [[Session]](repeating: [], count: users)
        generator.generate(users: 0..<users) { session in byUser[Int(session.user)].append(session) }
        let vectors = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        return Dataset(users: byUser, tracks: vectors)
    }

    /// The acceptance dataset: 100 users of about 24 sessions of about 10 plays.
    static let standard = make(users: 100, sessionsPerUser: 24)

    /// A small config for debug-build tests (the defaults stay the paper's).
    static func smallConfig(seed: UInt64 = 1) -> FSVAEConfig {
        FSVAEConfig(
            sequentialHidden: 32, slowHidden: 16, latent: 16, decoderHidden: 32, klWarmupSteps: 75, dropout: 0.1,
            learningRate: 5e-3, batchSize: 256, epochs: 6, patience: 1, seed: seed)
    }
}
