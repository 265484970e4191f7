import Foundation

extension SyntheticGenerator {
    /// Generates users in `range` in order, calling `body` for each session (a user's sessions in time order).
    ///
    /// The sessions of user `u` depend only on `(seed, u)`, so disjoint ranges can
    /// be generated in parallel and concatenated. Users outside `0..<totalUsers` are
    /// skipped. The `Session` passed to `body` is reused: copy it to keep it.
    public func generate(users range: Range<Int>, _ body: (Session) throws -> Void) rethrows {
        let scratch = SyntheticScratch(tables: tables)
        var session = Session(user: 0, start: 0, context: .unknown, plays: [])
        session.plays.reserveCapacity(tables.playRange.upperBound)
        for user in range.clamped(to: 0..<totalUsers) {
            try generateUser(user, session: &session, scratch: scratch, recordTruth: false) { s, _ in try body(s) }
        }
    }

    /// Generates users in `range` like `generate(users:_:)`, with the hidden state of each session.
    public func generateWithTruth(users range: Range<Int>, _ body: (Session, SessionTruth) throws -> Void) rethrows {
        let scratch = SyntheticScratch(tables: tables)
        var session = Session(user: 0, start: 0, context: .unknown, plays: [])
        for user in range.clamped(to: 0..<totalUsers) {
            try generateUser(user, session: &session, scratch: scratch, recordTruth: true) { s, truth in
                if let truth { try body(s, truth) }
            }
        }
    }

    /// All sessions of one user, in time order.
    public func sessions(user: Int) -> [Session] {
        var result: [Session] = []
        generate(users: user..<(user + 1)) { result.append($0) }
        return result
    }

