import ArgumentParser
@preconcurrency import CNcursesw
import Foundation
import Tensor

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
        subcommands: [
            GenerateCommand.self, ImportCommand.self, InfoCommand.self, EmbedCommand.self, NeighboursCommand.self, TrainCommand.self,
            EvaluateCommand.self, RecommendCommand.self, AnalyzeCommand.self, ExploreCommand.self, BenchCommand.self,
        ])

    /// Parses and runs the command, first restarting with faster BLAS kernels when OpenBLAS chose generic ones.
    static func main() {
        // A parent's blocked SIGHUP, SIGTERM or SIGINT must not outlive it in a long training or the explorer.
        setlist_unblock_terminal_signals()
        restartWithFasterBLASKernels()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: ErrorAdvice.advised(error))
        }
    }

    /// Re-executes this process with `OPENBLAS_CORETYPE` set when OpenBLAS picked generic kernels on a
    /// CPU with AVX2 or AVX-512 (common on virtual machines); an explicit `OPENBLAS_CORETYPE` is left alone.
    static func restartWithFasterBLASKernels() {
        let marker = "SETLIST_BLAS_RESTARTED"
        guard getenv("OPENBLAS_CORETYPE") == nil, getenv(marker) == nil,
            let kernel = BLASKernel.better(than: BLASKernel.current, flags: BLASKernel.cpuFlags())
        else { return }
        setenv("OPENBLAS_CORETYPE", kernel, 1)
        setenv(marker, "1", 1)
        // The resolved path, not /proc/self/exe, so `ps` and `top` still say "setlist".
        guard let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) else { return }
        // execv returns only on failure; the process then goes on with the kernels it has.
        execv(executable, CommandLine.unsafeArgv)
    }
}
