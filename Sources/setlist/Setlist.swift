import ArgumentParser

@main
struct Setlist: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setlist",
        abstract: "Contextual and sequential user embeddings for music recommendation.",
        discussion: """
            A workspace is a folder holding an SQLite database of tracks, users, sessions and plays (open it with sqlite3, pandas or DuckDB), plus model files. Start with synthetic data:

              setlist generate --workspace ws         # seeded synthetic listening logs
              setlist info --workspace ws             # what is in it

            or import real logs (format detected from the header, or given with --format):

              setlist import listens.tsv --workspace ws
            """,
        subcommands: [GenerateCommand.self, ImportCommand.self, InfoCommand.self, EmbedCommand.self, NeighboursCommand.self, TrainCommand.self, EvaluateCommand.self, RecommendCommand.self, AnalyzeCommand.self, ExploreCommand.self, BenchCommand.self])
}
