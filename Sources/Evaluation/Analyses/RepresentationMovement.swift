import Listening
import UserModels

/// How far a model's user representation moves after 1 and after 7 time steps (FS-VAE paper, Figures 6 and 7).
///
/// A time step is one play for next-track models (`NextTrackPredictor`: the representation at
/// step t is the prediction for play t from plays 0..<t) and one session for session-level
/// models (the prediction for session t from sessions 0..<t). The steps run over a user's whole
/// history, across session boundaries; step 0 (no history) is left out. For each user, step
/// t ≥ 1 and step size s, the L2 distance between the raw (unnormalised) representations at t
/// and t + s and their cosine distance are collected. For FS-VAE the posterior mean of its latent
/// is a second representation. See Docs/analyses.md.
public struct RepresentationMovement: Sendable, Codable {
    /// What one time step is.
    public enum Unit: String, Sendable, Codable {
        case plays, sessions
    }

    /// Distances for one model, representation and step size.
    public struct Row: Sendable, Codable, Equatable {
        public var model: String
        /// "prediction" (the predicted track-space vector) or "latent mean" (FS-VAE's posterior mean).
        public var representation: String
        public var unit: Unit
        public var steps: Int
        public var l2: BoxplotSummary
        public var cosineDistance: BoxplotSummary
    }

    public var rows: [Row]

    /// Movement of every model's representations over `users` (each one user's sessions in time order).
    public init(models: [UserModel], users: [[Session]], steps: [Int] = [1, 7]) {
        var rows: [Row] = []
        for model in models {
            var series: [(representation: String, unit: Unit, sequence: ([Session]) -> [[Float]])] = []
            if let predictor = model as? NextTrackPredictor {
                series.append(("prediction", .plays, { predictor.predictNextTracks(sessions: $0, targets: 0..<$0.count) }))
            } else {
                series.append(("prediction", .sessions, { model.predictAll(sessions: $0) }))
            }
            if let fsvae = model as? FSVAEUserModel {
                series.append(("latent mean", .plays, { fsvae.latentMeans(sessions: $0, targets: 0..<$0.count) }))
            }
            for (representation, unit, sequence) in series {
                var l2: [Int: [Double]] = [:]
                var cosine: [Int: [Double]] = [:]
                for sessions in users {
                    Self.collect(sequence(sessions), steps: steps, l2: &l2, cosine: &cosine)
                }
                for s in steps {
                    rows.append(
                        Row(
                            model: model.name, representation: representation, unit: unit, steps: s,
                            l2: BoxplotSummary(l2[s] ?? []), cosineDistance: BoxplotSummary(cosine[s] ?? [])))
                }
            }
        }
        self.rows = rows
    }

    /// Appends the distances between representations `s` steps apart, from step 1 on.
    static func collect(_ representations: [[Float]], steps: [Int], l2: inout [Int: [Double]], cosine: inout [Int: [Double]]) {
        for s in steps where s > 0 && representations.count > s + 1 {
            for t in 1..<(representations.count - s) {
                let a = representations[t], b = representations[t + s]
                var squared: Float = 0
                for k in a.indices { squared += (a[k] - b[k]) * (a[k] - b[k]) }
                l2[s, default: []].append(Double(squared.squareRoot()))
                cosine[s, default: []].append(Double(1 - VectorOps.cosine(a, b)))
            }
        }
    }
}
