import Listening
import UserModels

/// How far a model's user representation moves after 1 and after 7 steps (FS-VAE paper, Figures 6 and 7).
///
/// A step is one session: the representation at step t is the model's prediction for session t
/// from sessions 0..<t. For each user and t ≥ 1, the L2 distance between the unit-normalised
/// representations at t and t + s, and their cosine distance, are collected for each step s.
public struct RepresentationMovement: Sendable, Codable {
    /// Distances for one model and one step size.
    public struct Row: Sendable, Codable, Equatable {
        public var model: String
        public var steps: Int
        public var l2: BoxplotSummary
        public var cosineDistance: BoxplotSummary
    }

    public var rows: [Row]

    public init(models: [UserModel], users: [[Session]], steps: [Int] = [1, 7]) {
        var rows: [Row] = []
        for model in models {
            var l2: [Int: [Double]] = [:]
            var cosine: [Int: [Double]] = [:]
            for sessions in users {
                let representations = model.predictAll(sessions: sessions).map(VectorOps.normalized)
                for s in steps {
                    guard representations.count > s + 1 else { continue }
                    for t in 1..<(representations.count - s) {
                        let a = representations[t], b = representations[t + s]
                        var squared: Float = 0
                        for k in a.indices { squared += (a[k] - b[k]) * (a[k] - b[k]) }
                        l2[s, default: []].append(Double(squared.squareRoot()))
                        cosine[s, default: []].append(Double(1 - VectorOps.cosine(a, b)))
                    }
                }
            }
            for s in steps {
                rows.append(Row(model: model.name, steps: s, l2: BoxplotSummary(l2[s] ?? []),
                                cosineDistance: BoxplotSummary(cosine[s] ?? [])))
            }
        }
        self.rows = rows
    }
}
