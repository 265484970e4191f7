import ArgumentParser
import Evaluation
import Foundation
import Listening
import UserModels

/// `setlist analyze`: the papers' exploratory analyses as tables and terminal plots.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract:
            "The papers' analyses (context diversity, same-context heatmap, skips vs similarity, representation movement) and a model's response to context edits.",
        discussion: """
            diversity: cosine similarity of pairs of distinct tracks pooled over all sessions of a context value (boxplots)

            heatmap: P(context of a session's most similar other session | its context) minus random pairing

            skips: Pearson r and slope of skip rate on cosine(user, session), by minimum skip rate; user = mean of all previous session embeddings, session embedding = mean of all its tracks

            movement: how far user representations move after 1 and 7 time steps (plays for next-track models, sessions for session-level ones): L2 on the raw representation and cosine distance; FS-VAE (if trained: prediction and latent mean) against Average

            context-response: for sampled users' first test session, each context field set to each value: how far --model's prediction moves (cosine), how much of its top-k stays, and the lift of the value's target group (planted cluster, or artist on real logs) in the top-k; the Context average is shown beside it for scale

            posterior-spread: the trained FS-VAE's posterior samples at each user's last session start: their spread (1 − mean pairwise cosine) and its Spearman correlation with the number of earlier sessions

            Definitions and the papers' wording: Docs/analyses.md. Track vectors are the workspace's 40-d embeddings (`setlist embed`).
            """)

    enum Analysis: String, ExpressibleByArgument, CaseIterable {
        case diversity, heatmap, skips, movement
        case contextResponse = "context-response"
        case posteriorSpread = "posterior-spread"
    }

    @Argument(help: "diversity, heatmap, skips, movement, context-response or posterior-spread.") var analysis: Analysis
    @OptionGroup var workspaceOption: WorkspaceOption
    @Option(help: "Context field for diversity and heatmap: daypart, device, source (default: all that apply).")
    var dimension: ContextDimension?
    @Option(help: "Sampled track pairs per context value (diversity).") var pairs = 20_000
    @Option(help: "Model for context-response: \(ModelChoice.names).") var model: ModelChoice = .cosernn
    @Option(help: "Sampled users (context-response).") var users = 100
    @Option(name: .shortAndLong, help: "Top-k size (context-response).") var k = 50
    @Option(help: "Seed of the user sample (context-response).") var seed: UInt64 = 42
    @Flag(help: "Print the numbers as JSON.") var json = false
    @Flag(help: "Print the numbers as CSV.") var csv = false
    @Flag(help: "Plain ASCII plots.") var ascii = false

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
        if analysis == .heatmap, dimension == .source { throw ValidationError("the heatmap covers daypart and device") }
        guard (1...10_000_000).contains(pairs) else { throw ValidationError("--pairs must be between 1 and 10000000") }
        guard (1...100_000).contains(users) else { throw ValidationError("--users must be between 1 and 100000") }
        guard (1...10_000).contains(k) else { throw ValidationError("-k must be between 1 and 10000") }
        if analysis == .contextResponse || analysis == .posteriorSpread, csv {
            throw ValidationError("\(analysis.rawValue) prints text or --json")
        }
    }

    func run() throws {
        let context = try WorkspaceContext(path: workspaceOption.path)
        let tracks = try context.tracks(dimension: 40)
        let plot = TextPlot(unicode: !ascii && NcursesTerminal.localeIsUTF8())
        switch analysis {
        case .diversity:
            let dimensions = dimension.map { [$0] } ?? ContextDimension.allCases
            let results = dimensions.map {
                ContextDiversity(
                    sessions: context.users.flatMap { $0 }, tracks: tracks, vocabulary: context.vocabulary, dimension: $0,
                    pairsPerValue: pairs)
            }
            if json { return try Self.printJSON(results) }
            if csv {
                print("dimension,value,sessions,plays,distinct_track_pairs,pairs,mean,lower_whisker,q1,median,q3,upper_whisker")
                for r in results {
                    for row in r.rows {
                        let b = row.similarity
                        print(
                            "\(r.dimension.rawValue),\(row.name),\(row.sessions),\(row.plays),\(row.distinctTrackPairs),\(row.pairsSampled),\(b.mean),\(b.lowerWhisker),\(b.lowerQuartile),\(b.median),\(b.upperQuartile),\(b.upperWhisker)"
                        )
                    }
                }
                return
            }
            for r in results where !r.rows.isEmpty {
                print(
                    "Context diversity by \(r.dimension.rawValue): cosine similarity of pairs of distinct tracks pooled over all sessions of the value (lower = more diverse), up to \(r.pairsPerValue) pairs per value"
                )
                let low = min(r.rows.map(\.similarity.lowerWhisker).min() ?? 0, 0)
                for line in plot.boxplots(r.rows.map { (label: $0.name, box: $0.similarity) }, range: low...1, width: 50) { print(line) }
                for row in r.rows {
                    print(
                        "  \(row.name): median \(SampleSummary.fixed(row.similarity.median, 3)), IQR \(SampleSummary.fixed(row.similarity.lowerQuartile, 3))–\(SampleSummary.fixed(row.similarity.upperQuartile, 3)), \(row.sessions) sessions, \(row.plays) plays, \(row.pairsSampled) pairs"
                    )
                }
                print("")
            }
        case .heatmap:
            let dimensions = dimension.map { [$0] } ?? [.daypart, .device]
            let results = dimensions.map {
                SameContextHeatmap(users: context.users, tracks: tracks, vocabulary: context.vocabulary, dimension: $0)
            }
            if json { return try Self.printJSON(results) }
            if csv {
                print("dimension,source,target,observed,expected,excess")
                for r in results {
                    for (i, a) in r.names.enumerated() {
                        for (j, b) in r.names.enumerated() {
                            print("\(r.dimension.rawValue),\(a),\(b),\(r.observed[i][j]),\(r.expected[i][j]),\(r.excess[i][j])")
                        }
                    }
                }
                return
            }
            for r in results where !r.values.isEmpty {
                print(
                    "Same-context heatmap by \(r.dimension.rawValue): P(nearest session's context | context) − random pairing (rows: session, columns: its nearest)"
                )
                for line in plot.heatmap(rowLabels: r.names, columnLabels: r.names, values: r.excess, cellWidth: 15) { print(line) }
                print("mean diagonal excess \(SampleSummary.fixed(r.meanDiagonalExcess, 3)) over \(r.rowCounts.reduce(0, +)) sessions\n")
            }
        case .skips:
            let result = SkipSimilarity(users: context.users, tracks: tracks)
            if json { return try Self.printJSON(result) }
            if csv {
                print("minimum_skip_rate,sessions,pearson,slope,mean_skip_rate")
                for row in result.rows { print("\(row.minimumSkipRate),\(row.sessions),\(row.pearson),\(row.slope),\(row.meanSkipRate)") }
                return
            }
            guard result.rows.first.map({ $0.sessions > 0 }) ?? false else {
                print("No sessions with known skips in \(context.path): this log has no skip information.")
                return
            }
            print("Skip rate vs cosine(user, session): user = mean of all previous session embeddings")
            print("min skip rate  sessions  Pearson r    slope")
            for row in result.rows {
                print(String(format: "%13.1f  %8d  %9.3f  %7.3f", row.minimumSkipRate, row.sessions, row.pearson, row.slope))
            }
            for line in plot.scatter(
                result.points.map { (x: $0[0], y: $0[1]) }, width: 60, height: 14, xLabel: "cosine(user, session)", yLabel: "skip rate")
            {
                print(line)
            }
        case .contextResponse:
            let entry = try model.entry(in: context)
            let dimensions = dimension.map { [$0] } ?? ContextDimension.allCases
            func response(_ model: UserModel) throws -> ContextResponse {
                try ContextResponse(
                    model: model, tracks: entry.tracks, users: context.users, vocabulary: context.vocabulary,
                    dimensions: dimensions, sampleUsers: users, k: k, seed: seed)
            }
            let result = try response(entry.model)
            let reference = model == .contextAverage ? nil : try response(ContextAverageBaseline(tracks: entry.tracks))
            if json { return try Self.printJSON([result] + (reference.map { [$0] } ?? [])) }
            for line in result.report(reference: reference) { print(line) }
        case .posteriorSpread:
            guard let fsvae = try context.trainedModel(.fsvae), let sampling = fsvae.model as? FSVAEUserModel else {
                throw CommandError("no trained FS-VAE: run `setlist train fsvae` first")
            }
            let result = PosteriorSpread(model: sampling, users: context.users)
            if json { return try Self.printJSON(result) }
            for line in result.report(model: sampling.name) { print(line) }
        case .movement:
            var models: [UserModel] = []
            let fsvae = try context.trainedModel(.fsvae)
            if let fsvae {
                models.append(fsvae.model)
            } else {
                FileHandle.standardError.write(
                    Data("note: no trained FS-VAE (run `setlist train fsvae`); showing Average and Last session only\n".utf8))
            }
            let averageTracks = try context.tracks(dimension: fsvae?.tracks.dimension ?? 40)
            models.append(AverageBaseline(tracks: averageTracks))
            if models.count == 1 { models.append(LastSessionBaseline(tracks: averageTracks)) }
            let result = RepresentationMovement(models: models, users: context.users)
            if json { return try Self.printJSON(result) }
            if csv {
                print("model,representation,unit,steps,measure,count,mean,lower_whisker,q1,median,q3,upper_whisker")
                for row in result.rows {
                    for (measure, b) in [("l2", row.l2), ("cosine", row.cosineDistance)] {
                        print(
                            "\(row.model),\(row.representation),\(row.unit.rawValue),\(row.steps),\(measure),\(b.count),\(b.mean),\(b.lowerWhisker),\(b.lowerQuartile),\(b.median),\(b.upperQuartile),\(b.upperWhisker)"
                        )
                    }
                }
                return
            }
            print(
                "How far user representations move after 1 and 7 time steps (a step is a play for next-track models, a session for session-level ones)"
            )
            print("L2 between raw (unnormalised) representations; each representation on its own scale")
            for row in result.rows {
                print(
                    "  \(row.model), \(row.representation), after \(row.steps) \(row.steps == 1 ? String(row.unit.rawValue.dropLast()) : row.unit.rawValue): median L2 \(SampleSummary.fixed(row.l2.median, 3)), median cosine distance \(SampleSummary.fixed(row.cosineDistance.median, 3)) (n = \(row.l2.count))"
                )
            }
            // One plot per representation, as their L2 scales differ.
            var seen: [String] = []
            for row in result.rows where !seen.contains(row.model + row.representation) {
                seen.append(row.model + row.representation)
                let group = result.rows.filter { $0.model == row.model && $0.representation == row.representation }
                let high = max(group.map(\.l2.upperWhisker).filter(\.isFinite).max() ?? 1, 1e-6)
                print("\(row.model), \(row.representation): L2 per \(row.unit.rawValue.dropLast())")
                for line in plot.boxplots(
                    group.map {
                        (label: "+\($0.steps) \($0.steps == 1 ? String($0.unit.rawValue.dropLast()) : $0.unit.rawValue)", box: $0.l2)
                    }, range: 0...high, width: 50)
                { print(line) }
            }
        }
    }

    static func printJSON(_ value: some Encodable) throws {
        print(try StableJSON.text(value, pretty: true))
    }
}

extension ContextDimension: ExpressibleByArgument {}
