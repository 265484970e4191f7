import ArgumentParser
import Listening

/// The `--split` options shared by `embed`, `train` and `evaluate`: which sessions are training, validation and test.
struct SplitOption: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case perUser = "per-user"
        case global

        var specificationKind: TimeSplit.Specification.Kind { self == .perUser ? .perUser : .global }
    }

    @Option(
        help: ArgumentHelp(
            "per-user: each user's last sessions are validation and test. global: one calendar cut for every user.",
            valueName: "per-user|global"))
    var split: Kind = .perUser
    @Option(help: "Per-user split: share of each user's sessions held out for validation.") var validationShare = 0.1
    @Option(help: "Per-user split: share of each user's sessions held out for test.") var testShare = 0.1
    @Option(
        help: ArgumentHelp(
            "Global split: where validation begins, a UTC date (YYYY-MM-DD) or a quantile of all session start times.",
            valueName: "date|quantile"))
    var validationCut = "0.8"
    @Option(
        help: ArgumentHelp(
            "Global split: where test begins, a UTC date (YYYY-MM-DD) or a quantile of all session start times.",
            valueName: "date|quantile"))
    var testCut = "0.9"

    func validate() throws {
        do {
            try specification().validate()
        } catch let error as ListeningError {
            throw ValidationError(error.description)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// The split as stated, before quantiles are resolved against the workspace's sessions.
    func specification() throws -> TimeSplit.Specification {
        TimeSplit.Specification(
            kind: split.specificationKind, validationShare: validationShare, testShare: testShare,
            validationCut: try .init(parsing: validationCut), testCut: try .init(parsing: testCut))
    }
}
