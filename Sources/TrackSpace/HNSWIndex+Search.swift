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
        let q = UnsafePointer(self.query)
        var current = Int(entryPoint)
        var similarity = VectorMath.dot(q, vector(current), dimension)
        var layer = maxLevel
        while layer > 0 {
            greedy(q, current: &current, similarity: &similarity, level: layer)
            layer -= 1
        }
        searchLayer(q, entry: current, entrySimilarity: similarity, ef: max(efSearch, k), level: 0)
        let found = drainResults()
        return (0..<min(k, found)).map { Neighbour(id: ids[Int(batch.nodes[$0])], similarity: batch.similarities[$0]) }
    }

    /// The `k` approximate nearest vectors to each of a batch of row-major queries (count × dimension).
    public func search(queries: [Float], k: Int) throws -> [[Neighbour]] {
        guard count > 0 else { throw TrackSpaceError.emptyIndex }
        guard !queries.isEmpty, queries.count % dimension == 0 else {
            throw TrackSpaceError.dimensionMismatch(expected: dimension, found: queries.count % dimension == 0 ? 0 : queries.count)
        }
        return try stride(from: 0, to: queries.count, by: dimension).map { start in
            try search(Array(queries[start ..< start + dimension]), k: k)
        }
    }

    /// Moves `current` to its most similar neighbour on `level` until none is more similar.
    func greedy(_ q: UnsafePointer<Float>, current: inout Int, similarity: inout Float, level: Int) {
        let vectors = self.vectors
        let d = dimension
        var changed = true
        while changed {
            changed = false
            let block = links(current, level)
            let linkCount = Int(block[0])
            var j = 1
            while j <= linkCount {
                let neighbour = Int(block[j])
                let s = VectorMath.dot(q, vectors + neighbour &* d, d)
                if s > similarity {
                    similarity = s
                    current = neighbour
                    changed = true
                }
                j &+= 1
            }
        }
    }

    /// Best-first search of one layer from `entry`; leaves up to `ef` best nodes in `results` (keys are −similarity).
    ///
    /// Hot path: everything is read into locals first, because each access to a
    /// stored property of a class pays a dynamic exclusivity check (a function call
    /// in debug builds).
    func searchLayer(_ q: UnsafePointer<Float>, entry: Int, entrySimilarity: Float, ef: Int, level: Int) {
        let mark = nextGeneration()
        let visited = self.visited
        let vectors = self.vectors
        let d = dimension
        let links0 = self.links0
        let stride0 = maxLinks0 &+ 1
        var candidates = self.candidates
        var results = self.results
        // The heaps may reallocate while growing; store them back on every exit.
        defer {
            self.candidates = candidates
            self.results = results
        }
        candidates.removeAll()
        results.removeAll()
        visited[entry] = mark
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
            var j = 1
            while j <= linkCount {
                let neighbour = Int(block[j])
                j &+= 1
                if visited[neighbour] == mark { continue }
                visited[neighbour] = mark
                let s = VectorMath.dot(q, vectors + neighbour &* d, d)
                if resultCount < ef || s > worst {
                    candidates.push(s, Int32(neighbour))
                    results.push(-s, Int32(neighbour))
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
}
