import Listening

/// Every training interaction of every user, in global time order, with what JODIE reads of it
/// that does not depend on the weights (gaps, previous item, context).
struct JODIEInteractions {
    /// Dense index of the interaction's user among the training users.
    var user: [Int32] = []
    var track: [Int32] = []
    var time: [Int64] = []
    var skip: [SkipState] = []
    var context: [SessionContext] = []
    /// The user's previous track, or -1 at the user's first interaction.
    var previous: [Int32] = []
    /// Normalised time since the user's previous interaction (0 at the first).
    var userGap: [Float] = []
    /// Normalised time since the track's previous training interaction by anyone (0 at the first).
    var itemGap: [Float] = []
    /// Number of training users.
    var userCount = 0

    var count: Int { track.count }

    /// The plays of each user's `split` training sessions, merged in time order (ties: user, then play order).
    init(users: [[Session]], split: TimeSplit) {
        var rows:
            [(time: Int64, user: Int32, order: Int32, track: Int32, skip: SkipState, context: SessionContext, previous: Int32, gap: Float)] =
                []
        for sessions in users {
            let train = split.ranges(of: sessions).train
            let plays = sessions[train].reduce(0) { $0 + $1.plays.count }
            guard plays > 0 else { continue }
            let user = Int32(userCount)
            userCount += 1
            var previous: Int32 = -1, last: Int64?, order: Int32 = 0
            for session in sessions[train] {
                for play in session.plays {
                    let gap = last.map { JODIEFeatures.gap(play.time - $0) } ?? 0
                    rows.append((play.time, user, order, play.track, play.skip, session.context, previous, gap))
                    previous = play.track
                    last = play.time
                    order += 1
                }
            }
        }
        rows.sort { ($0.time, $0.user, $0.order) < ($1.time, $1.user, $1.order) }
        var itemLast: [Int32: Int64] = [:]
        for row in rows {
            user.append(row.user)
            track.append(row.track)
            time.append(row.time)
            skip.append(row.skip)
            context.append(row.context)
            previous.append(row.previous)
            userGap.append(row.gap)
            itemGap.append(itemLast[row.track].map { JODIEFeatures.gap(row.time - $0) } ?? 0)
            itemLast[row.track] = row.time
        }
    }

    /// Consecutive spans of at most `length` interactions (one optimiser step each).
    func spans(length: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: length).map { $0..<min($0 + length, count) }
    }

    /// The paper's t-batches of `span`: each interaction goes one batch after the latest batch holding
    /// its user or its item, so no user or item repeats in a batch and each one's interactions keep
    /// their time order across batches.
    func tBatches(_ span: Range<Int>) -> [[Int]] {
        var batches: [[Int]] = []
        var userBatch: [Int32: Int] = [:], itemBatch: [Int32: Int] = [:]
        for k in span {
            let b = max(userBatch[user[k]] ?? -1, itemBatch[track[k]] ?? -1) + 1
            if b == batches.count { batches.append([]) }
            batches[b].append(k)
            userBatch[user[k]] = b
            itemBatch[track[k]] = b
        }
        return batches
    }
}
