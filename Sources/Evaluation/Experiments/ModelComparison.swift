import Foundation
import Listening

/// Several models scored by the session-ranking protocol over several seeds: the evaluation table.
///
/// Each model's metrics are averaged over sessions per seed, then summarised as mean ± std over
/// seeds. For every metric each model is compared with the best baseline on that metric in two
/// paired ways: per session (the model's value averaged over seeds against the baseline's, a
/// paired t-test) and per seed (the seed-by-seed difference of the means). A model *beats* the
/// baseline only when both paired mean differences exceed twice their standard errors, so a win
/// smaller than the seed spread is not a win. The per-context breakdown averages the seeds.
public struct ModelComparison: Sendable, Codable {
    /// One model against the best baseline on one metric.
    public struct MetricComparison: Sendable, Codable, Equatable {
        /// The baseline with the best mean on this metric.
        public var baseline: String
        /// Per-session paired t-test of model − baseline (model values averaged over seeds).
        public var perSession: PairedTTest
        /// Seed-by-seed differences of model − baseline means (a parameter-free baseline's one run pairs with every seed).
        public var perSeed: SampleSummary
        /// Whether the model is better by more than twice the standard error, per session and per seed
        /// (per seed only when there are at least two seeds).
        public var beats: Bool
    }

    /// One model's results.
    public struct ModelResult: Sendable, Codable {
        public var name: String
        public var isBaseline: Bool
        /// Metric name → mean ± std over seeds.
        public var metrics: [String: SampleSummary]
        /// Metric name → the value of each seed, in seed order.
        public var perSeedValues: [String: [Double]]
        /// Context dimension → context name → metric name → value (mean over seeds).
        public var breakdown: [String: [String: [String: Double]]]
        /// Metric name → the comparison with the best baseline on it (empty for baselines).
        public var versusBestBaseline: [String: MetricComparison]
    }

    /// Metric names in table order.
    public var metricNames: [String]
    public var ks: [Int]
    public var seeds: Int
    public var sessions: Int
    /// Scored sessions left out because none of their tracks has a vector.
    public var sessionsWithoutTarget: Int
    /// The split, seeds, budget and leak status stated above the table.
    public var setup: EvaluationSetup?
    /// The metric that picks the overall best baseline (for headlines).
    public var significanceMetric: SessionMetric
    public var bestBaseline: String?
    public var models: [ModelResult]

    /// A named model's outcomes, one array per seed (one array for a model without training).
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

    public init(
        runs: [Run], ks: [Int], vocabulary: Vocabulary, setup: EvaluationSetup? = nil,
        sessionsWithoutTarget: Int = 0, significanceMetric: SessionMetric = .reciprocalRank19
    ) {
        self.ks = ks
        self.setup = setup
        self.sessionsWithoutTarget = sessionsWithoutTarget
        self.significanceMetric = significanceMetric
        seeds = runs.map(\.outcomesPerSeed.count).max() ?? 0
        sessions = runs.first?.outcomesPerSeed.first?.count ?? 0
        let names = Self.metricNames(ks: ks)
        metricNames = names
        let perSeedValues = runs.map { run in run.outcomesPerSeed.map { Self.values(RankingSummary($0, ks: ks), ks: ks) } }
        func meanOverSeeds(_ run: Int, _ metric: String) -> Double {
            SampleSummary(perSeedValues[run].compactMap { $0[metric] }.filter(\.isFinite)).mean
        }
        let baselines = runs.indices.filter { runs[$0].isBaseline }
        func best(_ metric: String) -> Int? {
            let lowerIsBetter = Self.lowerIsBetter(metric)
            return baselines.filter { meanOverSeeds($0, metric).isFinite }.max { a, b in
                lowerIsBetter ? meanOverSeeds(a, metric) > meanOverSeeds(b, metric) : meanOverSeeds(a, metric) < meanOverSeeds(b, metric)
            }
        }
        bestBaseline = best(significanceMetric.rawValue).map { runs[$0].name }
        let bestByMetric = Dictionary(uniqueKeysWithValues: names.compactMap { name in best(name).map { (name, $0) } })

        models = runs.indices.map { i in
            let run = runs[i]
            var metrics: [String: SampleSummary] = [:]
            var seedValues: [String: [Double]] = [:]
            for name in names {
                seedValues[name] = perSeedValues[i].compactMap { $0[name] }
                metrics[name] = SampleSummary((seedValues[name] ?? []).filter(\.isFinite))
            }
            var comparisons: [String: MetricComparison] = [:]
            if !run.isBaseline {
                for name in names {
                    guard let b = bestByMetric[name] else { continue }
                    comparisons[name] = Self.compare(run, perSeedValues[i], with: runs[b], perSeedValues[b], metric: name)
                }
            }
            return ModelResult(
                name: run.name, isBaseline: run.isBaseline, metrics: metrics, perSeedValues: seedValues,
                breakdown: Self.breakdown(run, ks: ks, vocabulary: vocabulary), versusBestBaseline: comparisons)
        }
    }

