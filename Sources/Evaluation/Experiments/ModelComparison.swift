import Foundation
import Listening

/// Several models scored by the session-ranking protocol over several seeds: the evaluation table.
///
/// Each model's metrics are averaged over sessions per seed, then summarised as mean ± std over
/// seeds. The per-context breakdown and the paired t-test use the first seed: every model is
/// scored on the same sessions, so per-session values pair up.
public struct ModelComparison: Sendable, Codable {
    /// One model's results.
    public struct ModelResult: Sendable, Codable {
        public var name: String
        public var isBaseline: Bool
        /// Metric name → mean ± std over seeds.
        public var metrics: [String: SampleSummary]
        /// Context dimension → context name → metric name → value (first seed).
        public var breakdown: [String: [String: [String: Double]]]
        /// Paired t-test of `significanceMetric` against the best baseline (nil for baselines).
        public var versusBestBaseline: PairedTTest?
    }

    /// Metric names in table order.
    public var metricNames: [String]
    public var ks: [Int]
    public var seeds: Int
    public var sessions: Int
    public var significanceMetric: SessionMetric
    public var bestBaseline: String?
    public var models: [ModelResult]

    /// A named model's outcomes, one array per seed.
    public struct Run {
        public var name: String
        public var isBaseline: Bool
        public var outcomesPerSeed: [[SessionOutcome]]

        public init(name: String, isBaseline: Bool, outcomesPerSeed: [[SessionOutcome]]) {
            self.name = name
            self.isBaseline = isBaseline
            self.outcomesPerSeed = outcomesPerSeed
        }
    }

    public init(runs: [Run], ks: [Int], vocabulary: Vocabulary, significanceMetric: SessionMetric = .reciprocalRank19) {
        self.ks = ks
        self.significanceMetric = significanceMetric
        seeds = runs.map(\.outcomesPerSeed.count).max() ?? 0
        sessions = runs.first?.outcomesPerSeed.first?.count ?? 0
        metricNames = ks.map { "MRR@\($0)" } + ks.map { "rank@\($0)" }
            + ["pool MAP", "pool NDCG@10", "pool R@10", "pool R@50", "cat MAP", "cat NDCG@10", "cat R@10", "cat R@50"]
        let names = metricNames
        func values(_ s: RankingSummary) -> [String: Double] {
            var v: [String: Double] = [:]
            for k in ks {
                v["MRR@\(k)"] = s.mrr[k]
                v["rank@\(k)"] = s.meanRank[k]
            }
            v["pool MAP"] = s.pool.map; v["pool NDCG@10"] = s.pool.ndcg10
            v["pool R@10"] = s.pool.recall10; v["pool R@50"] = s.pool.recall50
            v["cat MAP"] = s.catalogue.map; v["cat NDCG@10"] = s.catalogue.ndcg10
            v["cat R@10"] = s.catalogue.recall10; v["cat R@50"] = s.catalogue.recall50
            return v
        }
        let bestBaseline = runs.filter(\.isBaseline).max { a, b in
            Self.mean(a.outcomesPerSeed.first ?? [], significanceMetric) < Self.mean(b.outcomesPerSeed.first ?? [], significanceMetric)
        }
        self.bestBaseline = bestBaseline?.name
        models = runs.map { run in
            let perSeed = run.outcomesPerSeed.map { values(RankingSummary($0, ks: ks)) }
            var metrics: [String: SampleSummary] = [:]
            for name in names { metrics[name] = SampleSummary(perSeed.compactMap { $0[name] }.filter(\.isFinite)) }
            let first = run.outcomesPerSeed.first ?? []
            var breakdown: [String: [String: [String: Double]]] = [:]
            for dimension in [ContextDimension.daypart, .device] {
                var groups: [String: [SessionOutcome]] = [:]
                for outcome in first {
                    let name = dimension.value(outcome.context).map { dimension.name($0, vocabulary: vocabulary) } ?? "unknown"
                    groups[name, default: []].append(outcome)
                }
                breakdown[dimension.rawValue] = groups.mapValues { group in
                    var row = values(RankingSummary(group, ks: ks)).filter { ["MRR@\(ks.count > 1 ? ks[1] : ks[0])", "cat MAP", "pool MAP"].contains($0.key) }
                    row["sessions"] = Double(group.count)
                    return row
                }
            }
            var test: PairedTTest?
            if !run.isBaseline, let baseline = bestBaseline?.outcomesPerSeed.first {
                let pairs = Self.paired(first, baseline, metric: significanceMetric)
                if pairs.a.count >= 2 { test = PairedTTest(pairs.a, pairs.b) }
            }
            return ModelResult(name: run.name, isBaseline: run.isBaseline, metrics: metrics, breakdown: breakdown, versusBestBaseline: test)
        }
    }

