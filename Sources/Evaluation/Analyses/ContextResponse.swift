import Listening
import Randomness
import UserModels

/// How a model's prediction responds when one context field of a session is edited.
///
/// For sampled users, each user's first test session is predicted from the sessions before it,
/// once in its own context and once with each value of each context field. The analysis reports
/// how far the prediction moves (cosine), how much the top-k keeps (overlap), and, where tracks
/// have groups (a generated workspace's planted clusters, or a real log's artists), the lift of
/// the value's target group: the group whose share of training plays rises most in that value.
/// Docs/analyses.md defines each measure.
public struct ContextResponse: Sendable, Codable {
    /// How tracks are grouped for the target lift and the gained/lost lists.
    public enum Grouping: String, Sendable, Codable {
        /// A generated workspace: the generator's planted clusters.
        case plantedCluster = "planted cluster"
        /// A real log with artist names.
        case artist
        /// No grouping: the log has no artists.
        case none
    }

    /// A group and how many top-k tracks of it entered or left, summed over users.
    public struct GroupCount: Sendable, Codable, Equatable {
        public let group: String
        public let tracks: Int
    }

    /// One value of one context field.
    public struct ValueRow: Sendable, Codable {
        public let dimension: ContextDimension
        public let value: String
        /// Users whose own session has another value, so the edit changes the context.
        public let editedUsers: Int
        /// Mean cosine between the prediction in the session's own context and with this value.
        public let meanCosine: Double
        /// Mean share of the own-context top-k that stays in the top-k with this value.
        public let meanOverlap: Double
        /// The group whose share of training plays rises most in this value, if tracks have groups.
        public let targetGroup: String?
        /// Mean over users of (target share in the top-k with this value) − (mean over the other values).
        public let meanLift: Double?
        /// Share of users with a positive lift.
        public let positiveLiftShare: Double?
        /// Groups that gained and lost the most top-k tracks, against the own context.
        public let gained: [GroupCount]
        public let lost: [GroupCount]
    }

    /// One context field over all its values.
    public struct FieldSummary: Sendable, Codable {
        public let dimension: ContextDimension
        public let values: Int
        public let meanCosine: Double
        public let meanOverlap: Double
        /// Mean lift over all (user, value) pairs.
        public let meanLift: Double?
        /// Share of (user, value) pairs with a positive lift.
        public let positiveLiftShare: Double?
        /// Share of (user, value) pairs with a negative lift (the rest are ties, often no target track either way).
        public let negativeLiftShare: Double?
        /// Number of (user, value) pairs behind the lift.
        public let liftPairs: Int
    }

    public let model: String
    public let users: Int
    public let k: Int
    public let grouping: Grouping
    public let rows: [ValueRow]
    public let fields: [FieldSummary]

    /// Edits each context field of `dimensions` for up to `sampleUsers` users (seeded sample).
    ///
    /// Throws `ConfigurationError` for a non-positive sample or k, or a model of another dimension.
    ///
    /// Values seen in fewer than `minimumSessions` training sessions are skipped, and so is a
    /// field with fewer than two values. Target groups come from training sessions only.
    public init(
        model: UserModel, tracks: TrackVectors, users: [[Session]], vocabulary: Vocabulary,
        dimensions: [ContextDimension] = ContextDimension.allCases, sampleUsers: Int = 50, k: Int = 50,
        split: TimeSplit = TimeSplit(), minimumSessions: Int = 20, seed: UInt64 = 42
    ) throws {
        let subject = "context-response analysis"
        try ConfigurationError.require(sampleUsers > 0, subject, field: "sampleUsers", allowed: "≥ 1", value: sampleUsers)
        try ConfigurationError.require(k > 0, subject, field: "k", allowed: "≥ 1", value: k)
        try ConfigurationError.require(minimumSessions >= 0, subject, field: "minimumSessions", allowed: "≥ 0", value: minimumSessions)
        try ConfigurationError.require(
            model.dimension == tracks.dimension, subject, field: "model dimension", allowed: "the track space's \(tracks.dimension)",
            value: model.dimension)
        self.model = model.name
        self.k = k
        let groups = TrackGroups(vocabulary: vocabulary, trackCount: tracks.count)
        grouping = groups.grouping
        let training = split.trainingSessions(of: users)

        // Each sampled user's first test session, with a non-empty history.
        var candidates: [(user: Int, session: Int)] = users.indices.compactMap { user in
            let sessions = users[user]
            let first = split.range(.test, of: sessions).lowerBound
            return first > 0 && first < sessions.count ? (user, first) : nil
        }
        var random = SplitMix64(seed: seed)
        candidates.shuffle(using: &random)
        let sample = Array(candidates.prefix(sampleUsers))
        self.users = sample.count

        var rows: [ValueRow] = []
        var fields: [FieldSummary] = []
        for dimension in dimensions {
            let values = Self.frequentValues(of: dimension, in: training, minimumSessions: minimumSessions)
            guard values.count >= 2 else { continue }
            let targets = values.map { value in groups.risingGroup(in: training) { dimension.value($0.context) == value } }
            var perValue = values.map { _ in ValueAccumulator() }
            for (user, index) in sample {
                let sessions = users[user]
                let history = sessions[0..<index]
                let own = sessions[index].context
                let ownPrediction = model.predict(history: history, context: own, time: sessions[index].start)
                let ownTop = Self.topK(ownPrediction, tracks: tracks, k: k)
                let edited = values.map { value in
                    let prediction = model.predict(
                        history: history, context: dimension.setting(value, in: own), time: sessions[index].start)
                    return (prediction: prediction, top: Self.topK(prediction, tracks: tracks, k: k))
                }
                let ownValue = dimension.value(own)
                for (i, value) in values.enumerated() {
                    if value != ownValue {
                        perValue[i].add(
                            cosine: Double(VectorOps.cosine(ownPrediction, edited[i].prediction)),
                            overlap: Double(Set(ownTop).intersection(edited[i].top).count) / Double(k))
                        perValue[i].count(
                            gained: edited[i].top.filter { !ownTop.contains($0) }.compactMap(groups.name),
                            lost: ownTop.filter { !edited[i].top.contains($0) }.compactMap(groups.name))
                    }
                    guard let target = targets[i] else { continue }
                    let shares = edited.map { groups.share(of: target, in: $0.top) }
                    let others = shares.enumerated().filter { $0.offset != i }.map(\.element)
                    perValue[i].add(lift: shares[i] - others.reduce(0, +) / Double(others.count))
                }
            }
            for (i, value) in values.enumerated() {
                rows.append(
                    perValue[i].row(
                        dimension: dimension, value: dimension.name(value, vocabulary: vocabulary),
                        target: targets[i].map(groups.label)))
            }
            fields.append(ValueAccumulator.merged(perValue).summary(dimension: dimension, values: values.count))
        }
        self.rows = rows
        self.fields = fields
    }

