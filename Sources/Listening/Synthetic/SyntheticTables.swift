/// Immutable flat sampling tables shared by all generating threads.
///
/// Raw buffers rather than arrays so the per-play loop has no bounds checks or
/// retain/release traffic; they are written once in `init` and only read after.
final class SyntheticTables: @unchecked Sendable {
    let dimension: Int
    let clusters: Int
    let trackVectors: UnsafeMutablePointer<Float>
    let centres: UnsafeMutablePointer<Float>
    let durations: UnsafeMutablePointer<Int32>
    /// Start of each cluster's slice in `clusterTracks`, plus the end.
    let clusterOffsets: UnsafeMutablePointer<Int32>
    /// Track ids grouped by cluster.
    let clusterTracks: UnsafeMutablePointer<Int32>
    /// Walker/Vose alias table per cluster slice: acceptance probability and local alias index.
    let aliasProbability: UnsafeMutablePointer<Float>
    let aliasIndex: UnsafeMutablePointer<Int32>

    /// Cumulative weights for favourite clusters (by cluster size), start hours, devices and sources.
    let appealCDF: [Double]
    let hourCDF: [Double]
    let deviceCDF: [Double]
    let sourceCDF: [Double]
    let daypartTarget: [Int]
    let deviceTarget: [Int]
    let rareDaypart: [Bool]
    let rareDevice: [Bool]
    let parameters: SyntheticParameters
    let startTime: Int64
    let seed: UInt64
    let sessionRange: ClosedRange<Int>
    let playRange: ClosedRange<Int>

    var meanSessions: Int { (sessionRange.lowerBound + sessionRange.upperBound) / 2 }
    var meanPlays: Int { (playRange.lowerBound + playRange.upperBound) / 2 }

    init(truth: PlantedTruth, order: [Int], clusterOffsets offsets: [Int32], sizes: [Int], config: SyntheticConfig) {
        dimension = truth.dimension
        clusters = truth.clusterCount
        let trackCount = truth.trackCluster.count
        trackVectors = .allocate(capacity: max(1, truth.trackVectors.count))
        trackVectors.initialize(from: truth.trackVectors, count: truth.trackVectors.count)
        centres = .allocate(capacity: max(1, truth.clusterCentres.count))
        centres.initialize(from: truth.clusterCentres, count: truth.clusterCentres.count)
        durations = .allocate(capacity: max(1, trackCount))
        durations.initialize(from: truth.trackDuration, count: trackCount)
        clusterOffsets = .allocate(capacity: offsets.count)
        clusterOffsets.initialize(from: offsets, count: offsets.count)
        clusterTracks = .allocate(capacity: max(1, trackCount))
        for i in 0..<trackCount { clusterTracks[i] = Int32(order[i]) }
        aliasProbability = .allocate(capacity: max(1, trackCount))
        aliasIndex = .allocate(capacity: max(1, trackCount))
        for cluster in 0..<clusters {
            let start = Int(offsets[cluster])
            let weights = (0..<sizes[cluster]).map { Double(truth.trackPopularity[order[start + $0]]) }
            Self.buildAlias(
                weights: weights,
                probability: aliasProbability + start,
                alias: aliasIndex + start)
        }

        let total = Double(trackCount)
        appealCDF = Self.cumulative(sizes.map { Double($0) / total })
        hourCDF = Self.cumulative(truth.hourWeights)
        deviceCDF = Self.cumulative(truth.deviceShares)
        sourceCDF = Self.cumulative(truth.sourceShares)
        daypartTarget = truth.daypartTarget
        deviceTarget = truth.deviceTarget
        rareDaypart = Daypart.allCases.map { truth.rareDayparts.contains($0) }
        rareDevice = truth.deviceShares.indices.map { truth.rareDevices.contains($0) }
        parameters = truth.parameters
        startTime = config.startTime
        seed = config.seed
        let s = config.sessionsPerUser
        let sLow = max(3, (s + 1) / 2)
        sessionRange = sLow...max(sLow, 2 * s - sLow)
        let m = config.playsPerSession
        let pLow = max(1, (m + 1) / 2)
        playRange = pLow...max(pLow, 2 * m - pLow)
    }

    deinit {
        trackVectors.deallocate()
        centres.deallocate()
        durations.deallocate()
        clusterOffsets.deallocate()
        clusterTracks.deallocate()
        aliasProbability.deallocate()
        aliasIndex.deallocate()
    }

    static func cumulative(_ weights: [Double]) -> [Double] {
        var sum = 0.0
        return weights.map {
            sum += $0
            return sum
        }
    }

    /// Vose's alias method: O(1) sampling of a discrete distribution with one uniform index and one coin.
    static func buildAlias(weights: [Double], probability: UnsafeMutablePointer<Float>, alias: UnsafeMutablePointer<Int32>) {
        let n = weights.count
        guard n > 0 else { return }
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n {
            if scaled[i] < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.popLast() {
            guard let l = large.popLast() else {
                small.append(s)
                break
            }
            probability[s] = Float(scaled[s])
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        // Leftovers are 1 up to rounding.
        for i in small + large {
            probability[i] = 1
            alias[i] = Int32(i)
        }
    }
}

extension Array where Element == Double {
    /// Index of the first cumulative weight above u·total (a cumulative-distribution draw).
    @inline(__always)
    func syntheticSample(_ rng: inout SyntheticRNG) -> Int {
        let u = rng.unitDouble() * (last ?? 0)
        var lo = 0
        var hi = count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if self[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
