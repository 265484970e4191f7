import Foundation

/// A Hierarchical Navigable Small World graph (Malkov and Yashunin, 2018) for approximate cosine search.
///
/// Vectors are normalised on insertion, so cosine similarity is a dot product.
/// Storage is flat: one buffer of vectors, one fixed-stride block of links per
/// node on layer 0 (2M slots) and on each upper layer (M slots), each block led
/// by its link count. Searches mark visited nodes in a bitset instead of a set.
/// An index is not thread-safe: searching reuses its scratch buffers, so give
/// each thread its own index (or a copy loaded from disk).
///
/// Graph traversal compares 8-bit codes of the vectors (`VectorCodes`, a quarter
/// of the memory traffic of Float32) and prefetches the codes of a node's
/// unvisited neighbours before comparing any of them; the final candidates (the
/// ef best) are re-ranked by exact Float32 dot products, so the similarities
/// returned are exact. The codes are derived from the vectors, so files store
/// only the vectors.
public final class HNSWIndex {
    /// Graph construction and search parameters.
    public struct Parameters: Sendable, Hashable {
        /// Links per node on the upper layers; layer 0 allows 2M.
        public var m: Int
        /// Candidate list size while inserting; larger builds slower and better graphs.
        public var efConstruction: Int
        /// Candidate list size while searching (at least k is used); larger is slower and more accurate.
        public var efSearch: Int
        /// Seed of the random layer assignment.
        public var seed: UInt64

        /// The defaults: M 24, efConstruction 200, efSearch 64, seed 42.
        ///
        /// On 1M × 80 clustered vectors (`setlist bench ann`), M 24 with efConstruction 200
        /// reaches recall@10 0.95 at efSearch 32, where M 16 with efConstruction 100 needed
        /// about 80: fewer, wider expansions, each of whose neighbour loads overlap.
        public init(m: Int = 24, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 42) {
            self.m = m
            self.efConstruction = efConstruction
            self.efSearch = efSearch
            self.seed = seed
        }
    }

    /// Length of every vector.
    public let dimension: Int
    /// Links per node on the upper layers.
    public let m: Int
    /// Candidate list size while inserting.
    public let efConstruction: Int
    /// Candidate list size while searching; may be changed at any time.
    public var efSearch: Int
    /// Number of vectors.
    public internal(set) var count = 0

    /// Link capacity on layer 0 and on the upper layers.
    let maxLinks0: Int
    let maxLinks: Int
    /// Normalisation factor of the level distribution, 1 / ln M.
    let levelScale: Double

    var capacity = 0
    var vectors: UnsafeMutablePointer<Float>
    /// 8-bit codes of the vectors, `codes.stride` bytes per node.
    var codes: UnsafeMutablePointer<Int8>
    let codeLayout: VectorCodes
    var ids: UnsafeMutablePointer<Int32>
    var levels: UnsafeMutablePointer<Int32>
    /// Start of each node's upper-layer blocks in `upperLinks` (meaningless for level-0 nodes).
    var upperOffsets: UnsafeMutablePointer<Int>
    /// Layer-0 blocks, `1 + maxLinks0` slots per node.
    var links0: UnsafeMutablePointer<Int32>
    /// Upper-layer blocks, `1 + maxLinks` slots per node per layer above 0.
    var upperLinks: UnsafeMutablePointer<Int32>
    var upperCapacity = 0
    var upperCount = 0

    var entryPoint: Int32 = -1
    var maxLevel = -1
    var rngState: UInt64

    /// Visited marks, one bit per node, cleared at the start of each layer search: 125 KB at a
    /// million nodes, small enough to stay in the L2 cache, where a byte or word per node would not.
    var visited: UnsafeMutablePointer<UInt64>
    var candidates = NodeHeap()
    var results = NodeHeap()
    /// Candidates of the node being inserted, then its selected links.
    var batch = ScratchBuffer()
    /// A neighbour's links while they are pruned, apart from `batch`, which is in use then.
    var pruning = ScratchBuffer()
    /// The normalised query.
    let query: UnsafeMutablePointer<Float>
    /// The query's code.
    let queryCode: UnsafeMutablePointer<Int8>
    /// Unvisited neighbours of the node being expanded, gathered before their codes are compared.
    let pending: UnsafeMutablePointer<Int32>

