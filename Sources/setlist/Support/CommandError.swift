/// A command's failure that is not about argument syntax: printed as one "Error: …" line, without usage.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
