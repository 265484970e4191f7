/// Where a track of an edited top-k list stood in the unedited one.
public enum RankMovement: Sendable, Hashable {
    /// Not in the unedited list.
    case new
    /// Ranks gained.
    case up(Int)
    /// Ranks lost.
    case down(Int)
    /// The same rank.
    case same

    /// The movement of each track of `after` against `before` (both best first).
    public static func of(_ after: [Int32], against before: [Int32]) -> [RankMovement] {
        let rank = Dictionary(before.enumerated().map { ($1, $0) }) { first, _ in first }
        return after.enumerated().map { index, track in
            guard let old = rank[track] else { return .new }
            return old > index ? .up(old - index) : (old < index ? .down(index - old) : .same)
        }
    }

    /// "▲3", "▼5", "new" or "=" ("^3", "v5" in ASCII).
    public func label(_ glyphs: Glyphs) -> String {
        switch self {
        case .new: "new"
        case .up(let n): "\(glyphs.rankUp)\(n)"
        case .down(let n): "\(glyphs.rankDown)\(n)"
        case .same: "="
        }
    }
}
