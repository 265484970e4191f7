import Listening

extension TrackEmbeddings {
    /// The split whose training sessions the vectors were fitted on, or nil when unknown.
    ///
    /// Unknown means imported vectors, or a track space trained before splits were recorded:
    /// either may have seen any session, so evaluation treats it as having seen all of them.
    public var trainingSplit: TimeSplit? {
        metadata["split"].flatMap(TimeSplit.init(json:))
    }

    /// Records that the vectors were fitted on the training part of `split` (`sessions` sessions).
    public mutating func recordTraining(split: TimeSplit, sessions: Int) {
        metadata["split"] = split.json
        metadata["split_description"] = split.description
        metadata["training_sessions"] = String(sessions)
    }

    /// Measures the space's health and stores it in the metadata (`mean_pairwise_cosine`), for `setlist info`.
    @discardableResult
    public mutating func recordHealth() -> TrackSpaceHealth {
        let health = health()
        metadata["mean_pairwise_cosine"] = String(health.meanPairwiseCosine)
        return health
    }

    /// The mean pairwise cosine recorded when the space was saved, if it was.
    public var recordedMeanPairwiseCosine: Double? { metadata["mean_pairwise_cosine"].flatMap(Double.init) }
}
