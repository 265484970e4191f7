import Foundation

/// A seeded, deterministic generator of listening sessions with planted structure.
///
/// Tracks live in a latent space around orthonormal genre-cluster centres. Each
/// user has a long-term taste that drifts slowly; each session's preference mixes
/// that taste with shifts toward its daypart's and device's target clusters; rare
/// contexts sample more diversely; and tracks far from the preference are skipped
/// more often. Docs/synthetic-data.md documents every effect.
public struct SyntheticGenerator: Sendable {
    /// The config the generator was built with.
    public let config: SyntheticConfig
    /// Track, user, device and source names of the generated sessions.
    public let vocabulary: Vocabulary
    /// The planted structure, for tests and analyses.
    public let truth: PlantedTruth
    /// Flat sampling tables behind `truth`, read by the hot loops.
    let tables: SyntheticTables

    /// Device names; tv and car are rare.
    public static let deviceNames = ["mobile", "desktop", "speaker", "tv", "car"]
    /// Stream source names, as MSSD's `context_type`.
    public static let sourceNames = [
        "user_collection", "editorial_playlist", "radio", "catalog", "personalized_playlist", "charts",
    ]
    static let deviceShares = [0.50, 0.25, 0.15, 0.06, 0.04]
    static let sourceShares = [0.35, 0.15, 0.12, 0.10, 0.18, 0.10]
    /// Relative weight of each start hour; nights (22–04) and early mornings (05–07) are rare.
    static let hourWeights: [Double] = [
        0.15, 0.15, 0.15, 0.15, 0.15,  // 00–04 night
        0.5, 0.5, 0.5,  // 05–07 early morning
        1.0, 1.0, 1.0, 1.0,  // 08–11 morning
        1.2, 1.2, 1.2, 1.2, 1.2,  // 12–16 afternoon
        1.5, 1.5, 1.5, 1.5, 1.5,  // 17–21 evening
        0.4, 0.4,  // 22–23 night
    ]

