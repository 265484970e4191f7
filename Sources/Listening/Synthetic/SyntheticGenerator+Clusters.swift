extension SyntheticGenerator {
    /// The planted cluster a generated track's artist name encodes ("Cluster 3 Artist 7" → 3), or nil.
    ///
    /// Generated workspaces carry no other provenance, so analyses that report the planted
    /// structure recognise the generator's tracks by this name.
    public static func plantedCluster(artist: String?) -> Int? {
        guard let artist, artist.hasPrefix("Cluster ") else { return nil }
        let fields = artist.split(separator: " ")
        guard fields.count == 4, fields[2] == "Artist", let cluster = Int(fields[1]), Int(fields[3]) != nil else { return nil }
        return cluster
    }
}