    /// The table's metric names: MRR@K, rank@K, pool and catalogue track ranking, then the mean
    /// cosine between prediction and target session (1 − CoSeRNN's training loss).
    static func metricNames(ks: [Int]) -> [String] {
        ks.map { "MRR@\($0)" } + ks.map { "rank@\($0)" }
            + ["pool MAP", "pool NDCG@10", "pool R@10", "pool R@50", "cat MAP", "cat NDCG@10", "cat R@10", "cat R@50", "cos"]
    }

    /// Mean ranks are better low; every other metric high.
    static func lowerIsBetter(_ metric: String) -> Bool { metric.hasPrefix("rank@") }

    static func values(_ s: RankingSummary, ks: [Int]) -> [String: Double] {
        var v: [String: Double] = [:]
        for k in ks {
            v["MRR@\(k)"] = s.mrr[k]
            v["rank@\(k)"] = s.meanRank[k]
        }
        v["pool MAP"] = s.pool.map
        v["pool NDCG@10"] = s.pool.ndcg10
        v["pool R@10"] = s.pool.recall10
        v["pool R@50"] = s.pool.recall50
        v["cat MAP"] = s.catalogue.map
        v["cat NDCG@10"] = s.catalogue.ndcg10
        v["cat R@10"] = s.catalogue.recall10
        v["cat R@50"] = s.catalogue.recall50
        v["cos"] = s.meanCosine
        return v
    }

    /// The value of a table metric for one session, or nil when it was not measured.
    static func value(_ o: SessionOutcome, metric: String) -> Double? {
        if metric.hasPrefix("MRR@"), let k = Int(metric.dropFirst(4)) { return o.sessionRanks[k].map { 1 / Double($0) } }
        if metric.hasPrefix("rank@"), let k = Int(metric.dropFirst(5)) { return o.sessionRanks[k].map(Double.init) }
        if metric == "cos" { return o.targetCosine }
        let scores = metric.hasPrefix("pool") ? o.pool : o.catalogue
        switch metric.split(separator: " ").last {
        case "MAP": return scores.averagePrecision
        case "NDCG@10": return scores.ndcg10
        case "R@10": return scores.recall10
        case "R@50": return scores.recall50
        default: return nil
        }
    }

    /// Per-session values of `metric` averaged over a run's seeds, keyed by user and session index.
    static func perSessionMeans(_ run: Run, metric: String) -> [Int64: Double] {
        var sums: [Int64: (Double, Int)] = [:]
        for outcomes in run.outcomesPerSeed {
            for o in outcomes {
                guard let v = value(o, metric: metric) else { continue }
                let key = Int64(o.user) << 32 | Int64(o.index)
                let old = sums[key] ?? (0, 0)
                sums[key] = (old.0 + v, old.1 + 1)
            }
        }
        return sums.mapValues { $0.0 / Double($0.1) }
    }

    static func compare(
        _ model: Run, _ modelSeeds: [[String: Double]], with baseline: Run, _ baselineSeeds: [[String: Double]],
        metric: String
    ) -> MetricComparison {
        let sign = lowerIsBetter(metric) ? -1.0 : 1.0
        let a = perSessionMeans(model, metric: metric), b = perSessionMeans(baseline, metric: metric)
        let keys = a.keys.filter { b[$0] != nil }.sorted()
        let test = PairedTTest(keys.compactMap { a[$0] }, keys.compactMap { b[$0] })
        let seedDifferences = modelSeeds.indices.compactMap { s -> Double? in
            guard let x = modelSeeds[s][metric], let y = baselineSeeds[min(s, baselineSeeds.count - 1)][metric],
                x.isFinite, y.isFinite
            else { return nil }
            return x - y
        }
        let perSeed = SampleSummary(seedDifferences)
        let sessionSE = test.t.isFinite && test.t != 0 ? abs(test.meanDifference / test.t) : 0
        let sessionWin = test.pairs >= 2 && sign * test.meanDifference > 2 * sessionSE
        let seedWin = perSeed.count < 2 || sign * perSeed.mean > 2 * perSeed.standardError
        return MetricComparison(
            baseline: baseline.name, perSession: test, perSeed: perSeed, beats: sessionWin && seedWin && sign * perSeed.mean > 0)
    }

    /// MRR@K₂, pool MAP and catalogue MAP per daypart and device, averaged over seeds.
    static func breakdown(_ run: Run, ks: [Int], vocabulary: Vocabulary) -> [String: [String: [String: Double]]] {
        let kept = ["MRR@\(ks.count > 1 ? ks[1] : ks[0])", "cat MAP", "pool MAP"]
        var breakdown: [String: [String: [String: Double]]] = [:]
        for dimension in [ContextDimension.daypart, .device] {
            var perSeed: [[String: [String: Double]]] = []
            for outcomes in run.outcomesPerSeed {
                var groups: [String: [SessionOutcome]] = [:]
                for outcome in outcomes {
                    let name = dimension.value(outcome.context).map { dimension.name($0, vocabulary: vocabulary) } ?? "unknown"
                    groups[name, default: []].append(outcome)
                }
                perSeed.append(
                    groups.mapValues { group in
                        var row = values(RankingSummary(group, ks: ks), ks: ks).filter { kept.contains($0.key) }
                        row["sessions"] = Double(group.count)
                        return row
                    })
            }
            var merged: [String: [String: Double]] = [:]
            for name in Set(perSeed.flatMap(\.keys)) {
                var row: [String: Double] = [:]
                for metric in kept + ["sessions"] {
                    row[metric] = SampleSummary(perSeed.compactMap { $0[name]?[metric] }.filter(\.isFinite)).mean
                }
                merged[name] = row
            }
            breakdown[dimension.rawValue] = merged
        }
        return breakdown
    }

