import Listening

/// Each track's group for the context-response analysis and the explorer's mix bars: its planted cluster or its artist.
public struct TrackGroups: Sendable {
    public let grouping: ContextResponse.Grouping
    /// Group index of each track, or -1 when the track has none.
    let groupOfTrack: [Int]
    /// Group names, indexed by group.
    public let names: [String]

    /// Planted clusters when every track with an artist is a generated one, else artists.
    public init(vocabulary: Vocabulary, trackCount: Int) {
        let artists = (0..<trackCount).map { $0 < vocabulary.tracks.count ? vocabulary.tracks[$0].artist : nil }
        let clusters = artists.map { SyntheticGenerator.plantedCluster(artist: $0) }
        var index: [String: Int] = [:]
        var names: [String] = []
        func intern(_ name: String) -> Int {
            if let known = index[name] { return known }
            index[name] = names.count
            names.append(name)
            return names.count - 1
        }
        let named = artists.compactMap { $0 }
        if !named.isEmpty && clusters.compactMap({ $0 }).count == named.count {
            grouping = .plantedCluster
            groupOfTrack = clusters.map { $0.map { intern("cluster \($0)") } ?? -1 }
        } else if !named.isEmpty {
            grouping = .artist
            groupOfTrack = artists.map { $0.map(intern) ?? -1 }
        } else {
            grouping = .none
            groupOfTrack = Array(repeating: -1, count: trackCount)
        }
        self.names = names
    }

    /// The group of a track, or nil.
    public func group(of track: Int32) -> Int? {
        let group = track >= 0 && Int(track) < groupOfTrack.count ? groupOfTrack[Int(track)] : -1
        return group >= 0 ? group : nil
    }

    /// The group name of a track, or nil.
    public func name(_ track: Int32) -> String? { group(of: track).map { names[$0] } }

    func label(_ group: Int) -> String { names[group] }

    /// The share of `tracks` that belong to `group`.
    func share(of group: Int, in tracks: [Int32]) -> Double {
        guard !tracks.isEmpty else { return 0 }
        return Double(tracks.filter { self.group(of: $0) == group }.count) / Double(tracks.count)
    }

    /// The group whose share of plays rises most in the sessions `isIn` selects, against all sessions.
    func risingGroup(in sessions: [Session], where isIn: (Session) -> Bool) -> Int? {
        guard !names.isEmpty else { return nil }
        var inside = [Int](repeating: 0, count: names.count), all = inside
        var insideTotal = 0, allTotal = 0
        for session in sessions {
            let selected = isIn(session)
            for play in session.plays {
                guard let group = group(of: play.track) else { continue }
                all[group] += 1
                allTotal += 1
                if selected {
                    inside[group] += 1
                    insideTotal += 1
                }
            }
        }
        guard insideTotal > 0 else { return nil }
        let rise = names.indices.map { Double(inside[$0]) / Double(insideTotal) - Double(all[$0]) / Double(allTotal) }
        return rise.indices.max { rise[$0] < rise[$1] }
    }
}
