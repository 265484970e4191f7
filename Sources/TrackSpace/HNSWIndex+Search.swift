import CPrefetch

extension HNSWIndex {
    /// The `k` approximate nearest vectors to `query`, best first (efSearch, or k if larger, candidates).
    public func search(_ query: [Float], k: Int) throws -> [Neighbour] {
        guard count > 0 else { throw TrackSpaceError.emptyIndex }
        guard query.count == dimension else { throw TrackSpaceError.dimensionMismatch(expected: dimension, found: query.count) }
        guard k > 0 else { return [] }
        query.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            self.query.update(from: base, count: dimension)
        }
        VectorMath.normalize(self.query, dimension)
        codeLayout.encode(self.query, into: queryCode)
        let q = UnsafePointer(queryCode)
        var current = Int(entryPoint)
        var similarity = codeSimilarity(q, current)
        var layer = maxLevel
        while layer > 0 {
            greedy(q, current: &current, similarity: &similarity, level: layer)
            layer -= 1
        }
        searchLayer(q, entry: current, entrySimilarity: similarity, ef: max(efSearch, k), level: 0)
        let found = rerankResults(UnsafePointer(self.query), keep: k)
        return (0..<min(k, found)).map { Neighbour(id: ids[Int(batch.nodes[$0])], similarity: batch.similarities[$0]) }
    }

    /// The `k` approximate nearest vectors to each of a batch of row-major queries (count × dimension).
    public func search(queries: [Float], k: Int) throws -> [[Neighbour]] {
        guard count > 0 else { throw TrackSpaceError.emptyIndex }
        guard !queries.isEmpty, queries.count % dimension == 0 else {
            throw TrackSpaceError.dimensionMismatch(expected: dimension, found: queries.count % dimension == 0 ? 0 : queries.count)
        }
        return try stride(from: 0, to: queries.count, by: dimension).map { start in
            try search(Array(queries[start..<start + dimension]), k: k)
        }
    }

    /// Moves `current` to its most similar neighbour on `level` (by codes) until none is more similar.
    func greedy(_ q: UnsafePointer<Int8>, current: inout Int, similarity: inout Float, level: Int) {
        var changed = true
        while changed {
            changed = false
            let block = links(current, level)
            let linkCount = Int(block[0])
            var j = 1
            while j <= linkCount {
                setlist_prefetch(code(Int(block[j])))
                j &+= 1
            }
            j = 1
            while j <= linkCount {
                let neighbour = Int(block[j])
                let s = codeSimilarity(q, neighbour)
                if s > similarity {
                    similarity = s
                    current = neighbour
                    changed = true
                }
                j &+= 1
            }
        }
    }

    /// Best-first search of one layer from `entry` by code similarity; leaves up to `ef` best nodes in `results` (keys are −similarity).
    ///
    /// Hot path. Everything is read into locals first, because each access to a
    /// stored property of a class pays a dynamic exclusivity check. For each
    /// expanded node the unvisited neighbours are gathered and their codes
    /// prefetched first, so their cache misses overlap instead of queueing one
    /// after another; the links of the next candidate are prefetched too.
    func searchLayer(_ q: UnsafePointer<Int8>, entry: Int, entrySimilarity: Float, ef: Int, level: Int) {
        clearVisited()
        let visited = self.visited
        let codes = UnsafePointer(self.codes)
        let layout = codeLayout
        let codeStride = layout.stride
        let links0 = self.links0
        let stride0 = maxLinks0 &+ 1
        let pending = self.pending
        let queryScale = layout.scale(q)
        let length = layout.length
        var candidates = self.candidates
        var results = self.results
        // The heaps may reallocate while growing; store them back on every exit.
        defer {
            self.candidates = candidates
            self.results = results
        }
        candidates.removeAll()
        results.removeAll()
        visited[entry >> 6] |= 1 &<< UInt64(entry & 63)
        candidates.push(entrySimilarity, Int32(entry))
        results.push(-entrySimilarity, Int32(entry))
        var worst = entrySimilarity
        var resultCount = 1
        while candidates.count > 0 {
            if candidates.topKey < worst, resultCount >= ef { break }
            let node = Int(candidates.topNode)
            candidates.pop()
            let block = level == 0 ? links0 + node &* stride0 : links(node, level)
            let linkCount = Int(block[0])
            var gathered = 0
            var j = 1
            while j <= linkCount {
                let neighbour = Int(block[j])
                j &+= 1
                let word = visited[neighbour >> 6]
                let bit: UInt64 = 1 &<< UInt64(neighbour & 63)
                if word & bit != 0 { continue }
                visited[neighbour >> 6] = word | bit
                let record = codes + neighbour &* codeStride
                setlist_prefetch(record)
                setlist_prefetch(record + 63)
                pending[gathered] = Int32(truncatingIfNeeded: neighbour)
                gathered &+= 1
            }
            if level == 0, candidates.count > 0 {
                let next = links0 + Int(candidates.topNode) &* stride0
                setlist_prefetch(next)
                setlist_prefetch(next + 16)
                setlist_prefetch(next + 32)
            }
            var i = 0
            while i < gathered {
                let neighbour = Int(pending[i])
                i &+= 1
                let record = codes + neighbour &* codeStride
                let s = Float(VectorCodes.dot(q, record, length)) * (queryScale * layout.scale(record))
                if resultCount < ef || s > worst {
                    candidates.push(s, Int32(truncatingIfNeeded: neighbour))
                    results.push(-s, Int32(truncatingIfNeeded: neighbour))
                    if resultCount < ef {
                        resultCount &+= 1
                    } else {
                        results.pop()
                    }
                    worst = -results.topKey
                }
            }
        }
    }

    /// Re-ranks the results heap by exact similarity to the unit vector `exact`: the best `keep` go to `batch`, best first; returns how many.
    func rerankResults(_ exact: UnsafePointer<Float>, keep: Int) -> Int {
        let found = results.count
        batch.reserve(found)
        let nodes = batch.nodes
        let similarities = batch.similarities
        let vectors = self.vectors
        let d = dimension
        var i = 0
        while i < found {
            let node = results.nodes[i]
            nodes[i] = node
            let v = vectors + Int(node) &* d
            var offset = 0
            while offset < d {
                setlist_prefetch(v + offset)
                offset &+= 16
            }
            setlist_prefetch(v + (d &- 1))
            i &+= 1
        }
        var ranked = results
        defer { results = ranked }
        ranked.removeAll()
        i = 0
        while i < found {
            ranked.push(VectorMath.dot(exact, vectors + Int(nodes[i]) &* d, d), nodes[i])
            i &+= 1
        }
        let kept = min(keep, found)
        i = 0
        while i < kept {
            nodes[i] = ranked.topNode
            similarities[i] = ranked.topKey
            ranked.pop()
            i &+= 1
        }
        ranked.removeAll()
        return kept
    }
}
