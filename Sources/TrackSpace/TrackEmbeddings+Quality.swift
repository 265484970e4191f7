extension TrackEmbeddings {
    /// Mean share of each trained track's k nearest trained tracks (itself excluded) that share its label.
    ///
    /// With planted genre clusters as labels this is the cluster purity of the
    /// neighbourhoods; chance level is about the largest cluster's share.
    public func neighbourPurity(labels: [Int32], k: Int = 10) throws -> Double {
        guard labels.count == trackCount else {
            throw TrackSpaceError.invalidArgument("\(labels.count) labels for \(trackCount) tracks")
        }
        guard k > 0 else { throw TrackSpaceError.invalidArgument("k must be positive") }
        let index = try exactIndex()
        let found = try index.search(queries: index.vectors, k: k + 1)
        var total = 0.0
        for (row, neighbours) in found.enumerated() {
            let track = index.ids[row]
            let others = neighbours.lazy.filter { $0.id != track }.prefix(k)
            let same = others.filter { labels[Int($0.id)] == labels[Int(track)] }.count
            total += Double(same) / Double(max(others.count, 1))
        }
        return found.isEmpty ? 0 : total / Double(found.count)
    }
}