    /// Builds the catalogue and the planted structure of a config; sessions are generated lazily.
    ///
    /// `parameters` sets the strength of every planted effect; the bundled data uses `.standard`.
    public init(config: SyntheticConfig, parameters: SyntheticParameters = .standard) {
        self.config = config
        let c = config.sanitized
        let clusters = c.clusters
        let trackCount = c.tracks
        let dimension = max(parameters.minimumDimension, clusters)
        // The world (catalogue, centres, context targets) uses its own stream, apart from every user's.
        var rng = SyntheticRNG(seed: c.seed, stream: .max)

        let centres = Self.orthonormalCentres(clusters: clusters, dimension: dimension, rng: &rng)

        // Cluster sizes vary 0.5×…1.5× around the mean, every cluster gets at least one track.
        var sizeWeights = (0..<clusters).map { _ in 0.5 + rng.unitDouble() }
        let weightSum = sizeWeights.reduce(0, +)
        for i in sizeWeights.indices { sizeWeights[i] /= weightSum }
        var sizes = sizeWeights.map { 1 + Int($0 * Double(trackCount - clusters)) }
        var remainder = trackCount - sizes.reduce(0, +)
        var k = 0
        while remainder > 0 {
            sizes[k % clusters] += 1
            remainder -= 1
            k += 1
        }

        // Shuffle track ids so clusters are not contiguous id ranges.
        var order = Array(0..<trackCount)
        for i in stride(from: trackCount - 1, to: 0, by: -1) {
            order.swapAt(i, rng.below(i + 1))
        }

        var trackCluster = [Int32](repeating: 0, count: trackCount)
        var trackRank = [Int](repeating: 0, count: trackCount)
        var popularity = [Float](repeating: 0, count: trackCount)
        var clusterOffsets = [Int32](repeating: 0, count: clusters + 1)
        var next = 0
        for cluster in 0..<clusters {
            clusterOffsets[cluster] = Int32(next)
            var total = 0.0
            for rank in 0..<sizes[cluster] {
                total += 1 / Foundation.pow(Double(rank) + parameters.popularityOffset, parameters.popularityExponent)
            }
            for rank in 0..<sizes[cluster] {
                let track = order[next + rank]
                trackCluster[track] = Int32(cluster)
                trackRank[track] = rank
                let w = 1 / Foundation.pow(Double(rank) + parameters.popularityOffset, parameters.popularityExponent)
                popularity[track] = Float(w / total)
            }
            next += sizes[cluster]
        }
        clusterOffsets[clusters] = Int32(next)

        // Track vectors: centre plus isotropic noise of norm ≈ trackSpread, normalised.
        var vectors = [Float](repeating: 0, count: trackCount * dimension)
        let noiseScale = parameters.trackSpread / Float(dimension).squareRoot()
        for track in 0..<trackCount {
            let base = track * dimension
            let centre = Int(trackCluster[track]) * dimension
            var norm: Float = 0
            for d in 0..<dimension {
                let v = centres[centre + d] + noiseScale * rng.gaussian()
                vectors[base + d] = v
                norm += v * v
            }
            let inv = 1 / norm.squareRoot()
            for d in 0..<dimension { vectors[base + d] *= inv }
        }
        let durations = (0..<trackCount).map { _ in Int32(150 + rng.below(151)) }

        // Context targets: distinct clusters where there are enough of them.
        var clusterOrder = Array(0..<clusters)
        for i in stride(from: clusters - 1, to: 0, by: -1) {
            clusterOrder.swapAt(i, rng.below(i + 1))
        }
        let daypartTarget = (0..<Daypart.allCases.count).map { clusterOrder[$0 % clusters] }
        let deviceTarget = Self.deviceNames.indices.map { clusterOrder[(Daypart.allCases.count + $0) % clusters] }

        truth = PlantedTruth(
            dimension: dimension,
            clusterCount: clusters,
            trackCluster: trackCluster,
            trackVectors: vectors,
            clusterCentres: centres,
            trackPopularity: popularity,
            trackDuration: durations,
            daypartTarget: daypartTarget,
            deviceTarget: deviceTarget,
            rareDayparts: [.night, .earlyMorning],
            rareDevices: [3, 4],
            deviceShares: Self.deviceShares,
            sourceShares: Self.sourceShares,
            hourWeights: Self.hourWeights,
            parameters: parameters)
        tables = SyntheticTables(
            truth: truth, order: order, clusterOffsets: clusterOffsets, sizes: sizes, config: c)

        let trackInfos = (0..<trackCount).map { track in
            TrackInfo(
                key: Self.key(prefix: "t", track),
                name: "Track \(track)",
                artist: "Cluster \(trackCluster[track]) Artist \(trackRank[track] / 8)")
        }
        vocabulary = Vocabulary(
            tracks: trackInfos,
            users: (0..<c.users).map { Self.key(prefix: "u", $0) },
            devices: Self.deviceNames,
            sources: Self.sourceNames)
    }

    /// Number of users the config asks for.
    public var totalUsers: Int { config.sanitized.users }

    /// Approximate number of plays of all users, for progress bars.
    public var expectedPlays: Int {
        let c = config.sanitized
        return c.users * tables.meanSessions * tables.meanPlays
    }

    /// "t000123"-style keys: a prefix and at least six zero-padded digits.
    static func key(prefix: String, _ index: Int) -> String {
        let digits = String(index)
        return prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Random orthonormal cluster centres by Gram–Schmidt (dimension ≥ clusters).
    static func orthonormalCentres(clusters: Int, dimension: Int, rng: inout SyntheticRNG) -> [Float] {
        var rows = [Double](repeating: 0, count: clusters * dimension)
        for c in 0..<clusters {
            let base = c * dimension
            while true {
                for d in 0..<dimension { rows[base + d] = Double(rng.gaussian()) }
                for prev in 0..<c {
                    let p = prev * dimension
                    var dot = 0.0
                    for d in 0..<dimension { dot += rows[base + d] * rows[p + d] }
                    for d in 0..<dimension { rows[base + d] -= dot * rows[p + d] }
                }
                var norm = 0.0
                for d in 0..<dimension { norm += rows[base + d] * rows[base + d] }
                norm = norm.squareRoot()
                // A nearly dependent draw is redrawn; with dimension ≥ clusters this is vanishingly rare.
                if norm > 1e-6 {
                    for d in 0..<dimension { rows[base + d] /= norm }
                    break
                }
            }
        }
        return rows.map { Float($0) }
    }
}