    /// An empty index.
    public init(dimension: Int, parameters: Parameters = Parameters()) throws {
        guard dimension > 0 else { throw TrackSpaceError.invalidArgument("dimension must be positive, got \(dimension)") }
        guard parameters.m >= 2, parameters.m <= 256 else {
            throw TrackSpaceError.invalidArgument("M must be in 2...256, got \(parameters.m)")
        }
        guard parameters.efConstruction >= 1, parameters.efSearch >= 1 else {
            throw TrackSpaceError.invalidArgument("efConstruction and efSearch must be at least 1")
        }
        self.dimension = dimension
        m = parameters.m
        efConstruction = max(parameters.efConstruction, parameters.m)
        efSearch = parameters.efSearch
        maxLinks0 = 2 * parameters.m
        maxLinks = parameters.m
        levelScale = 1 / Foundation.log(Double(parameters.m))
        rngState = parameters.seed == 0 ? 0x9E37_79B9_7F4A_7C15 : parameters.seed
        codeLayout = VectorCodes(dimension: dimension)
        vectors = LargeBuffer.allocate(Float.self, count: 0)
        codes = LargeBuffer.allocate(Int8.self, count: 0)
        ids = LargeBuffer.allocate(Int32.self, count: 0)
        levels = LargeBuffer.allocate(Int32.self, count: 0)
        upperOffsets = LargeBuffer.allocate(Int.self, count: 0)
        links0 = LargeBuffer.allocate(Int32.self, count: 0)
        upperLinks = LargeBuffer.allocate(Int32.self, count: 0)
        visited = LargeBuffer.allocate(UInt64.self, count: 0)
        query = .allocate(capacity: dimension)
        queryCode = .allocate(capacity: codeLayout.stride)
        queryCode.initialize(repeating: 0, count: codeLayout.stride)
        pending = .allocate(capacity: 2 * parameters.m)
    }

    deinit {
        LargeBuffer.free(vectors)
        LargeBuffer.free(codes)
        LargeBuffer.free(ids)
        LargeBuffer.free(levels)
        LargeBuffer.free(upperOffsets)
        LargeBuffer.free(links0)
        LargeBuffer.free(upperLinks)
        LargeBuffer.free(visited)
        query.deallocate()
        queryCode.deallocate()
        pending.deallocate()
        candidates.deallocate()
        results.deallocate()
        batch.deallocate()
        pruning.deallocate()
    }

    /// The parameters of this index, with the current efSearch.
    public var parameters: Parameters {
        Parameters(m: m, efConstruction: efConstruction, efSearch: efSearch, seed: rngState)
    }

    /// The id stored with each vector, in insertion order.
    public var storedIDs: [Int32] { Array(UnsafeBufferPointer(start: ids, count: count)) }

    /// The link block of `node` on `level`: slot 0 is the link count, then the links.
    @inline(__always)
    func links(_ node: Int, _ level: Int) -> UnsafeMutablePointer<Int32> {
        if level == 0 {
            let offset: Int = node &* (maxLinks0 &+ 1)
            return links0 + offset
        }
        let offset: Int = upperOffsets[node] &+ (level &- 1) &* (maxLinks &+ 1)
        return upperLinks + offset
    }

    @inline(__always)
    func vector(_ node: Int) -> UnsafeMutablePointer<Float> { vectors + node &* dimension }

    @inline(__always)
    func code(_ node: Int) -> UnsafeMutablePointer<Int8> { codes + node &* codeLayout.stride }

    /// The approximate similarity of the query code `q` to `node`, from the codes.
    @inline(__always)
    func codeSimilarity(_ q: UnsafePointer<Int8>, _ node: Int) -> Float {
        codeLayout.similarity(q, code(node))
    }

    /// Makes room for `minimum` vectors without reallocating on each insertion.
    public func reserveCapacity(_ minimum: Int) {
        guard minimum > capacity else { return }
        let newCapacity = max(minimum, 16)
        let used = count
        func grow<T>(_ pointer: inout UnsafeMutablePointer<T>, _ stride: Int, _ fill: T) {
            pointer = LargeBuffer.grow(pointer, kept: used * stride, to: newCapacity * stride, fill: fill)
        }
        grow(&vectors, dimension, 0)
        grow(&codes, codeLayout.stride, 0)
        grow(&ids, 1, 0)
        grow(&levels, 1, 0)
        grow(&upperOffsets, 1, 0)
        grow(&links0, maxLinks0 + 1, 0)
        // Visited marks cover the whole capacity.
        LargeBuffer.free(visited)
        visited = LargeBuffer.allocate(repeating: 0, count: (newCapacity + 63) / 64)
        capacity = newCapacity
    }

