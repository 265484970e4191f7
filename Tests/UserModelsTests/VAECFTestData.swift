import Listening
import Tensor
import UserModels

/// Synthetic users for the VAE-CF tests, with the planted track vectors as the track space and each
/// session's hidden long-term taste (base plus drift) for the taste-recovery checks.
struct VAECFTestData {
    let truth: PlantedTruth
    let tracks: TrackVectors
    /// Each user's sessions in time order.
    let users: [[Session]]
    /// Each user's planted long-term taste at each session (unit, `truth.dimension` values).
    let tastes: [[[Float]]]

    init(users: Int, sessionsPerUser: Int, tracks: Int = 1_000, seed: UInt64 = 11) {
        let generator = SyntheticGenerator(
            config: SyntheticConfig(
                users: users, sessionsPerUser: sessionsPerUser, playsPerSession: 10, tracks: tracks, clusters: 16, seed: seed))
        truth = generator.truth
        self.tracks = TrackVectors(dimension: truth.dimension, values: truth.trackVectors)
        var grouped: [[Session]] = Array(repeating: [], count: users)
        var tastes: [[[Float]]] = Array(repeating: [], count: users)
        generator.generateWithTruth(users: 0..<users) { session, hidden in
            grouped[Int(session.user)].append(session)
            tastes[Int(session.user)].append(hidden.taste)
        }
        self.users = grouped
        self.tastes = tastes
    }

    /// The planted affinity of a taste to each cluster: its dot product with each (orthonormal) centre.
    func clusterAffinity(_ taste: [Float]) -> [Double] {
        (0..<truth.clusterCount).map { c in
            zip(taste, truth.clusterCentre(c)).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }
    }

    /// A small VAE-CF config for these tests (the defaults stay the paper's).
    static func smallConfig(seed: UInt64 = 1) -> VAECFConfig {
        VAECFConfig(hidden: 64, latent: 16, dropout: 0.5, betaMax: 0.2, annealingSteps: 100, maxCatalogue: 20_000, seed: seed)
    }
}