    /// Relative improvement of `model` over `baseline` on a metric (higher is better).
    public func relativeGain(of model: String, over baseline: String, metric: String) -> Double? {
        guard let a = models.first(where: { $0.name == model })?.metrics[metric]?.mean,
            let b = models.first(where: { $0.name == baseline })?.metrics[metric]?.mean, b != 0
        else { return nil }
        return (a - b) / abs(b)
    }
}

extension ModelComparison {
    /// The comparison as Markdown: the setup, the main table, the paired tests and the per-context breakdown.
    public func markdown(title: String = "Session and track ranking") -> String {
        let headlineK = ks.count > 1 ? ks[1] : ks[0]
        let shown = metricNames.filter { !$0.hasPrefix("rank@") || $0 == "rank@\(headlineK)" }
        var lines = ["## \(title)", ""]
        if let setup { lines += setup.markdownLines + [""] }
        lines.append(
            "\(sessions) test sessions scored (\(sessionsWithoutTarget) left out: none of their tracks has a vector); "
                + "mean ± std over \(seeds) seed\(seeds == 1 ? "" : "s"). Ties count against the model. `cat` ranks the full catalogue, "
                + "`pool` the tracks of the current and previous sessions.")
        lines.append("")
        lines.append("| model | " + shown.joined(separator: " | ") + " |")
        lines.append("|---|" + shown.map { _ in "---:" }.joined(separator: "|") + "|")
        for model in models {
            let cells = shown.map { name -> String in
                guard let s = model.metrics[name], s.count > 0 else { return "n/a" }
                let text = s.format(digits: name.hasPrefix("rank@") ? 2 : 4)
                return model.versusBestBaseline[name]?.beats == true ? text + " ▲" : text
            }
            lines.append("| \(model.isBaseline ? model.name : "**\(model.name)**") | " + cells.joined(separator: " | ") + " |")
        }
        lines += [
            "",
            "▲: better than the best baseline on that metric by more than twice the standard error of the paired difference, "
                + "both per session (seeds averaged) and per seed.", "",
        ]
        let tested = models.filter { !$0.isBaseline }
        if !tested.isEmpty {
            lines += [
                "Paired comparisons with the best baseline of each metric (difference = model − baseline; for rank lower is better):", "",
            ]
            lines.append(
                "| model | metric | best baseline | per-session difference ± SE | t | p | per-seed difference (mean ± std) | beats |")
            lines.append("|---|---|---|---:|---:|---:|---:|:---:|")
            for model in tested {
                for name in shown {
                    guard let c = model.versusBestBaseline[name] else { continue }
                    let se = c.perSession.t.isFinite && c.perSession.t != 0 ? abs(c.perSession.meanDifference / c.perSession.t) : 0
                    let p = c.perSession.pValue < 1e-4 ? "< 0.0001" : SampleSummary.fixed(c.perSession.pValue, 4)
                    lines.append(
                        "| \(model.name) | \(name) | \(c.baseline) | \(SampleSummary.fixed(c.perSession.meanDifference, 4)) ± "
                            + "\(SampleSummary.fixed(se, 4)) | \(SampleSummary.fixed(c.perSession.t, 2)) | \(p) | "
                            + "\(c.perSeed.format(digits: 4)) | \(c.beats ? "yes" : "no") |")
                }
            }
        }
        let breakdownMetric = "MRR@\(headlineK)"
        for dimension in ["daypart", "device"] {
            let contexts = Set(models.flatMap { ($0.breakdown[dimension] ?? [:]).keys }).sorted()
            guard !contexts.isEmpty else { continue }
            lines += ["", "\(breakdownMetric) by \(dimension) (mean over seeds):", ""]
            lines.append("| model | " + contexts.joined(separator: " | ") + " |")
            lines.append("|---|" + contexts.map { _ in "---:" }.joined(separator: "|") + "|")
            for model in models {
                let cells = contexts.map { c in model.breakdown[dimension]?[c]?[breakdownMetric].map { SampleSummary.fixed($0, 4) } ?? "n/a"
                }
                lines.append("| \(model.name) | " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as pretty-printed JSON.
    public func json() throws -> Data {
        try ResultJSON.encode(self)
    }
}

/// The JSON encoding every result file uses: pretty, sorted keys, non-finite numbers as strings.
public enum ResultJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        try StableJSON.encoder(pretty: true).encode(value)
    }
}