    /// Generates one user's sessions into the reused `session`.
    func generateUser(
        _ user: Int,
        session: inout Session,
        scratch: SyntheticScratch,
        recordTruth: Bool,
        _ body: (Session, SessionTruth?) throws -> Void
    ) rethrows {
        let t = tables
        let p = t.parameters
        let dim = t.dimension
        let clusters = t.clusters
        let centres = UnsafePointer(t.centres)
        let vectors = UnsafePointer(t.trackVectors)
        let durations = UnsafePointer(t.durations)
        let offsets = UnsafePointer(t.clusterOffsets)
        let clusterTracks = UnsafePointer(t.clusterTracks)
        let aliasProbability = UnsafePointer(t.aliasProbability)
        let aliasIndex = UnsafePointer(t.aliasIndex)
        let base = scratch.base
        let drift = scratch.drift
        let baseProjection = scratch.baseProjection
        let projection = scratch.projection
        let shift = scratch.shift
        let mood = scratch.mood
        let preference = scratch.preference
        let taste = scratch.taste
        let cdf = scratch.clusterCDF

        var rng = SyntheticRNG(seed: t.seed, stream: UInt64(user))

        // Long-term taste: two favourite clusters (chosen by cluster size) plus a little noise.
        let first = t.appealCDF.syntheticSample(&rng)
        let second = clusters > 1 ? (first + 1 + rng.below(clusters - 1)) % clusters : first
        let tasteNoise = p.tasteNoise / Float(dim).squareRoot()
        for d in 0..<dim {
            base[d] =
                centres[first * dim + d] + p.secondFavouriteWeight * centres[second * dim + d]
                + tasteNoise * rng.gaussian()
        }
        Self.normalize(base, dim)
        // The centres are orthonormal, so everything per session is done in centre coordinates
        // (O(clusters)) from these projections; only the skip test needs the preference in full.
        for c in 0..<clusters {
            baseProjection[c] = Self.dot(base, centres + c * dim, dim)
            drift[c] = 0
            mood[c] = 0
        }

        // Habits: two habitual start hours, a primary device and a primary source.
        let habitualHours = (t.hourCDF.syntheticSample(&rng), t.hourCDF.syntheticSample(&rng))
        let primaryDevice = t.deviceCDF.syntheticSample(&rng)
        let primarySource = t.sourceCDF.syntheticSample(&rng)
        let skipBias = p.skipUserSpread * (2 * rng.unit() - 1)
        let sessionCount = t.sessionRange.lowerBound + rng.below(t.sessionRange.count)

        let clusterScale = 1 / Float(clusters).squareRoot()
        let driftScale = p.driftStep * clusterScale
        let noiseScale = p.sessionNoise * clusterScale
        var previousEnd = t.startTime

        for index in 0..<sessionCount {
            // Context: hour (habitual ±1 h or global), device, source.
            let hour: Int
            if rng.unitDouble() < p.habitualHourShare {
                let peak = rng.unitDouble() < 0.6 ? habitualHours.0 : habitualHours.1
                hour = (peak + 23 + rng.below(3)) % 24
            } else {
                hour = t.hourCDF.syntheticSample(&rng)
            }
            let device = rng.unitDouble() < p.primaryDeviceShare ? primaryDevice : t.deviceCDF.syntheticSample(&rng)
            let source = rng.unitDouble() < p.primarySourceShare ? primarySource : t.sourceCDF.syntheticSample(&rng)

            // Start: at least 1 h after the previous session, then the next time the clock shows `hour`.
            let earliest: Int64
            if index == 0 {
                earliest = t.startTime + Int64(rng.below(2 * 86_400))
            } else {
                earliest = previousEnd + 3600 + Int64(rng.exponential(mean: p.meanExtraGap))
            }
            var start = Self.floorDay(earliest) * 86_400 + Int64(hour * 3600 + rng.below(3600))
            if start < earliest { start += 86_400 }
            let daypart = Daypart(hour: hour)

            // Drift: mean-reverting random walk of the centre coordinates δ.
            // taste = norm(base + Σ δ_c μ_c); ‖base + Σ δ_c μ_c‖² = 1 + 2 Σ δ_c (base·μ_c) + Σ δ_c².
            var tasteNormSquared: Float = 1
            for c in 0..<clusters {
                if index > 0 { drift[c] = p.driftRetention * drift[c] + driftScale * rng.gaussian() }
                tasteNormSquared += drift[c] * (2 * baseProjection[c] + drift[c])
            }
            let tasteScale = 1 / max(tasteNormSquared, 1e-12).squareRoot()

            // Mood: an AR(1) offset whose correlation with the previous session's halves every
            // moodHalfLife of gap; its stationary scale is noiseScale per centre coordinate.
            let carry = index == 0 ? 0 : p.moodCarryOver * Float(Foundation.exp2(-Double(start - previousEnd) / p.moodHalfLife))
            let fresh = (1 - carry * carry).squareRoot() * noiseScale

            // Preference q = taste + Σ σ_c μ_c with σ = context shifts + mood; ‖q‖² = 1 + 2 Σ σ_c (taste·μ_c) + Σ σ_c².
            let daypartTarget = t.daypartTarget[Int(daypart.rawValue)]
            let deviceTarget = t.deviceTarget[device]
            var preferenceNormSquared: Float = 1
            for c in 0..<clusters {
                mood[c] = carry * mood[c] + fresh * rng.gaussian()
                var sigma = mood[c]
                if c == daypartTarget { sigma += p.daypartShift }
                if c == deviceTarget { sigma += p.deviceShift }
                shift[c] = sigma
                projection[c] = (baseProjection[c] + drift[c]) * tasteScale
                preferenceNormSquared += sigma * (2 * projection[c] + sigma)
            }
            let preferenceScale = 1 / max(preferenceNormSquared, 1e-12).squareRoot()

            // The unit taste and preference in full space, for the per-play skip cosines: SAXPYs over contiguous centres.
            for d in 0..<dim { taste[d] = base[d] * tasteScale }
            for c in 0..<clusters {
                let coefficient = drift[c] * tasteScale
                let centre = centres + c * dim
                for d in 0..<dim { taste[d] += coefficient * centre[d] }
            }
            for d in 0..<dim { preference[d] = taste[d] }
            for c in 0..<clusters {
                let centre = centres + c * dim
                for d in 0..<dim { preference[d] += shift[c] * centre[d] }
            }
            for d in 0..<dim { preference[d] *= preferenceScale }

            // Cluster distribution: softmax of κ/T · cos(preference, centre), where cos = (taste·μ_c + σ_c)/‖q‖.
            var temperature: Float = 1
            if t.rareDaypart[Int(daypart.rawValue)] { temperature += p.rareDaypartHeat }
            if t.rareDevice[device] { temperature += p.rareDeviceHeat }
            let scale = p.sharpness / temperature * preferenceScale
            var maxLogit = -Float.infinity
            for c in 0..<clusters {
                cdf[c] = scale * (projection[c] + shift[c])
                maxLogit = max(maxLogit, cdf[c])
            }
            var total: Float = 0
            for c in 0..<clusters {
                total += Foundation.exp(cdf[c] - maxLogit)
                cdf[c] = total
            }

            // Attention: lean-back sessions (low attention) skip little whatever plays; no draw when it is fixed at 1.
            let attention = p.skipAttentionFloor >= 1 ? 1 : p.skipAttentionFloor + (1 - p.skipAttentionFloor) * rng.unit()

            // Plays: cluster by the session's distribution, track by within-cluster popularity.
            let length = t.playRange.lowerBound + rng.below(t.playRange.count)
            var time = start
            for _ in 0..<length {
                let u = rng.unit() * total
                var lo = 0
                var hi = clusters - 1
                while lo < hi {
                    let mid = (lo &+ hi) >> 1
                    if cdf[mid] > u { hi = mid } else { lo = mid &+ 1 }
                }
                let sliceStart = Int(offsets[lo])
                let sliceCount = Int(offsets[lo &+ 1]) &- sliceStart
                let x = rng.next()
                var j = Int(truncatingIfNeeded: ((x >> 32) &* UInt64(truncatingIfNeeded: sliceCount)) >> 32)
                if Float(x & 0xFF_FFFF) * 0x1p-24 >= aliasProbability[sliceStart &+ j] {
                    j = Int(aliasIndex[sliceStart &+ j])
                }
                let track = Int(clusterTracks[sliceStart &+ j])

                // Skips grow with the track's distance from the session preference and from the long-term taste.
                let vector = vectors + track &* dim
                let cosine = Self.dot(vector, preference, dim)
                let tasteCosine = p.skipTasteSlope == 0 ? 1 : Self.dot(vector, taste, dim)
                let logit = p.skipBase + attention * (p.skipSlope * (1 - cosine) + p.skipTasteSlope * (1 - tasteCosine)) + skipBias
                let skipped = rng.unit() * (1 + Foundation.exp(-logit)) < 1
                session.plays.append(Play(track: Int32(truncatingIfNeeded: track), time: time, skip: skipped ? .skipped : .played))
                let listened = skipped ? Int64(5 &+ rng.below(36)) : Int64(durations[track])
                time = time &+ listened &+ Int64(rng.below(3))
            }
            previousEnd = time

            session.user = Int32(truncatingIfNeeded: user)
            session.start = start
            session.context = SessionContext(unixTime: start, device: Int16(device), source: Int16(source))
            if recordTruth {
                var probabilities = [Float](repeating: 0, count: clusters)
                var previous: Float = 0
                for c in 0..<clusters {
                    probabilities[c] = (cdf[c] - previous) / total
                    previous = cdf[c]
                }
                let truth = SessionTruth(
                    taste: Array(UnsafeBufferPointer(start: taste, count: dim)),
                    preference: Array(UnsafeBufferPointer(start: preference, count: dim)),
                    mood: Array(UnsafeBufferPointer(start: mood, count: clusters)),
                    temperature: temperature,
                    clusterProbabilities: probabilities,
                    skipBias: skipBias,
                    attention: attention)
                try body(session, truth)
            } else {
                try body(session, nil)
            }
            session.plays.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always)
    static func normalize(_ v: UnsafeMutablePointer<Float>, _ n: Int) {
        var norm: Float = 0
        for i in 0..<n { norm += v[i] * v[i] }
        guard norm > 0 else { return }
        let inv = 1 / norm.squareRoot()
        for i in 0..<n { v[i] *= inv }
    }

    /// Dot product with eight partial sums, so the loop is not one long dependency chain.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
        var i = 0
        while i &+ 8 <= n {
            s0 += a[i] * b[i]
            s1 += a[i &+ 1] * b[i &+ 1]
            s2 += a[i &+ 2] * b[i &+ 2]
            s3 += a[i &+ 3] * b[i &+ 3]
            s4 += a[i &+ 4] * b[i &+ 4]
            s5 += a[i &+ 5] * b[i &+ 5]
            s6 += a[i &+ 6] * b[i &+ 6]
            s7 += a[i &+ 7] * b[i &+ 7]
            i &+= 8
        }
        while i < n {
            s0 += a[i] * b[i]
            i &+= 1
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }

    @inline(__always)
    static func floorDay(_ time: Int64) -> Int64 {
        let day = time / 86_400
        return time % 86_400 < 0 ? day - 1 : day
    }
}

/// Per-call working vectors of the generator, so the session loop does not allocate.
final class SyntheticScratch {
    /// The user's base taste (dimension).
    let base: UnsafeMutablePointer<Float>
    /// The session preference (dimension).
    let preference: UnsafeMutablePointer<Float>
    /// The unit long-term taste of the current session, base plus drift (dimension).
    let taste: UnsafeMutablePointer<Float>
    /// base·μ_c, drift δ_c, mood m_c, taste·μ_c, shift σ_c and the cluster CDF (clusters each).
    let baseProjection: UnsafeMutablePointer<Float>
    let drift: UnsafeMutablePointer<Float>
    let mood: UnsafeMutablePointer<Float>
    let projection: UnsafeMutablePointer<Float>
    let shift: UnsafeMutablePointer<Float>
    let clusterCDF: UnsafeMutablePointer<Float>
    private let storage: UnsafeMutablePointer<Float>

    init(tables: SyntheticTables) {
        let dim = tables.dimension
        let c = tables.clusters
        storage = .allocate(capacity: 3 * dim + 6 * c)
        storage.initialize(repeating: 0, count: 3 * dim + 6 * c)
        base = storage
        preference = storage + dim
        taste = storage + 2 * dim
        baseProjection = storage + 3 * dim
        drift = baseProjection + c
        mood = drift + c
        projection = mood + c
        shift = projection + c
        clusterCDF = shift + c
    }

    deinit {
        storage.deallocate()
    }
}
