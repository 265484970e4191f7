import Listening
import UserModels

/// The FS-VAE paper's evaluation: predict every play of each user's held-out sessions from the
/// plays before it, and measure the distance to and the catalogue rank of the true track.
public enum NextTrackEvaluation {
    /// Evaluates `model` on the `part` sessions of every user in `users` (each in time order).
    ///
    /// Every play of those sessions whose track has a vector is a target, predicted from all
    /// earlier plays of the user; plays of tracks without a vector are counted, not scored.
    /// With `rankCatalogue`, the true track is ranked among all `tracks` by cosine to the
    /// prediction (one BLAS product per user), or by the model's own scores when it has them
    /// (`CatalogueScoring`); otherwise only distances are computed.
    public static func evaluate(
        _ model: some NextTrackPredictor, users: [[Session]], tracks: TrackVectors,
        split: TimeSplit = TimeSplit(), part: SplitPart = .test, rankCatalogue: Bool = true
    ) -> NextTrackMetrics {
        precondition(model.dimension == tracks.dimension, "model and track space dimensions differ")
        var accumulator = NextTrackAccumulator()
        for sessions in users {
            let targets = split.range(part, of: sessions)
            guard !targets.isEmpty else { continue }
            let predictions = model.predictNextTracks(sessions: sessions, targets: targets)
            let plays = sessions[targets].flatMap(\.plays)
            precondition(
                predictions.count == plays.count, "\(model.name) returned \(predictions.count) predictions for \(plays.count) plays")
            // A model with its own catalogue scores (VAE-CF) is ranked by them, others by cosine to their vector.
            let scorer = model as? CatalogueScoring
            let scores =
                rankCatalogue
                ? (scorer.map { $0.nextTrackCatalogueScores(sessions: sessions, targets: targets) }
                    ?? tracks.dotProducts(predictions)) : []
            scores.withUnsafeBufferPointer { all in
                for (i, play) in plays.enumerated() {
                    guard tracks.hasVector(play.track) else {
                        accumulator.exclude()
                        continue
                    }
                    var rank: Int?
                    if rankCatalogue {
                        let row = UnsafeBufferPointer(rebasing: all[(i * tracks.count)..<((i + 1) * tracks.count)])
                        rank = NextTrackMetrics.rank(of: Int(play.track), scores: row)
                    }
                    accumulator.add(prediction: predictions[i], target: tracks.vector(play.track), rank: rank)
                }
            }
        }
        return accumulator.metrics
    }
}
