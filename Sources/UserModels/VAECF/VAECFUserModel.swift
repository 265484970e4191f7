import Foundation
import Listening
import Tensor

/// A VAE-CF bound to a track space, usable as a `UserModel`, a `NextTrackPredictor` and a
/// `CatalogueScoring` model.
///
/// Every prediction folds in the user's plays before the prediction point (never later ones) and
/// decodes the latent mean to a softmax p over the catalogue.
/// - `CatalogueScoring`: log pᵢ for each catalogue track, `-infinity` for every other track id.
/// - `UserModel` / `NextTrackPredictor`: the p-weighted mean of all catalogue tracks' vectors,
///   normalised. For a unit prediction u, E[cos(v_next, u)] under p is u·Σᵢ pᵢvᵢ, so this vector is
///   the one that maximises the expected cosine to the next track; a top-k mean would serve ranking
///   by cosine better on a sharp p, but the scores serve ranking directly.
///   Catalogue tracks without a vector add nothing (their mass is dropped before normalising).
///
/// VAE-CF reads no context and no time: `contextFields` is empty.
public struct VAECFUserModel: UserModel, NextTrackPredictor, CatalogueScoring {
    /// The trained model.
    public let model: VAECF
    /// The track space of the vector predictions.
    public let tracks: TrackVectors
    /// `[I, D]`: the vector of each catalogue item (zero rows for tracks without one).
    let itemVectors: Tensor

    /// Binds `model` to `tracks`, which must be the track table its catalogue indexes.
    public init(model: VAECF, tracks: TrackVectors) throws {
        guard tracks.count == model.catalogue.trackCount else {
            throw VAECFError.trackCountMismatch(expected: model.catalogue.trackCount, found: tracks.count)
        }
        self.model = model
        self.tracks = tracks
        var values: [Float] = []
        values.reserveCapacity(model.catalogue.count * tracks.dimension)
        for track in model.catalogue.tracks { tracks.withVector(track) { values.append(contentsOf: $0) } }
        itemVectors = Tensor(shape: [model.catalogue.count, tracks.dimension], scalars: values)
    }

    public var name: String { model.name }
    public var dimension: Int { tracks.dimension }
    public var trackCount: Int { model.catalogue.trackCount }
    /// None: the prediction depends only on which tracks were played before.
    public var contextFields: Set<ContextField> { [] }

    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        vectors(model.query(history: history)).first ?? [Float](repeating: 0, count: dimension)
    }

    /// Session-start predictions for every session, in one pass over the user's plays.
    public func predictAll(sessions: [Session]) -> [[Float]] {
        vectors(model.sessionStartQueries(sessions: sessions, targets: sessions.indices))
    }

    public func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        vectors(model.nextTrackQueries(sessions: sessions, targets: targets))
    }

    public func sessionCatalogueScores(sessions: [Session], targets: Range<Int>, _ body: (Int, UnsafeBufferPointer<Float>) -> Void) {
        scores(model.sessionStartQueries(sessions: sessions, targets: targets), body)
    }

    public func nextTrackCatalogueScores(sessions: [Session], targets: Range<Int>, _ body: (Int, UnsafeBufferPointer<Float>) -> Void) {
        scores(model.nextTrackQueries(sessions: sessions, targets: targets), body)
    }

    /// The normalised p-weighted mean of the item vectors for each query: one `[n, I]·[I, D]` product per chunk.
    func vectors(_ queries: VAECFQueries) -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(queries.rows)
        let d = dimension
        model.logProbabilities(queries, exponentiated: true) { _, probabilities in
            probabilities.matmul(itemVectors).withUnsafeBufferPointer { mean in
                for r in 0..<(mean.count / d) {
                    out.append(VectorOps.normalized(Array(mean[(r * d)..<((r + 1) * d)])))
                }
            }
        }
        return out
    }

    /// Log-probabilities scattered into track-id order, `-infinity` outside the catalogue.
    func scores(_ queries: VAECFQueries, _ body: (Int, UnsafeBufferPointer<Float>) -> Void) {
        let catalogue = model.catalogue
        var row = [Float](repeating: -.infinity, count: catalogue.trackCount)
        model.logProbabilities(queries) { first, logProbabilities in
            let width = catalogue.count
            logProbabilities.withUnsafeBufferPointer { v in
                for r in 0..<(v.count / width) {
                    row.withUnsafeMutableBufferPointer { out in
                        for i in 0..<width { out[Int(catalogue.tracks[i])] = v[r &* width &+ i] }
                        body(first + r, UnsafeBufferPointer(out))
                    }
                }
            }
        }
    }
}
