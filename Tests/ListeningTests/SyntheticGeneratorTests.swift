import Foundation
import Testing

@testable import Listening

/// Determinism, shapes and timing of the synthetic generator.
@Suite struct SyntheticGeneratorTests {
    static let small = SyntheticConfig(users: 12, sessionsPerUser: 8, playsPerSession: 6, tracks: 300, clusters: 6, seed: 7)

    static func all(_ generator: SyntheticGenerator, _ range: Range<Int>) -> [Session] {
        var sessions: [Session] = []
        generator.generate(users: range) { sessions.append($0) }
        return sessions
    }

    @Test func sameSeedGivesIdenticalSessionsAndDifferentSeedDoesNot() {
        let a = Self.all(SyntheticGenerator(config: Self.small), 0..<12)
        let b = Self.all(SyntheticGenerator(config: Self.small), 0..<12)
        #expect(!a.isEmpty)
        #expect(a == b)
        var other = Self.small
        other.seed = 8
        let c = Self.all(SyntheticGenerator(config: other), 0..<12)
        #expect(a != c)
        #expect(SyntheticGenerator(config: Self.small).truth.trackVectors == SyntheticGenerator(config: Self.small).truth.trackVectors)
        #expect(SyntheticGenerator(config: Self.small).truth.trackVectors != SyntheticGenerator(config: other).truth.trackVectors)
    }

    @Test func aUsersSessionsDoNotDependOnTheRange() {
        let generator = SyntheticGenerator(config: Self.small)
        let whole = Self.all(generator, 0..<10)
        let tail = Self.all(generator, 5..<10)
        #expect(!tail.isEmpty)
        #expect(Array(whole.drop { $0.user < 5 }) == tail)
        #expect(generator.sessions(user: 3) == whole.filter { $0.user == 3 })
        // Ranges beyond the configured users are clamped.
        #expect(Self.all(generator, 10..<50) == Self.all(generator, 10..<12))
    }

    @Test func parallelGenerationPreservesOrderAndContent() {
        let generator = SyntheticGenerator(config: Self.small)
        let sequential = Self.all(generator, 0..<12)
        for (threads, chunk) in [(2, 1), (2, 5), (3, 4), (1, 3)] {
            var parallel: [Session] = []
            generator.generateParallel(threads: threads, chunk: chunk) { parallel.append($0) }
            #expect(parallel == sequential, "threads \(threads), chunk \(chunk)")
        }
        var part: [Session] = []
        generator.generateParallel(users: 4..<9, threads: 2, chunk: 2) { part.append($0) }
        #expect(part == Self.all(generator, 4..<9))
    }

