import ArgumentParser

@main
struct Setlist: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setlist",
        abstract: "Contextual and sequential user embeddings for music recommendation.")
}