    /// Room for `extra` more upper-layer link slots.
    func reserveUpperLinks(_ extra: Int) {
        guard upperCount + extra > upperCapacity else { return }
        let newCapacity = max(upperCount + extra, upperCapacity * 2, 1_024)
        upperLinks = LargeBuffer.grow(upperLinks, kept: upperCount, to: newCapacity, fill: 0)
        upperCapacity = newCapacity
    }

    /// Clears the visited marks of every node.
    @inline(__always)
    func clearVisited() {
        visited.update(repeating: 0, count: (count + 63) >> 6)
    }

    /// The next value of the xorshift64* generator behind layer assignment.
    func nextRandom() -> UInt64 {
        rngState ^= rngState >> 12
        rngState ^= rngState << 25
        rngState ^= rngState >> 27
        return rngState &* 0x2545_F491_4F6C_DD1D
    }

    /// A random level with P(level ≥ l) = M^(−l).
    func randomLevel() -> Int {
        let u = (Double(nextRandom() >> 11) + 1) * 0x1p-53
        return min(Int(-Foundation.log(u) * levelScale), 32)
    }
}

/// A binary max-heap of (key, node) pairs on raw buffers; push −similarity to get a min-heap.
struct NodeHeap {
    private(set) var keys: UnsafeMutablePointer<Float> = .allocate(capacity: 64)
    private(set) var nodes: UnsafeMutablePointer<Int32> = .allocate(capacity: 64)
    private(set) var count = 0
    private var capacity = 64

    /// The largest key; only valid when count > 0.
    @inline(__always) var topKey: Float { keys[0] }
    @inline(__always) var topNode: Int32 { nodes[0] }

    @inline(__always) mutating func removeAll() { count = 0 }

    mutating func push(_ key: Float, _ node: Int32) {
        if count == capacity { grow() }
        var i = count
        count &+= 1
        while i > 0 {
            let parent = (i &- 1) >> 1
            if keys[parent] >= key { break }
            keys[i] = keys[parent]
            nodes[i] = nodes[parent]
            i = parent
        }
        keys[i] = key
        nodes[i] = node
    }

    mutating func pop() {
        count &-= 1
        guard count > 0 else { return }
        let key = keys[count]
        let node = nodes[count]
        var i = 0
        while true {
            var child = 2 &* i &+ 1
            if child >= count { break }
            if child &+ 1 < count, keys[child &+ 1] > keys[child] { child &+= 1 }
            if keys[child] <= key { break }
            keys[i] = keys[child]
            nodes[i] = nodes[child]
            i = child
        }
        keys[i] = key
        nodes[i] = node
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newKeys = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
        let newNodes = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        newKeys.moveInitialize(from: keys, count: count)
        newNodes.moveInitialize(from: nodes, count: count)
        keys.deallocate()
        nodes.deallocate()
        keys = newKeys
        nodes = newNodes
        capacity = newCapacity
    }

    /// Frees the buffers; the index calls this from deinit.
    func deallocate() {
        keys.deallocate()
        nodes.deallocate()
    }
}

/// Reusable node and similarity arrays for neighbour selection.
struct ScratchBuffer {
    var nodes: UnsafeMutablePointer<Int32> = .allocate(capacity: 0)
    var similarities: UnsafeMutablePointer<Float> = .allocate(capacity: 0)
    var selected: UnsafeMutablePointer<Int32> = .allocate(capacity: 0)
    private(set) var capacity = 0

    mutating func reserve(_ minimum: Int) {
        guard minimum > capacity else { return }
        let newCapacity = max(minimum, capacity * 2, 64)
        nodes.deallocate()
        similarities.deallocate()
        selected.deallocate()
        nodes = .allocate(capacity: newCapacity)
        similarities = .allocate(capacity: newCapacity)
        selected = .allocate(capacity: newCapacity)
        capacity = newCapacity
    }

    func deallocate() {
        nodes.deallocate()
        similarities.deallocate()
        selected.deallocate()
    }
}
