import Evaluation

extension TrackGroups {
    /// The `slots` groups most frequent over all `lists`, and each list's count per group, then of the rest ("other").
    public func mix(of lists: [[Int32]], slots: Int) -> GroupMix {
        var total: [Int: Int] = [:]
        for list in lists { for track in list { if let g = group(of: track) { total[g, default: 0] += 1 } } }
        let shown = total.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(slots).map(\.key)
        let slot = Dictionary(uniqueKeysWithValues: shown.enumerated().map { ($1, $0) })
        let counts = lists.map { list in
            var row = [Int](repeating: 0, count: shown.count + 1)
            for track in list { row[group(of: track).flatMap { slot[$0] } ?? shown.count] += 1 }
            return row
        }
        let hasOther = counts.contains { $0[shown.count] > 0 }
        return GroupMix(
            names: shown.map { names[$0] } + (hasOther ? ["other"] : []),
            counts: hasOther ? counts : counts.map { Array($0.dropLast()) })
    }
}

/// Several lists' shares of the same few groups.
public struct GroupMix: Sendable, Equatable {
    /// The groups' names; "other" last when some track is in none of them.
    public var names: [String]
    /// Per list, the number of its tracks in each group of `names`.
    public var counts: [[Int]]
}
