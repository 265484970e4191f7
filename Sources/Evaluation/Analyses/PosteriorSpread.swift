import Listening
import UserModels

/// Whether a model's posterior is wider for users it knows less about: the spread of its posterior
/// samples against the user's history length, as a Spearman rank correlation.
///
/// For each user with at least two sessions, the query is the start of their last session after all
/// earlier ones; the spread is 1 − the mean pairwise cosine of `samples` seeded posterior samples. A
/// useful posterior shrinks with history: the correlation with the session count is then negative.
public struct PosteriorSpread: Sendable, Codable, Equatable {
    /// Users measured.
    public var users: Int
    /// Samples drawn per user.
    public var samples: Int
    /// Spearman's ρ between the number of earlier sessions and the spread (nil below three users or with a constant side).
    public var spearman: Double?
    /// The spread over the users.
    public var spread: BoxplotSummary

    /// Measures `model` over `users` (each one user's sessions in time order).
    public init(model: some PosteriorSampling, users: [[Session]], samples: Int = 10, seed: UInt64 = 1) {
        var history: [Double] = []
        var spreads: [Double] = []
        for sessions in users where sessions.count >= 2 {
            let last = sessions[sessions.count - 1]
            let drawn = model.predictSamples(
                count: samples, seed: seed, history: sessions[..<(sessions.count - 1)], context: last.context, time: last.start)
            guard drawn.count >= 2 else { continue }
            var sum = 0.0
            var pairs = 0
            for i in drawn.indices {
                for j in drawn.indices where j > i {
                    sum += Double(VectorOps.cosine(drawn[i], drawn[j]))
                    pairs += 1
                }
            }
            history.append(Double(sessions.count - 1))
            spreads.append(1 - sum / Double(pairs))
        }
        self.users = spreads.count
        self.samples = samples
        spearman = Self.spearman(history, spreads)
        spread = BoxplotSummary(spreads)
    }

    /// Spearman's rank correlation: Pearson's correlation of the ranks, tied values sharing their mean rank.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 3 else { return nil }
        let (rx, ry) = (ranks(x), ranks(y))
        let n = Double(x.count)
        let (mx, my) = (rx.reduce(0, +) / n, ry.reduce(0, +) / n)
        var (covariance, vx, vy) = (0.0, 0.0, 0.0)
        for i in rx.indices {
            covariance += (rx[i] - mx) * (ry[i] - my)
            vx += (rx[i] - mx) * (rx[i] - mx)
            vy += (ry[i] - my) * (ry[i] - my)
        }
        guard vx > 0, vy > 0 else { return nil }
        return covariance / (vx * vy).squareRoot()
    }

    /// 1-based ranks, ties given the mean of the ranks they span.
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { ranks[order[k]] = rank }
            start = end + 1
        }
        return ranks
    }

    /// The report's lines.
    public func report(model: String) -> [String] {
        [
            "Posterior spread of \(model): 1 − mean pairwise cosine of \(samples) posterior samples at each user's last session start",
            "  users \(users); spread median \(SampleSummary.fixed(spread.median, 4)), quartiles \(SampleSummary.fixed(spread.lowerQuartile, 4))–\(SampleSummary.fixed(spread.upperQuartile, 4))",
            "  Spearman ρ between earlier sessions and spread: " + (spearman.map { SampleSummary.fixed($0, 3) } ?? "n/a"),
        ]
    }
}
