import Listening
import UserModels

/// Do users skip more in sessions unlike their past listening? Skip rate against cosine(user, session).
///
/// The user embedding before session t is the normalised mean of the embeddings of sessions
/// 0..<t; x = cosine(user, session t's embedding over all its tracks), y = session t's skip rate
/// (sessions without known skips are left out). For each minimum skip rate, only sessions at or
/// above it are kept, and the Pearson r and the least-squares slope of y on x are reported.
public struct SkipSimilarity: Sendable, Codable {
    /// Figures for one threshold.
    public struct Row: Sendable, Codable, Equatable {
        public var minimumSkipRate: Double
        public var sessions: Int
        public var pearson: Double
        public var slope: Double
        public var meanSkipRate: Double
    }

    public var rows: [Row]
    /// The (similarity, skip rate) points of all sessions, for plotting (at most `maxPoints`, evenly thinned).
    public var points: [[Double]]

    public init(
        users: [[Session]], tracks: TrackVectors,
        thresholds: [Double] = [0, 0.1, 0.2, 0.3, 0.4, 0.5], maxPoints: Int = 2_000
    ) {
        var xs: [Double] = []
        var ys: [Double] = []
        let d = tracks.dimension
        for sessions in users {
            var sum = [Float](repeating: 0, count: d)
            var count = 0
            for session in sessions {
                let e = tracks.sessionEmbedding(session.plays)
                if count > 0, let rate = session.skipRate {
                    xs.append(Double(VectorOps.cosine(sum, e)))
                    ys.append(rate)
                }
                for k in 0..<d { sum[k] += e[k] }
                count += 1
            }
        }
        rows = thresholds.map { threshold in
            let kept = ys.indices.filter { ys[$0] >= threshold }
            let fit = LinearFit(x: kept.map { xs[$0] }, y: kept.map { ys[$0] })
            return Row(
                minimumSkipRate: threshold, sessions: kept.count, pearson: fit.pearson, slope: fit.slope,
                meanSkipRate: kept.isEmpty ? .nan : kept.reduce(0.0) { $0 + ys[$1] } / Double(kept.count))
        }
        let stride = max(1, xs.count / max(maxPoints, 1))
        points = Swift.stride(from: 0, to: xs.count, by: stride).map { [xs[$0], ys[$0]] }
    }
}

/// Pearson correlation and the least-squares slope of y on x.
public struct LinearFit: Sendable, Equatable {
    public var pearson: Double
    public var slope: Double
    public var intercept: Double

    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count, "a fit needs pairs")
        let n = Double(x.count)
        guard x.count >= 2 else {
            pearson = .nan
            slope = .nan
            intercept = .nan
            return
        }
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxx += dx * dx
            syy += dy * dy
            sxy += dx * dy
        }
        slope = sxx > 0 ? sxy / sxx : .nan
        intercept = slope.isNaN ? .nan : my - slope * mx
        pearson = sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
    }
}