    @Test func parallelGenerationStopsWhenTheBodyThrows() {
        struct Stop: Error {}
        let generator = SyntheticGenerator(config: Self.small)
        var seen = 0
        #expect(throws: Stop.self) {
            try generator.generateParallel(threads: 2, chunk: 1) { _ in
                seen += 1
                if seen == 20 { throw Stop() }
            }
        }
        #expect(seen == 20)
    }

    @Test func vocabularyHasTheDocumentedKeysAndNames() {
        let generator = SyntheticGenerator(config: Self.small)
        let vocabulary = generator.vocabulary
        #expect(vocabulary.tracks.count == 300)
        #expect(vocabulary.users.count == 12)
        #expect(vocabulary.tracks[123].key == "t000123")
        #expect(vocabulary.tracks[123].name == "Track 123")
        let cluster = generator.truth.trackCluster[123]
        #expect(vocabulary.tracks[123].artist?.hasPrefix("Cluster \(cluster) Artist ") == true)
        #expect(vocabulary.users[4] == "u000004")
        #expect(vocabulary.devices == ["mobile", "desktop", "speaker", "tv", "car"])
        #expect(vocabulary.sources == ["user_collection", "editorial_playlist", "radio", "catalog", "personalized_playlist", "charts"])
        #expect(SyntheticGenerator.key(prefix: "u", 1_234_567) == "u1234567")
    }

    @Test func plantedCatalogueIsWellFormed() {
        let truth = SyntheticGenerator(config: Self.small).truth
        let dim = truth.dimension
        #expect(dim >= truth.clusterCount)
        // Orthonormal centres.
        for a in 0..<truth.clusterCount {
            for b in 0..<truth.clusterCount {
                let dot = zip(truth.clusterCentre(a), truth.clusterCentre(b)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-4)
            }
        }
        // Each track is a unit vector closest to its own centre; popularity sums to one per cluster.
        var popularity = [Float](repeating: 0, count: truth.clusterCount)
        for track in 0..<truth.trackCluster.count {
            let v = truth.trackVector(track)
            #expect(abs(v.reduce(Float(0)) { $0 + $1 * $1 } - 1) < 1e-4)
            let cosines = (0..<truth.clusterCount).map { c in zip(v, truth.clusterCentre(c)).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
            #expect(cosines.indices.max { cosines[$0] < cosines[$1] } == Int(truth.trackCluster[track]))
            popularity[Int(truth.trackCluster[track])] += truth.trackPopularity[track]
            #expect((150...300).contains(truth.trackDuration[track]))
        }
        for p in popularity { #expect(abs(p - 1) < 1e-3) }
        #expect(Set(truth.daypartTarget + truth.deviceTarget).count == min(truth.clusterCount, 10))
    }

    @Test func hiddenStateFollowsTheDocumentedFormulas() {
        let generator = SyntheticGenerator(config: Self.small)
        let truth = generator.truth
        let p = truth.parameters
        func dot(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        var checked = 0
        generator.generateWithTruth(users: 0..<12) { session, hidden in
            #expect(abs(dot(hidden.preference, hidden.preference) - 1) < 1e-4)
            #expect(abs(dot(hidden.taste, hidden.taste) - 1) < 1e-4)
            guard let daypart = session.context.daypart else { return }
            let temperature = truth.temperature(daypart: daypart, device: Int(session.context.device))
            #expect(hidden.temperature == temperature)
            // P(c) ∝ exp(κ/T · cos(preference, μ_c)).
            let logits = (0..<truth.clusterCount).map { p.sharpness / temperature * dot(hidden.preference, truth.clusterCentre($0)) }
            let maximum = logits.max() ?? 0
            let weights = logits.map { exp($0 - maximum) }
            let total = weights.reduce(0, +)
            for c in weights.indices { #expect(abs(weights[c] / total - hidden.clusterProbabilities[c]) < 1e-3) }
            // preference = q/‖q‖ with q = taste + Σ σ_c μ_c, σ = daypartShift·[dp] + deviceShift·[device] + noise.
            // Off the span of the centres the preference is the taste scaled by 1/‖q‖, which gives ‖q‖.
            func perpendicularNorm(_ v: [Float]) -> Float {
                var rest = v
                for c in 0..<truth.clusterCount {
                    let centre = Array(truth.clusterCentre(c))
                    let projection = dot(v, centre)
                    for d in rest.indices { rest[d] -= projection * centre[d] }
                }
                return dot(rest, rest).squareRoot()
            }
            let qNorm = perpendicularNorm(hidden.taste) / perpendicularNorm(hidden.preference)
            let dp = truth.daypartTarget[Int(daypart.rawValue)], dv = truth.deviceTarget[Int(session.context.device)]
            // What is left after the context shifts is the recorded mood (an AR(1) sum, so not bounded by one draw's range).
            for c in 0..<truth.clusterCount {
                let sigma = dot(hidden.preference, truth.clusterCentre(c)) * qNorm - dot(hidden.taste, truth.clusterCentre(c))
                let planted = (c == dp ? p.daypartShift : 0) + (c == dv ? p.deviceShift : 0)
                #expect(abs(sigma - planted - hidden.mood[c]) < 0.01, "cluster \(c)")
            }
            checked += 1
        }
        #expect(checked > 50)
    }

    @Test func sessionCountsLengthsAndTimingFollowTheConfig() {
        let config = SyntheticConfig(users: 40, sessionsPerUser: 20, playsPerSession: 10, tracks: 500, clusters: 8, seed: 3)
        let generator = SyntheticGenerator(config: config)
        var perUser = [Int](repeating: 0, count: 40)
        var previous: Session?
        var plays = 0
        generator.generate(users: 0..<40) { session in
            perUser[Int(session.user)] += 1
            plays += session.plays.count
            #expect((5...15).contains(session.plays.count))
            #expect(session.start >= config.startTime)
            #expect(session.plays.first?.time == session.start)
            #expect(
                session.context == SessionContext(unixTime: session.start, device: session.context.device, source: session.context.source))
            for (a, b) in zip(session.plays, session.plays.dropFirst()) {
                #expect(b.time > a.time)
                #expect(b.time - a.time < 20 * 60)
                // Skipped plays are cut short; played ones last the track's duration.
                let duration = Int64(generator.truth.trackDuration[Int(a.track)])
                if a.skip == .skipped { #expect(b.time - a.time <= 42) } else { #expect(b.time - a.time >= duration) }
            }
            if let previous, previous.user == session.user, let last = previous.plays.last {
                #expect(session.start - last.time >= 3600)
            }
            previous = session
        }
        #expect(perUser.allSatisfy { (10...30).contains($0) })
        let mean = Double(plays) / Double(generator.expectedPlays)
        #expect(abs(mean - 1) < 0.15)
    }

    @Test func tinyConfigsStillProduceValidData() {
        let generator = SyntheticGenerator(
            config: SyntheticConfig(users: 2, sessionsPerUser: 0, playsPerSession: 0, tracks: 1, clusters: 3))
        let sessions = Self.all(generator, 0..<2)
        #expect(sessions.count == 6)
        #expect(sessions.allSatisfy { $0.plays.count == 1 && Int($0.plays[0].track) < generator.vocabulary.tracks.count })
        #expect(generator.vocabulary.tracks.count == 3)
    }

    @Test func rngIsDeterministicAndRoughlyUniform() {
        var a = SyntheticRNG(seed: 1, stream: 2)
        var b = SyntheticRNG(seed: 1, stream: 2)
        var c = SyntheticRNG(seed: 1, stream: 3)
        let xs = (0..<8).map { _ in a.next() }
        #expect(xs == (0..<8).map { _ in b.next() })
        #expect(xs != (0..<8).map { _ in c.next() })
        var counts = [Int](repeating: 0, count: 10)
        var sum: Float = 0
        var squares: Float = 0
        for _ in 0..<100_000 {
            counts[a.below(10)] += 1
            let g = a.gaussian()
            sum += g
            squares += g * g
        }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        #expect(abs(sum / 100_000) < 0.02)
        #expect(abs(squares / 100_000 - 1) < 0.03)
    }
}
