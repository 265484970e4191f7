import Listening
import UserModels

/// What every evaluation table states above its numbers: the split, the seeds, the training budget and the leak status.
public struct EvaluationSetup: Sendable, Codable, Equatable {
    /// The split in words.
    public var split: String
    /// The seeds every trained model ran with.
    public var seeds: [UInt64]
    /// The training budget in words, the same for every trained model.
    public var budget: String
    /// Whether the track space saw scored sessions, and how many.
    public var leak: LeakCheck?
    /// Set when the caller overrode the leak refusal.
    public var leakAllowed: Bool

    public init(split: TimeSplit, seeds: [UInt64], budget: String, leak: LeakCheck? = nil, leakAllowed: Bool = false) {
        self.split = split.description
        self.seeds = seeds
        self.budget = budget
        self.leak = leak
        self.leakAllowed = leakAllowed
    }

    /// The budget of trained models under `options`, in words.
    public static func budget(_ options: TrainingOptions) -> String {
        "every trained model gets at most \(options.maxEpochs) epochs (batch \(options.batchSize), Adam \(options.learningRate)) "
            + "and stops after \(options.patience) epochs without a better validation loss, keeping its best epoch"
    }

    /// The header lines of a Markdown table.
    public var markdownLines: [String] {
        var lines = [
            "- Split: \(split). Everything fitted from data (track vectors, popularity, models, normalisations) saw the training part only\(leakClause).",
            "- Seeds: \(seeds.map(String.init).joined(separator: ", ")) (\(seeds.count)); cells are mean ± std over seeds, rows without training are the same for every seed.",
            "- Budget: \(budget).",
        ]
        if let leak, !leak.isClean {
            lines.insert("- **LEAK (--allow-leak)**: \(leak.summary). These numbers are optimistic.", at: 0)
        }
        return lines
    }

    var leakClause: String {
        guard let leak else { return "" }
        return leak.isClean
            ? "; the track space was checked: no validation or test session reached it" : ", except the track space (see LEAK)"
    }
}
