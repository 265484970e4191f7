import Foundation

#if canImport(Accelerate)
import Accelerate
#elseif canImport(COpenBLAS)
import COpenBLAS
#endif

/// The tables and weight buffers of one word2vec run, shared by its threads.
///
/// `@unchecked Sendable`: the weights are updated without locks on purpose (see `Word2Vec`);
/// every other buffer is written once before the threads start.
final class Word2VecModel: @unchecked Sendable {
    let config: Word2VecConfig
    let corpus: Word2VecCorpus
    let dimension: Int
    let trackCount: Int
    /// Tracks with at least min-count plays.
    let inVocabulary: [Bool]
    let vocabularyCount: Int
    /// Keep a token when a uniform UInt32 is below this (UInt32.max + 1 means always, stored as UInt64).
    let keepThreshold: UnsafeMutablePointer<UInt64>
    /// Negative sampling by Walker's alias method over the tracks, P(t) ∝ count^0.75.
    ///
    /// Draw a track uniformly, keep it when a uniform 24-bit number is below
    /// `aliasProbability[t]` (scaled to 2^24), else take `alias[t]`. Two arrays of one
    /// entry per track stay in cache, where word2vec.c's 10^8-entry table misses on
    /// nearly every draw; the distribution is also exact rather than quantised.
    let aliasProbability: UnsafeMutablePointer<UInt32>
    let alias: UnsafeMutablePointer<Int32>
    /// σ(x) for x in [−maxExp, maxExp], in `sigmoidSize` steps.
    let sigmoid: UnsafeMutablePointer<Float>
    static let sigmoidSize = 1_000
    static let maxExp: Float = 6
    /// Input (track) vectors and output (context) vectors, trackCount × dimension each.
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>
    /// Tokens between progress and learning-rate updates.
    static let updateInterval = 10_000

    init(corpus: Word2VecCorpus, config: Word2VecConfig) throws {
        self.config = config
        self.corpus = corpus
        dimension = config.dimension
        trackCount = corpus.vocabularySize
        guard trackCount > 0 else { throw TrackSpaceError.invalidArgument("the vocabulary is empty") }
        let counts = corpus.counts()
        inVocabulary = counts.map { $0 >= config.minCount }
        vocabularyCount = inVocabulary.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard vocabularyCount > 0 else { throw TrackSpaceError.noTrackReachesMinCount(minCount: config.minCount) }

        // Subsampling, gensim's formula: threshold count t·N, keep probability (√(c/(tN)) + 1)·tN/c.
        let retained = zip(counts, inVocabulary).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
        keepThreshold = .allocate(capacity: trackCount)
        let thresholdCount = config.sample * Double(retained)
        for t in 0..<trackCount {
            let c = Double(counts[t])
            var keep = 1.0
            if config.sample > 0, c > 0 { keep = min(1, ((c / thresholdCount).squareRoot() + 1) * thresholdCount / c) }
            keepThreshold[t] = UInt64(keep * 4_294_967_296)
        }

        // Unigram^0.75 distribution as an alias table (Vose's construction).
        var weights = [Double](repeating: 0, count: trackCount)
        for t in 0..<trackCount where inVocabulary[t] { weights[t] = Foundation.pow(Double(counts[t]), 0.75) }
        (aliasProbability, alias) = Self.aliasTable(weights)

        sigmoid = .allocate(capacity: Self.sigmoidSize)
        for i in 0..<Self.sigmoidSize {
            let x = (Float(i) / Float(Self.sigmoidSize) * 2 - 1) * Self.maxExp
            sigmoid[i] = 1 / (1 + Foundation.exp(-x))
        }

        // Input vectors uniform in ±0.5/d (word2vec.c), output vectors zero.
        let size = trackCount * dimension
        input = .allocate(capacity: size)
        output = .allocate(capacity: size)
        output.initialize(repeating: 0, count: size)
        var rng = XorShiftRandom(seed: config.seed)
        for t in 0..<trackCount {
            for d in 0..<dimension {
                input[t * dimension + d] = inVocabulary[t] ? (rng.unit() - 0.5) / Float(dimension) : 0
            }
        }
    }

    func deallocate() {
        keepThreshold.deallocate()
        aliasProbability.deallocate()
        alias.deallocate()
        sigmoid.deallocate()
        input.deallocate()
        output.deallocate()
    }

    /// Vose's alias table of `weights` (not all zero): acceptance thresholds scaled to 2^24, and aliases.
    static func aliasTable(_ weights: [Double]) -> (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<Int32>) {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        let probability = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
        let alias = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n {
            alias[i] = Int32(i)
            if scaled[i] < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.last, let l = large.last {
            small.removeLast()
            probability[s] = UInt32(scaled[s] * 16_777_216)
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Leftovers are 1 up to rounding: keep them, except zero weights (untrained tracks), which must never be drawn.
        let heaviest = weights.indices.max { weights[$0] < weights[$1] } ?? 0
        for i in small + large {
            probability[i] = weights[i] > 0 ? 16_777_216 : 0
            if weights[i] == 0 { alias[i] = Int32(heaviest) }
        }
        return (probability, alias)
    }

    /// Contiguous sentence ranges with about the same number of tokens each.
    func partition(threads: Int) -> [Range<Int>] {
        let starts = corpus.sentenceStarts
        let sentences = corpus.sentenceCount
        var ranges: [Range<Int>] = []
        var lower = 0
        for t in 0..<threads {
            let target = corpus.tokens.count * (t + 1) / threads
            var upper = lower
            if t == threads - 1 {
                upper = sentences
            } else {
                while upper < sentences, starts[upper + 1] <= target { upper += 1 }
            }
            ranges.append(lower..<upper)
            lower = upper
        }
        return ranges
    }

    /// The input vectors with the rows of untrained tracks zeroed.
    func trainedVectors() -> [Float] {
        var result = Array(UnsafeBufferPointer(start: input, count: trackCount * dimension))
        for t in 0..<trackCount where !inVocabulary[t] {
            for d in 0..<dimension { result[t * dimension + d] = 0 }
        }
        return result
    }
}

/// xorshift64*: a small, fast per-thread generator.
struct XorShiftRandom {
    var state: UInt64

    init(seed: UInt64) {
        // Splitmix the seed so nearby seeds give unrelated streams; the state must not be zero.
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        state = z == 0 ? 0x9E37_79B9_7F4A_7C15 : z
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Float { Float(next() >> 40) * 0x1p-24 }
}
