extension ParsedLog {
    /// Cuts the plays into sessions and hands them to `body`, user by user, each user's in time order.
    ///
    /// Rows are grouped by user with a stable counting sort (linear time); a user's rows are sorted
    /// by time only when the log did not already list them in order. A session ends where the logged
    /// session id changes or, for logs without session ids, at a gap of at least `gap` seconds.
    /// Last.fm skips are derived here: a play is skipped when the same user's next play starts
    /// within `skipGap` seconds; a user's last play stays unknown.
    public func forEachSession(gap: Int64, skipGap: Int64, _ body: (Session) throws -> Void) rethrows {
        let n = count
        guard n > 0 else { return }
        let userCount = users.count
        var offsets = [Int](repeating: 0, count: userCount + 1)
        for u in user { offsets[Int(u) + 1] &+= 1 }
        for i in 0..<userCount { offsets[i + 1] &+= offsets[i] }
        var order = [Int32](repeating: 0, count: n)
        var cursor = offsets
        for i in 0..<n {
            let u = Int(user[i])
            order[cursor[u]] = Int32(i)
            cursor[u] &+= 1
        }
        var plays: [Play] = []
        for u in 0..<userCount {
            let lower = offsets[u]
            let upper = offsets[u + 1]
            if lower == upper { continue }
            // Sort the user's rows by (time, position) unless the log already has them in order.
            var sorted = true
            var i = lower &+ 1
            while i < upper {
                if precedes(order[i], order[i &- 1]) {
                    sorted = false
                    break
                }
                i &+= 1
            }
            if !sorted {
                order[lower..<upper].sort { precedes($0, $1) || (!precedes($1, $0) && $0 < $1) }
            }
            var sessionStart = lower
            plays.removeAll(keepingCapacity: true)
            for index in lower..<upper {
                let row = Int(order[index])
                if index > sessionStart {
                    let previous = Int(order[index &- 1])
                    let newSession =
                        sessionKey[row] >= 0
                        ? sessionKey[row] != sessionKey[previous]
                        : time[row] &- time[previous] >= gap
                    if newSession {
                        try body(makeSession(user: Int32(u), firstRow: Int(order[sessionStart]), plays: plays))
                        plays.removeAll(keepingCapacity: true)
                        sessionStart = index
                    }
                }
                var state = SkipState(rawValue: skip[row]) ?? .unknown
                if deriveSkipsFromGaps, state == .unknown, index &+ 1 < upper {
                    let next = Int(order[index &+ 1])
                    state = time[next] &- time[row] < skipGap ? .skipped : .played
                }
                plays.append(Play(track: track[row], time: time[row], skip: state))
            }
            try body(makeSession(user: Int32(u), firstRow: Int(order[sessionStart]), plays: plays))
        }
    }

    @inline(__always)
    private func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let ia = Int(a), ib = Int(b)
        if time[ia] != time[ib] { return time[ia] < time[ib] }
        if sessionKey[ia] != sessionKey[ib] { return sessionKey[ia] < sessionKey[ib] }
        return position[ia] < position[ib]
    }

    private func makeSession(user: Int32, firstRow: Int, plays: [Play]) -> Session {
        let start = plays.first?.time ?? time[firstRow]
        return Session(
            user: user, start: start,
            context: SessionContext(unixTime: start, device: device[firstRow], source: source[firstRow]),
            plays: plays)
    }
}
