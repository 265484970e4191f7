/// The structure a `SyntheticGenerator` planted, for tests and analyses that check recovery.
public struct PlantedTruth: Sendable {
    /// Dimension of the latent track space.
    public var dimension: Int
    /// Number of genre clusters.
    public var clusterCount: Int
    /// Cluster of each track.
    public var trackCluster: [Int32]
    /// Unit latent vector of each track, row-major tracks × dimension.
    public var trackVectors: [Float]
    /// Orthonormal cluster centres, row-major clusters × dimension.
    public var clusterCentres: [Float]
    /// Probability of each track within its cluster (sums to 1 per cluster).
    public var trackPopularity: [Float]
    /// Full duration of each track in seconds (150–300).
    public var trackDuration: [Int32]
    /// Target cluster of each daypart, indexed by `Daypart.rawValue`.
    public var daypartTarget: [Int]
    /// Target cluster of each device, indexed like `Vocabulary.devices`.
    public var deviceTarget: [Int]
    /// Dayparts with higher sampling temperature.
    public var rareDayparts: Set<Daypart>
    /// Devices (indices) with higher sampling temperature.
    public var rareDevices: Set<Int>
    /// Global share of each device among sessions' device draws (before user habits).
    public var deviceShares: [Double]
    /// Global share of each stream source.
    public var sourceShares: [Double]
    /// Global relative weight of each hour of day 0–23 when a session starts.
    public var hourWeights: [Double]
    /// The constants of the planted effects.
    public var parameters: SyntheticParameters

    /// The latent vector of a track.
    public func trackVector(_ track: Int) -> ArraySlice<Float> {
        trackVectors[track * dimension..<(track + 1) * dimension]
    }

    /// The centre of a cluster.
    public func clusterCentre(_ cluster: Int) -> ArraySlice<Float> {
        clusterCentres[cluster * dimension..<(cluster + 1) * dimension]
    }

    /// Sampling temperature of a session context (1 for common contexts, higher for rare ones).
    public func temperature(daypart: Daypart, device: Int) -> Float {
        var t: Float = 1
        if rareDayparts.contains(daypart) { t += parameters.rareDaypartHeat }
        if rareDevices.contains(device) { t += parameters.rareDeviceHeat }
        return t
    }
}