    /// Values of `dimension` seen in at least `minimumSessions` sessions, in value order.
    static func frequentValues(of dimension: ContextDimension, in sessions: [Session], minimumSessions: Int) -> [Int] {
        var counts: [Int: Int] = [:]
        for session in sessions { if let value = dimension.value(session.context) { counts[value, default: 0] += 1 } }
        return counts.filter { $0.value >= minimumSessions }.keys.sorted()
    }

    /// The `k` tracks with a vector that score highest against `prediction`.
    static func topK(_ prediction: [Float], tracks: TrackVectors, k: Int) -> [Int32] {
        let scores = tracks.dotProducts([prediction])
        let candidates = (0..<tracks.count).filter { tracks.trained[$0] }
        return candidates.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k).map { Int32($0) }
    }
}

/// Running sums for one context value.
struct ValueAccumulator {
    /// Lifts within this of zero count as ties.
    static let tie = 1e-9
    var cosineSum = 0.0, overlapSum = 0.0, edits = 0
    var liftSum = 0.0, positiveLifts = 0, negativeLifts = 0, lifts = 0
    var gained: [String: Int] = [:], lost: [String: Int] = [:]

    mutating func add(cosine: Double, overlap: Double) {
        cosineSum += cosine
        overlapSum += overlap
        edits += 1
    }

    mutating func add(lift: Double) {
        liftSum += lift
        lifts += 1
        // Shares are multiples of 1/k, so a real lift is far above rounding; equal shares averaged
        // in floating point can leave ±1e-17, which is a tie, not a move.
        if lift > Self.tie { positiveLifts += 1 }
        if lift < -Self.tie { negativeLifts += 1 }
    }

    mutating func count(gained entered: [String], lost left: [String]) {
        for group in entered { gained[group, default: 0] += 1 }
        for group in left { lost[group, default: 0] += 1 }
    }

    static func merged(_ parts: [ValueAccumulator]) -> ValueAccumulator {
        var total = ValueAccumulator()
        for part in parts {
            total.cosineSum += part.cosineSum
            total.overlapSum += part.overlapSum
            total.edits += part.edits
            total.liftSum += part.liftSum
            total.positiveLifts += part.positiveLifts
            total.negativeLifts += part.negativeLifts
            total.lifts += part.lifts
        }
        return total
    }

    static func top(_ counts: [String: Int], _ n: Int = 3) -> [ContextResponse.GroupCount] {
        counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(n)
            .map { ContextResponse.GroupCount(group: $0.key, tracks: $0.value) }
    }

    func row(dimension: ContextDimension, value: String, target: String?) -> ContextResponse.ValueRow {
        ContextResponse.ValueRow(
            dimension: dimension, value: value, editedUsers: edits,
            meanCosine: edits > 0 ? cosineSum / Double(edits) : 1, meanOverlap: edits > 0 ? overlapSum / Double(edits) : 1,
            targetGroup: target, meanLift: lifts > 0 ? liftSum / Double(lifts) : nil,
            positiveLiftShare: lifts > 0 ? Double(positiveLifts) / Double(lifts) : nil,
            gained: Self.top(gained), lost: Self.top(lost))
    }

    func summary(dimension: ContextDimension, values: Int) -> ContextResponse.FieldSummary {
        ContextResponse.FieldSummary(
            dimension: dimension, values: values,
            meanCosine: edits > 0 ? cosineSum / Double(edits) : 1, meanOverlap: edits > 0 ? overlapSum / Double(edits) : 1,
            meanLift: lifts > 0 ? liftSum / Double(lifts) : nil,
            positiveLiftShare: lifts > 0 ? Double(positiveLifts) / Double(lifts) : nil,
            negativeLiftShare: lifts > 0 ? Double(negativeLifts) / Double(lifts) : nil, liftPairs: lifts)
    }
}
