extension HNSWIndex {
    /// Adds one vector (normalised to unit length) with its id; the index stays searchable throughout.
    public func add(_ vector: [Float], id: Int32) throws {
        try add(contentsOf: vector, ids: [id])
    }

    /// Adds row-major vectors (ids.count × dimension), normalised to unit length, with their ids.
    public func add(contentsOf newVectors: [Float], ids newIDs: [Int32]) throws {
        guard newVectors.count == newIDs.count * dimension else {
            throw TrackSpaceError.dimensionMismatch(
                expected: dimension, found: newIDs.isEmpty ? newVectors.count : newVectors.count / newIDs.count)
        }
        guard count + newIDs.count <= Int(Int32.max) else {
            throw TrackSpaceError.invalidArgument("an index holds at most \(Int32.max) vectors")
        }
        if count + newIDs.count > capacity { reserveCapacity(max(count + newIDs.count, capacity * 2)) }
        newVectors.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for row in 0..<newIDs.count { insert(base + row * dimension, id: newIDs[row]) }
        }
    }

    /// Inserts one vector: greedy descent to its level, then a best-first search and linking on each layer below.
    func insert(_ source: UnsafePointer<Float>, id: Int32) {
        if count == capacity { reserveCapacity(max(16, capacity * 2)) }
        let node = count
        let v = vector(node)
        v.update(from: source, count: dimension)
        VectorMath.normalize(v, dimension)
        let c = code(node)
        codeLayout.encode(v, into: c)
        ids[node] = id
        let level = randomLevel()
        levels[node] = Int32(level)
        links(node, 0)[0] = 0
        if level > 0 {
            let slots = level * (maxLinks + 1)
            reserveUpperLinks(slots)
            upperOffsets[node] = upperCount
            (upperLinks + upperCount).update(repeating: 0, count: slots)
            upperCount += slots
        }
        count += 1
        guard entryPoint >= 0 else {
            entryPoint = Int32(node)
            maxLevel = level
            return
        }

        // Traverse by codes; rank each layer's candidates by exact similarity before selecting links.
        let q = UnsafePointer(c)
        var current = Int(entryPoint)
        var currentSimilarity = codeSimilarity(q, current)
        var layer = maxLevel
        while layer > level {
            greedy(q, current: &current, similarity: &currentSimilarity, level: layer)
            layer -= 1
        }
        layer = min(level, maxLevel)
        while layer >= 0 {
            searchLayer(q, entry: current, entrySimilarity: currentSimilarity, ef: efConstruction, level: layer)
            let found = rerankResults(UnsafePointer(v), keep: Int.max)
            current = Int(batch.nodes[0])
            currentSimilarity = codeSimilarity(q, current)
            connect(node, level: layer, candidates: found)
            layer -= 1
        }
        if level > maxLevel {
            maxLevel = level
            entryPoint = Int32(node)
        }
    }

    /// Links `node` to the best of the `candidates` in `batch` (best first), and each of them back to it.
    func connect(_ node: Int, level: Int, candidates: Int) {
        let limit = level == 0 ? maxLinks0 : maxLinks
        let selectedCount = selectNeighbours(&batch, count: candidates, limit: m)
        let block = links(node, level)
        block[0] = Int32(selectedCount)
        (block + 1).update(from: batch.selected, count: selectedCount)
        for i in 0..<selectedCount {
            let neighbour = Int(batch.selected[i])
            let neighbourBlock = links(neighbour, level)
            let linkCount = Int(neighbourBlock[0])
            if linkCount < limit {
                neighbourBlock[linkCount &+ 1] = Int32(node)
                neighbourBlock[0] = Int32(linkCount &+ 1)
            } else {
                prune(neighbour, adding: node, level: level, limit: limit)
            }
        }
    }

    /// Re-selects the links of a full node from its current links plus `newcomer`.
    func prune(_ owner: Int, adding newcomer: Int, level: Int, limit: Int) {
        let block = links(owner, level)
        let linkCount = Int(block[0])
        pruning.reserve(linkCount + 1)
        let nodes = pruning.nodes
        let similarities = pruning.similarities
        let vectors = self.vectors
        let d = dimension
        let ownerVector = UnsafePointer(vectors + owner &* d)
        for j in 0..<linkCount {
            let other = block[j &+ 1]
            nodes[j] = other
            similarities[j] = VectorMath.dot(ownerVector, vectors + Int(other) &* d, d)
        }
        nodes[linkCount] = Int32(newcomer)
        similarities[linkCount] = VectorMath.dot(ownerVector, vectors + newcomer &* d, d)
        // Insertion sort, best first: the list is short (2M + 1 at most).
        var i = 1
        while i <= linkCount {
            let node = nodes[i]
            let similarity = similarities[i]
            var j = i
            while j > 0, similarities[j &- 1] < similarity {
                nodes[j] = nodes[j &- 1]
                similarities[j] = similarities[j &- 1]
                j &-= 1
            }
            nodes[j] = node
            similarities[j] = similarity
            i &+= 1
        }
        let selectedCount = selectNeighbours(&pruning, count: linkCount + 1, limit: limit)
        block[0] = Int32(selectedCount)
        (block + 1).update(from: pruning.selected, count: selectedCount)
    }

    /// The neighbour-selection heuristic: keep a candidate only if it is nearer to the base than to every kept one.
    ///
    /// Candidates are in `scratch.nodes` best first; the kept ones go to `scratch.selected`.
    /// This keeps links spread over directions, which is what lets clustered data stay connected.
    func selectNeighbours(_ scratch: inout ScratchBuffer, count candidateCount: Int, limit: Int) -> Int {
        let nodes = scratch.nodes
        let similarities = scratch.similarities
        let selected = scratch.selected
        if candidateCount <= limit {
            selected.update(from: nodes, count: candidateCount)
            return candidateCount
        }
        let vectors = self.vectors
        let d = dimension
        var kept = 0
        var i = 0
        while i < candidateCount, kept < limit {
            let candidate = nodes[i]
            let similarityToBase = similarities[i]
            let candidateVector = UnsafePointer(vectors + Int(candidate) &* d)
            var good = true
            var j = 0
            while j < kept {
                if VectorMath.dot(candidateVector, vectors + Int(selected[j]) &* d, d) > similarityToBase {
                    good = false
                    break
                }
                j &+= 1
            }
            if good {
                selected[kept] = candidate
                kept &+= 1
            }
            i &+= 1
        }
        return kept
    }
}
