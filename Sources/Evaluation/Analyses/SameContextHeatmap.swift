import Listening
import UserModels

/// Whether a user's most similar other session shares the context: P(target context | source context), against random pairing.
///
/// For each session, its nearest other session of the same user (cosine of session embeddings)
/// is found. `observed[a][b]` is the share of sessions in context a whose nearest session is in
/// context b; `expected[a][b]` is the same share if the nearest session were a uniformly random
/// other session of that user. `excess = observed − expected`: a positive diagonal means
/// sessions resemble sessions in the same context more than chance.
public struct SameContextHeatmap: Sendable, Codable {
    public var dimension: ContextDimension
    /// Context values, in row and column order.
    public var values: [Int]
    public var names: [String]
    public var observed: [[Double]]
    public var expected: [[Double]]
    public var excess: [[Double]]
    /// Sessions counted per row.
    public var rowCounts: [Int]

    /// Mean of the diagonal of `excess`, weighted by row counts.
    public var meanDiagonalExcess: Double {
        let total = rowCounts.reduce(0, +)
        guard total > 0 else { return .nan }
        return values.indices.reduce(0.0) { $0 + excess[$1][$1] * Double(rowCounts[$1]) } / Double(total)
    }

    /// Computes the heatmap over users' sessions (each inner array one user's sessions).
    public init(users: [[Session]], tracks: TrackVectors, vocabulary: Vocabulary, dimension: ContextDimension) {
        self.dimension = dimension
        var valueSet = Set<Int>()
        for sessions in users { for s in sessions { if let v = dimension.value(s.context) { valueSet.insert(v) } } }
        values = valueSet.sorted()
        names = values.map { dimension.name($0, vocabulary: vocabulary) }
        let slot = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
        let n = values.count
        var observedCounts = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var expectedCounts = observedCounts
        let d = tracks.dimension
        for sessions in users {
            let known = sessions.filter { dimension.value($0.context) != nil }
            guard known.count >= 2 else { continue }
            let slots = known.map { slot[dimension.value($0.context) ?? -1] ?? 0 }
            let embeddings = known.flatMap { tracks.sessionEmbedding($0.plays) }
            var valueCounts = [Double](repeating: 0, count: n)
            for s in slots { valueCounts[s] += 1 }
            embeddings.withUnsafeBufferPointer { e in
                for i in known.indices {
                    var best = -Float.infinity
                    var bestIndex = -1
                    for j in known.indices where j != i {
                        var dot: Float = 0
                        let a = i &* d, b = j &* d
                        for k in 0..<d { dot += e[a &+ k] * e[b &+ k] }
                        if dot > best {
                            best = dot
                            bestIndex = j
                        }
                    }
                    guard bestIndex >= 0 else { continue }
                    observedCounts[slots[i]][slots[bestIndex]] += 1
                    // Random pairing: any other session of the user, equally likely.
                    for b in 0..<n {
                        let others = valueCounts[b] - (b == slots[i] ? 1 : 0)
                        expectedCounts[slots[i]][b] += others / Double(known.count - 1)
                    }
                }
            }
        }
        func rowNormalised(_ m: [[Double]]) -> [[Double]] {
            m.map { row in
                let total = row.reduce(0, +)
                return total > 0 ? row.map { $0 / total } : row
            }
        }
        rowCounts = observedCounts.map { Int($0.reduce(0, +)) }
        observed = rowNormalised(observedCounts)
        expected = rowNormalised(expectedCounts)
        excess = zip(observed, expected).map { zip($0, $1).map { $0 - $1 } }
    }
}
