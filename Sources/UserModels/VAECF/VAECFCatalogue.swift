import Listening
import Tensor

/// The items VAE-CF models: tracks played in training sessions, the most played first.
///
/// The softmax runs over these tracks only. `maxCatalogue` caps the size (the first and last
/// layers have `size × hidden` weights each); tracks beyond the cap are never scored or read.
public struct VAECFCatalogue: Sendable, Hashable {
    /// Workspace track id of each catalogue item, most played first (ties by id).
    public let tracks: [Int32]
    /// Size of the workspace's track table the ids index.
    public let trackCount: Int
    /// Catalogue index of each workspace track id, or -1 outside the catalogue.
    let index: [Int32]

    /// A catalogue of the given track ids (distinct, each below `trackCount`).
    public init(tracks: [Int32], trackCount: Int) throws {
        guard !tracks.isEmpty else { throw VAECFError.invalidCatalogue("no tracks") }
        // Ids are saved as Float32 in checkpoints, exact below 2²⁴.
        guard trackCount > 0, trackCount <= 1 << 24 else { throw VAECFError.invalidCatalogue("track count \(trackCount) out of range") }
        var index = [Int32](repeating: -1, count: trackCount)
        for (position, track) in tracks.enumerated() {
            guard track >= 0, Int(track) < trackCount else {
                throw VAECFError.invalidCatalogue("track id \(track) outside 0..<\(trackCount)")
            }
            guard index[Int(track)] < 0 else { throw VAECFError.invalidCatalogue("track id \(track) listed twice") }
            index[Int(track)] = Int32(position)
        }
        self.tracks = tracks
        self.trackCount = trackCount
        self.index = index
    }

    /// Number of items (the softmax width).
    public var count: Int { tracks.count }

    /// The catalogue index of `track`, or nil when the model does not model it.
    @inline(__always)
    public func item(_ track: Int32) -> Int? {
        guard track >= 0, Int(track) < index.count else { return nil }
        let i = index[Int(track)]
        return i < 0 ? nil : Int(i)
    }

    /// The tracks played in the training sessions of `users` (split by `split`), at most `maximumSize`
    /// of them, most played first. Validation and test sessions are never read.
    public static func build(users: [[Session]], split: TimeSplit, trackCount: Int, maximumSize: Int) throws -> VAECFCatalogue {
        try split.validate()
        var plays = [Int](repeating: 0, count: trackCount)
        for sessions in users {
            for session in sessions[split.range(.train, of: sessions)] {
                for play in session.plays where play.track >= 0 && Int(play.track) < trackCount { plays[Int(play.track)] += 1 }
            }
        }
        var played = (0..<trackCount).filter { plays[$0] > 0 }
        played.sort { plays[$0] != plays[$1] ? plays[$0] > plays[$1] : $0 < $1 }
        return try VAECFCatalogue(tracks: played.prefix(max(0, maximumSize)).map { Int32($0) }, trackCount: trackCount)
    }
}

/// Each training user's bag of catalogue plays in sparse form.
struct VAECFBags {
    /// Per user: (catalogue item, play count), items ascending.
    var users: [[(item: Int32, count: Float)]] = []

    /// The bags of the training sessions of every user that has a catalogue play in them.
    init(users all: [[Session]], split: TimeSplit, catalogue: VAECFCatalogue) {
        for sessions in all {
            var counts: [Int32: Float] = [:]
            for session in sessions[split.range(.train, of: sessions)] {
                for play in session.plays {
                    if let item = catalogue.item(play.track) { counts[Int32(item), default: 0] += 1 }
                }
            }
            guard !counts.isEmpty else { continue }
            users.append(counts.sorted { $0.key < $1.key }.map { (item: $0.key, count: $0.value) })
        }
    }

    var count: Int { users.count }

    /// Dense `[B, I]` play counts of the users at `indices`.
    func counts(_ indices: [Int], items: Int) -> Tensor {
        var out = [Float](repeating: 0, count: indices.count * items)
        for (row, user) in indices.enumerated() {
            for entry in users[user] { out[row &* items &+ Int(entry.item)] = entry.count }
        }
        return Tensor(shape: [indices.count, items], scalars: out)
    }
}
