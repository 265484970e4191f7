import Foundation
import Listening
import UserModels

/// The FS-VAE evaluation as written to Markdown and JSON: setup, Tables 1 and 2, and their sizes.
public struct NextTrackReport: Sendable, Encodable {
    public var workspace: String
    public var users: Int
    public var testPlays: Int
    /// Catalogue tracks ranked, and how many of them have a vector (the rest score 0).
    public var catalogue: Int
    public var tracksWithVector: Int
    public var dimension: Int
    public var setup: EvaluationSetup
    public var config: FSVAEConfig
    public var table1: NextTrackTable.Summary
    public var table2: NextTrackTable.Summary
    /// The tables themselves, for Markdown.
    let tables: (NextTrackTable, NextTrackTable)

    public init(
        workspace: String, users: Int, tracks: TrackVectors, setup: EvaluationSetup, config: FSVAEConfig,
        tables: (baselines: NextTrackTable, ablations: NextTrackTable)
    ) {
        self.workspace = workspace
        self.users = users
        testPlays = tables.baselines.rows.first?.runs.first?.count ?? 0
        catalogue = tracks.count
        tracksWithVector = tracks.trained.reduce(0) { $0 + ($1 ? 1 : 0) }
        dimension = tracks.dimension
        self.setup = setup
        self.config = config
        table1 = tables.baselines.summary
        table2 = tables.ablations.summary
        self.tables = tables
    }

    private enum CodingKeys: String, CodingKey {
        case workspace, users, testPlays, catalogue, tracksWithVector, dimension, setup, config, table1, table2
    }

    /// The report as Markdown: title, setup, both tables.
    public var markdown: String {
        let sizes =
            "\(testPlays) test plays of \(users) users, each predicted from the plays before it; the rank is over the "
            + "\(catalogue) catalogue tracks (\(tracksWithVector) with a \(dimension)-d vector, the others score 0), ties against the model."
        var lines = ["## FS-VAE: next-track prediction on \(workspace)", ""]
        lines += setup.markdownLines
        lines += ["", sizes, "", tables.0.markdown(), "", tables.1.markdown(), ""]
        return lines.joined(separator: "\n")
    }

    /// The report as pretty-printed JSON.
    public func json() throws -> Data { try ResultJSON.encode(self) }
}
