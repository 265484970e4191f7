/// Plays parsed from one or more log files, held in columns until they are cut into sessions.
///
/// Keys are interned as they are read, so ids are dense and match the workspace's ids when the
/// log was seeded from an existing workspace's vocabulary.
public struct ParsedLog {
    var users = KeyInterner()
    var tracks = KeyInterner(capacity: 1 << 16)
    var devices = KeyInterner(capacity: 64)
    var sources = KeyInterner(capacity: 64)
    var sessionKeys = KeyInterner(capacity: 1 << 10)
    /// Names of tracks, by track id, for logs that carry them.
    var trackNames: [Int32: (name: String?, artist: String?)] = [:]

    var user: [Int32] = []
    var track: [Int32] = []
    var time: [Int64] = []
    /// Session id from the log, or -1 when sessions come from time gaps.
    var sessionKey: [Int32] = []
    /// Position inside a logged session, or the row number.
    var position: [Int32] = []
    var skip: [Int8] = []
    var device: [Int16] = []
    var source: [Int16] = []
    /// Users whose skips are to be derived from the gap to their next play (Last.fm).
    var deriveSkipsFromGaps = false

    /// An empty log.
    public init() {}

    /// A log whose ids continue those of an existing vocabulary.
    public init(continuing vocabulary: Vocabulary) {
        // Existing tracks keep their names, so the new vocabulary extends the workspace's exactly.
        for t in vocabulary.tracks {
            let id = tracks.intern(t.key)
            if t.name != nil || t.artist != nil { trackNames[id] = (name: t.name, artist: t.artist) }
        }
        for u in vocabulary.users { _ = users.intern(u) }
        for d in vocabulary.devices { _ = devices.intern(d) }
        for s in vocabulary.sources { _ = sources.intern(s) }
    }

    /// Number of plays read so far.
    public var count: Int { user.count }

    mutating func reserve(_ rows: Int) {
        user.reserveCapacity(rows)
        track.reserveCapacity(rows)
        time.reserveCapacity(rows)
        sessionKey.reserveCapacity(rows)
        position.reserveCapacity(rows)
        skip.reserveCapacity(rows)
        device.reserveCapacity(rows)
        source.reserveCapacity(rows)
    }

    @inline(__always)
    mutating func append(
        user u: Int32, track t: Int32, time s: Int64, sessionKey k: Int32, position p: Int32,
        skip sk: SkipState, device d: Int16, source so: Int16
    ) {
        user.append(u)
        track.append(t)
        time.append(s)
        sessionKey.append(k)
        position.append(p)
        skip.append(sk.rawValue)
        device.append(d)
        source.append(so)
    }

    /// Appends another log's plays, translating its ids into this log's.
    ///
    /// `positionOffset` is added to positions that count rows (logs without a position column),
    /// so rows from a later chunk of a file sort after earlier ones at equal times.
    mutating func append(contentsOf other: ParsedLog, positionOffset: Int32) {
        let trackMap = tracks.merge(other.tracks)
        let userMap = users.merge(other.users)
        let deviceMap = devices.merge(other.devices)
        let sourceMap = sources.merge(other.sources)
        let sessionMap = sessionKeys.merge(other.sessionKeys)
        for (track, names) in other.trackNames where trackNames[trackMap[Int(track)]] == nil {
            trackNames[trackMap[Int(track)]] = names
        }
        deriveSkipsFromGaps = deriveSkipsFromGaps || other.deriveSkipsFromGaps
        reserve(count + other.count)
        for i in 0..<other.count {
            let key = other.sessionKey[i]
            append(
                user: userMap[Int(other.user[i])], track: trackMap[Int(other.track[i])], time: other.time[i],
                sessionKey: key >= 0 ? sessionMap[Int(key)] : -1,
                position: other.position[i] &+ positionOffset,
                skip: SkipState(rawValue: other.skip[i]) ?? .unknown,
                device: other.device[i] >= 0 ? Int16(deviceMap[Int(other.device[i])]) : -1,
                source: other.source[i] >= 0 ? Int16(sourceMap[Int(other.source[i])]) : -1)
        }
    }

    /// The vocabulary for the ids in this log.
    public var vocabulary: Vocabulary {
        Vocabulary(
            tracks: (0..<tracks.count).map { id in
                let names = trackNames[Int32(id)]
                return TrackInfo(key: tracks.key(id), name: names?.name, artist: names?.artist)
            },
            users: users.keys,
            devices: devices.keys,
            sources: sources.keys)
    }
}
