/// One model's next-track metrics over several seeds (one `NextTrackMetrics` per run).
public struct NextTrackResult: Sendable, Codable, Equatable {
    /// Model name, the table's first column.
    public var name: String
    /// One entry per seed.
    public var runs: [NextTrackMetrics]

    public init(name: String, runs: [NextTrackMetrics]) {
        self.name = name
        self.runs = runs
    }

    /// Mean ± std over seeds of the L2 distance of the unit-normalised prediction.
    public var l2Distance: SampleSummary { SampleSummary(runs.map(\.l2Distance)) }
    /// Mean ± std over seeds of the L2 distance of the prediction as output.
    public var rawL2Distance: SampleSummary { SampleSummary(runs.map(\.rawL2Distance)) }
    /// Mean ± std over seeds of the cosine distance.
    public var cosineDistance: SampleSummary { SampleSummary(runs.map(\.cosineDistance)) }
    /// Mean ± std over seeds of the mean rank, nil unless every run was ranked.
    public var meanRank: SampleSummary? { summary(\.meanRank) }
    /// Mean ± std over seeds of the MRR, nil unless every run was ranked.
    public var reciprocalRank: SampleSummary? { summary(\.reciprocalRank) }
    /// Mean ± std over seeds of Recall@10, nil unless every run was ranked.
    public var recallAt10: SampleSummary? { summary(\.recallAt10) }

    func summary(_ key: KeyPath<NextTrackMetrics, Double?>) -> SampleSummary? {
        let values = runs.compactMap { $0[keyPath: key] }
        return values.count == runs.count && !values.isEmpty ? SampleSummary(values) : nil
    }
}

/// A table in the layout of the FS-VAE paper's Tables 1 (baselines) and 2 (ablations):
/// one row per model, L2 (of the unit-normalised prediction) and cosine distance to the next
/// track (lower is better), then the next track's catalogue ranking, and the L2 distance of the
/// raw prediction as an extra column; every cell is mean ± std over seeds.
public struct NextTrackTable: Sendable, Codable, Equatable {
    /// Caption printed above the table.
    public var title: String
    /// Rows in display order.
    public var rows: [NextTrackResult]

    public init(title: String, rows: [NextTrackResult]) {
        self.title = title
        self.rows = rows
    }

    /// The table as GitHub Markdown; the ranking columns appear when every row was ranked.
    public func markdown(digits: Int = 4) -> String {
        let ranked = rows.allSatisfy { $0.meanRank != nil }
        var header = ["Model", "L2 distance ↓", "Cosine distance ↓"]
        if ranked { header += ["Mean rank ↓", "MRR ↑", "Recall@10 ↑"] }
        header.append("raw L2")
        var lines = ["**\(title)**", ""]
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|")
        for row in rows {
            var cells = [row.name, row.l2Distance.format(digits: digits), row.cosineDistance.format(digits: digits)]
            if ranked {
                cells.append(row.meanRank?.format(digits: 1) ?? "")
                cells.append(row.reciprocalRank?.format(digits: digits) ?? "")
                cells.append(row.recallAt10?.format(digits: digits) ?? "")
            }
            cells.append(row.rawL2Distance.format(digits: digits))
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        let counts = Set(rows.map(\.runs.count))
        let seeds = counts.max() ?? 0
        lines.append("")
        lines.append(
            counts.count <= 1
                ? "Mean ± std over \(seeds) seed(s)."
                : "Mean ± std over \(seeds) seeds; rows with one run (baselines without training) are the same for every seed.")
        if let first = rows.first?.runs.first {
            lines.append(
                "\(first.count) plays scored; \(first.excludedTargets) plays of tracks without a vector are left out of scoring and training. "
                    + "L2 is measured on the unit-normalised prediction (raw L2: as output).")
        }
        return lines.joined(separator: "\n")
    }
}

extension NextTrackTable {
    /// One row as written to JSON: the mean ± std of every column over seeds, then the per-seed runs.
    public struct RowSummary: Sendable, Encodable {
        public var name: String
        public var l2Distance: SampleSummary
        public var rawL2Distance: SampleSummary
        public var cosineDistance: SampleSummary
        public var meanRank: SampleSummary?
        public var reciprocalRank: SampleSummary?
        public var recallAt10: SampleSummary?
        public var runs: [NextTrackMetrics]
    }

    /// The table as written to JSON: its title and one summary per row.
    public struct Summary: Sendable, Encodable {
        public var title: String
        public var rows: [RowSummary]
    }

    /// The table's rows summarised over seeds, for JSON output.
    public var summary: Summary {
        Summary(
            title: title,
            rows: rows.map {
                RowSummary(
                    name: $0.name, l2Distance: $0.l2Distance, rawL2Distance: $0.rawL2Distance, cosineDistance: $0.cosineDistance,
                    meanRank: $0.meanRank,
                    reciprocalRank: $0.reciprocalRank, recallAt10: $0.recallAt10, runs: $0.runs)
            })
    }
}