    static func mean(_ outcomes: [SessionOutcome], _ metric: SessionMetric) -> Double {
        let v = outcomes.compactMap(metric.value)
        return v.isEmpty ? -.infinity : v.reduce(0, +) / Double(v.count)
    }

    /// Values of `metric` for the sessions both runs scored, matched by user and session index.
    static func paired(_ a: [SessionOutcome], _ b: [SessionOutcome], metric: SessionMetric) -> (a: [Double], b: [Double]) {
        var byKey: [Int64: Double] = [:]
        for o in b { if let v = metric.value(o) { byKey[Int64(o.user) << 32 | Int64(o.index)] = v } }
        var xs: [Double] = [], ys: [Double] = []
        for o in a {
            if let v = metric.value(o), let w = byKey[Int64(o.user) << 32 | Int64(o.index)] {
                xs.append(v)
                ys.append(w)
            }
        }
        return (xs, ys)
    }

    /// Relative improvement of `model` over `baseline` on a metric (higher is better).
    public func relativeGain(of model: String, over baseline: String, metric: String) -> Double? {
        guard let a = models.first(where: { $0.name == model })?.metrics[metric]?.mean,
              let b = models.first(where: { $0.name == baseline })?.metrics[metric]?.mean, b != 0 else { return nil }
        return (a - b) / abs(b)
    }
}

extension ModelComparison {
    /// The comparison as Markdown: the main table, the significance tests and the per-context breakdown.
    public func markdown(title: String = "Session and track ranking") -> String {
        let shown = metricNames.filter { !$0.hasPrefix("rank@") || $0 == "rank@\(ks.count > 1 ? ks[1] : ks[0])" }
        var lines = ["## \(title)", "",
                     "\(sessions) test sessions; mean ± std over \(seeds) seed\(seeds == 1 ? "" : "s"). Ties count against the model. `cat` ranks the full catalogue, `pool` the tracks of the current and previous sessions.", ""]
        lines.append("| model | " + shown.joined(separator: " | ") + " |")
        lines.append("|---|" + shown.map { _ in "---:" }.joined(separator: "|") + "|")
        for model in models {
            let cells = shown.map { name -> String in
                guard let s = model.metrics[name], s.count > 0 else { return "n/a" }
                return s.format(digits: name.hasPrefix("rank@") ? 2 : 4)
            }
            lines.append("| \(model.isBaseline ? model.name : "**\(model.name)**") | " + cells.joined(separator: " | ") + " |")
        }
        if let bestBaseline {
            lines += ["", "Paired t-test of per-session \(significanceMetric.rawValue) against the best baseline (\(bestBaseline)), first seed:", ""]
            lines.append("| model | mean difference | t | p |")
            lines.append("|---|---:|---:|---:|")
            for model in models where !model.isBaseline {
                guard let t = model.versusBestBaseline else { continue }
                lines.append("| \(model.name) | \(SampleSummary.fixed(t.meanDifference, 4)) | \(SampleSummary.fixed(t.t, 2)) | \(t.pValue < 1e-4 ? "< 0.0001" : SampleSummary.fixed(t.pValue, 4)) |")
            }
        }
        let breakdownMetric = "MRR@\(ks.count > 1 ? ks[1] : ks[0])"
        for dimension in ["daypart", "device"] {
            let contexts = Set(models.flatMap { ($0.breakdown[dimension] ?? [:]).keys }).sorted()
            guard !contexts.isEmpty else { continue }
            lines += ["", "\(breakdownMetric) by \(dimension) (first seed):", ""]
            lines.append("| model | " + contexts.joined(separator: " | ") + " |")
            lines.append("|---|" + contexts.map { _ in "---:" }.joined(separator: "|") + "|")
            for model in models {
                let cells = contexts.map { c in model.breakdown[dimension]?[c]?[breakdownMetric].map { SampleSummary.fixed($0, 4) } ?? "n/a" }
                lines.append("| \(model.name) | " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as pretty-printed JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
