import Evaluation
import Foundation
import Listening
import Testing

@testable import UserModels

/// VAE-CF's acceptance: it recovers each user's planted long-term taste better than Popularity,
/// over three seeds (data, weights and batch order) with the 2-SE rule; next-track distances and
/// catalogue ranks against Average and Popularity are printed.
@Suite(.serialized) struct VAECFAcceptanceTests {
    static let seeds: [UInt64] = [1, 2, 3]
    /// Recommended tracks per user.
    static let k = 20

    /// What one seed measured; every figure is a mean over users (taste) or test plays (next track).
    struct Figures {
        var favouriteShare: (vaecf: Double, popularity: Double, average: Double)
        var massCorrelation: (vaecf: Double, popularity: Double)
        var cosine: (vaecf: Double, popularity: Double, average: Double)
        var reciprocalRank: (vaecfScores: Double, vaecfVector: Double, average: Double, popularity: Double)
    }

    static func figures(seed: UInt64) throws -> Figures {
        let data = VAECFTestData(users: 300, sessionsPerUser: 30, tracks: 1_000, seed: 100 + seed)
        let split = TimeSplit()
        // The paper's shape at a third of its width, so three seeds train in seconds.
        let config = VAECFConfig(hidden: 200, latent: 64, dropout: 0.5, betaMax: 0.2, annealingSteps: 200, seed: seed)
        let model = try VAECF(config: config, users: data.users, trackCount: data.tracks.count, split: split)
        let options = TrainingOptions(learningRate: 3e-3, batchSize: 16, maxEpochs: 12, patience: 3, seed: seed)
        let started = Date()
        let result = try model.train(users: data.users, tracks: data.tracks, split: split, options: options)
        let seconds = Date().timeIntervalSince(started)
        let userEpochs = Double(result.state.epoch * data.users.count)
        print(
            "VAE-CF seed \(seed): catalogue \(model.catalogue.count), epochs \(result.state.epoch), best \(result.bestEpoch), "
                + "validation NLL/play \(result.bestValidationLoss), \(String(format: "%.1f", seconds)) s (\(Int(userEpochs / seconds)) users/s incl. validation)"
        )
        let bound = try VAECFUserModel(model: model, tracks: data.tracks)
        let average = AverageBaseline(tracks: data.tracks)
        let popularity = PopularityBaseline(tracks: data.tracks, sessions: split.trainingSessions(of: data.users))

        // Popularity's list: the most played training tracks; its cluster mass: the clusters' shares of training plays.
        var trainPlays = [Double](repeating: 0, count: data.tracks.count)
        for session in split.trainingSessions(of: data.users) { for play in session.plays { trainPlays[Int(play.track)] += 1 } }
        let popular = topK(trainPlays.map { Float($0) })
        let popularMass = clusterMass(trainPlays, data: data)

        var share = (vaecf: [Double](), popularity: [Double](), average: [Double]())
        var correlation = (vaecf: [Double](), popularity: [Double]())
        for (user, sessions) in data.users.enumerated() {
            let test = split.range(.test, of: sessions)
            guard let t = test.first else { continue }
            let affinity = data.clusterAffinity(data.tastes[user][t])
            let favourites = Set(affinity.indices.sorted { affinity[$0] > affinity[$1] }.prefix(2))
            func favouriteShare(_ tracks: [Int]) -> Double {
                Double(tracks.filter { favourites.contains(Int(data.truth.trackCluster[$0])) }.count) / Double(tracks.count)
            }
            let scores = bound.sessionCatalogueScores(sessions: sessions, targets: t..<(t + 1))
            share.vaecf.append(favouriteShare(topK(scores)))
            share.popularity.append(favouriteShare(popular))
            let averageVector = average.predict(history: sessions[..<t], context: sessions[t].context, time: sessions[t].start)
            share.average.append(favouriteShare(topK(data.tracks.dotProducts([averageVector]))))
            correlation.vaecf.append(pearson(clusterMass(scores.map { Double(Foundation.exp($0)) }, data: data), affinity))
            correlation.popularity.append(pearson(popularMass, affinity))
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

        let cosine = (
            vaecf: NextTrackEvaluation.evaluate(bound, users: data.users, tracks: data.tracks, split: split, rankCatalogue: false)
                .cosineDistance,
            popularity: NextTrackEvaluation.evaluate(popularity, users: data.users, tracks: data.tracks, split: split, rankCatalogue: false)
                .cosineDistance,
            average: NextTrackEvaluation.evaluate(average, users: data.users, tracks: data.tracks, split: split, rankCatalogue: false)
                .cosineDistance
        )
        // Next-track reciprocal rank over the catalogue: VAE-CF by its own scores and by cosine to its vector, the baselines by cosine.
        func vectorMRR(_ predictor: some NextTrackPredictor) -> Double {
            NextTrackEvaluation.evaluate(predictor, users: data.users, tracks: data.tracks, split: split).reciprocalRank ?? .nan
        }
        var reciprocal: [Double] = []
        for sessions in data.users {
            let test = split.range(.test, of: sessions)
            guard !test.isEmpty else { continue }
            let plays = sessions[test].flatMap(\.plays)
            bound.nextTrackCatalogueScores(sessions: sessions, targets: test) { row, scores in
                guard data.tracks.hasVector(plays[row].track) else { return }
                reciprocal.append(1 / Double(NextTrackMetrics.rank(of: Int(plays[row].track), scores: scores)))
            }
        }
        return Figures(
            favouriteShare: (mean(share.vaecf), mean(share.popularity), mean(share.average)),
            massCorrelation: (mean(correlation.vaecf), mean(correlation.popularity)),
            cosine: cosine,
            reciprocalRank: (mean(reciprocal), vectorMRR(bound), vectorMRR(average), vectorMRR(popularity)))
    }

    /// The indices of the `k` highest scores (ties by index).
    static func topK(_ scores: [Float]) -> [Int] {
        Array(scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(k))
    }

    /// Per planted cluster, the share of `weights` (one per track) its tracks hold.
    static func clusterMass(_ weights: [Double], data: VAECFTestData) -> [Double] {
        var mass = [Double](repeating: 0, count: data.truth.clusterCount)
        for (track, weight) in weights.enumerated() where weight.isFinite { mass[Int(data.truth.trackCluster[track])] += weight }
        let total = mass.reduce(0, +)
        return total > 0 ? mass.map { $0 / total } : mass
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices {
            ab += (a[i] - ma) * (b[i] - mb)
            aa += (a[i] - ma) * (a[i] - ma)
            bb += (b[i] - mb) * (b[i] - mb)
        }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
    }

    /// `a` exceeds `b` by more than twice the standard error of the per-seed differences.
    static func higher(_ a: [Double], _ b: [Double]) -> Bool {
        let d = SampleSummary(zip(a, b).map { $0 - $1 })
        return d.mean > 2 * d.standardError
    }

    @Test func vaecfRecoversThePlantedTasteBetterThanPopularity() throws {
        let all = try Self.seeds.map { try Self.figures(seed: $0) }
        let share = (
            vaecf: all.map(\.favouriteShare.vaecf), popularity: all.map(\.favouriteShare.popularity),
            average: all.map(\.favouriteShare.average)
        )
        let correlation = (vaecf: all.map(\.massCorrelation.vaecf), popularity: all.map(\.massCorrelation.popularity))
        let cosine = (vaecf: all.map(\.cosine.vaecf), popularity: all.map(\.cosine.popularity), average: all.map(\.cosine.average))
        print(
            "top-\(Self.k) share in the planted favourite two clusters per seed: VAE-CF \(share.vaecf), Popularity \(share.popularity), Average \(share.average)"
        )
        print("Pearson r of cluster mass with planted affinity per seed: VAE-CF \(correlation.vaecf), Popularity \(correlation.popularity)")
        print("next-track cosine distance per seed: VAE-CF \(cosine.vaecf), Average \(cosine.average), Popularity \(cosine.popularity)")
        print(
            "next-track catalogue MRR per seed: VAE-CF scores \(all.map(\.reciprocalRank.vaecfScores)), VAE-CF vector \(all.map(\.reciprocalRank.vaecfVector)), "
                + "Average \(all.map(\.reciprocalRank.average)), Popularity \(all.map(\.reciprocalRank.popularity))")
        #expect(Self.higher(share.vaecf, share.popularity), "favourite share VAE-CF \(share.vaecf) vs Popularity \(share.popularity)")
        #expect(
            Self.higher(correlation.vaecf, correlation.popularity),
            "mass correlation VAE-CF \(correlation.vaecf) vs Popularity \(correlation.popularity)")
        // Lower is better: VAE-CF's vector beats the user-blind Popularity vector on the next track.
        #expect(Self.higher(cosine.popularity, cosine.vaecf), "cosine VAE-CF \(cosine.vaecf) vs Popularity \(cosine.popularity)")
    }
}
