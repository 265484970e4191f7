import Foundation

/// The on-disk layout of an HNSW index (little-endian).
///
/// An 88-byte header (magic, version, dimension, M, efConstruction, efSearch,
/// count, top level, entry point, upper-link slots, generator state, payload size,
/// payload checksum), then the payload: vectors (count × dimension Float32), ids,
/// levels, layer-0 link blocks and upper-layer link blocks (Int32 each).
enum HNSWFileLayout {
    static let magic: [UInt8] = Array("SLHNSW\u{0}\u{0}".utf8)
    static let version: UInt32 = 1
    static let headerSize = 88

    /// FNV-1a over 64-bit words (then the tail bytes): cheap enough for debug builds, and catches flipped or lost bytes.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let prime: UInt64 = 0x100_0000_01B3
        let words = bytes.count / 8
        var i = 0
        while i < words {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) &* prime
            i &+= 1
        }
        var j = words * 8
        while j < bytes.count {
            hash = (hash ^ UInt64(bytes[j])) &* prime
            j &+= 1
        }
        return hash
    }
}

extension HNSWIndex {
    /// The index as bytes in the file layout.
    public func encoded() -> Data {
        let linkSlots = count * (maxLinks0 + 1)
        var payload = Data()
        payload.reserveCapacity(count * dimension * 4 + count * 8 + linkSlots * 4 + upperCount * 4)
        payload.append(UnsafeBufferPointer(start: vectors, count: count * dimension))
        payload.append(UnsafeBufferPointer(start: ids, count: count))
        payload.append(UnsafeBufferPointer(start: levels, count: count))
        payload.append(UnsafeBufferPointer(start: links0, count: linkSlots))
        payload.append(UnsafeBufferPointer(start: upperLinks, count: upperCount))
        let checksum = payload.withUnsafeBytes { HNSWFileLayout.checksum($0) }

        var header = Data(HNSWFileLayout.magic)
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        put(HNSWFileLayout.version)
        put(UInt32(dimension))
        put(UInt32(m))
        put(UInt32(efConstruction))
        put(UInt32(efSearch))
        put(UInt32(0))
        put(UInt64(count))
        put(Int64(maxLevel))
        put(Int64(entryPoint))
        put(UInt64(upperCount))
        put(rngState)
        put(UInt64(payload.count))
        put(checksum)
        return header + payload
    }

    /// Writes the index atomically (temporary file, then rename).
    public func write(to path: String) throws {
        try AtomicFile.write(encoded(), to: path)
    }

    /// Reads an index written by `write(to:)`, checking its header, size, checksum and links.
    public convenience init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw TrackSpaceError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(bytes: data, path: path)
    }

    /// Decodes an index from bytes; `path` only names the source in errors.
    public convenience init(bytes data: Data, path: String = "index") throws {
        func corrupt(_ reason: String) -> TrackSpaceError { .corruptFile(path: path, reason: reason) }
        guard data.count >= HNSWFileLayout.headerSize else {
            throw corrupt("\(data.count) bytes, shorter than the \(HNSWFileLayout.headerSize)-byte header (truncated or not an index)")
        }
        guard Array(data.prefix(8)) == HNSWFileLayout.magic else { throw corrupt("not a Setlist HNSW index (bad magic)") }
        let header = data.withUnsafeBytes { raw in
            (
                version: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
                dimension: Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self))),
                m: Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))),
                efConstruction: Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 20, as: UInt32.self))),
                efSearch: Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self))),
                count: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 32, as: UInt64.self)),
                maxLevel: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 40, as: Int64.self)),
                entryPoint: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 48, as: Int64.self)),
                upperCount: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 56, as: UInt64.self)),
                rngState: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 64, as: UInt64.self)),
                payloadBytes: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 72, as: UInt64.self)),
                checksum: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 80, as: UInt64.self))
            )
        }
        guard header.version == HNSWFileLayout.version else {
            throw corrupt("format version \(header.version); this build reads version \(HNSWFileLayout.version)")
        }
        let available = data.count - HNSWFileLayout.headerSize
        guard header.payloadBytes == UInt64(available) else {
            throw corrupt("the header announces \(header.payloadBytes) payload bytes, the file has \(available) (truncated?)")
        }
        guard header.dimension > 0, header.m >= 2, header.m <= 256, header.count < UInt64(Int32.max),
            header.upperCount < UInt64(Int.max / 8)
        else {
            throw corrupt("implausible header (dimension \(header.dimension), M \(header.m), count \(header.count))")
        }
        let count = Int(header.count)
        let upperCount = Int(header.upperCount)
        let linkSlots = count * (2 * header.m + 1)
        let expected = 4 * (count * header.dimension + 2 * count + linkSlots + upperCount)
        guard expected == available else { throw corrupt("the payload should be \(expected) bytes for its header, it is \(available)") }
        let checksum = data.withUnsafeBytes { raw in
            HNSWFileLayout.checksum(UnsafeRawBufferPointer(rebasing: raw[HNSWFileLayout.headerSize...]))
        }
        guard checksum == header.checksum else { throw corrupt("checksum mismatch (the file was modified or damaged)") }

        try self.init(
            dimension: header.dimension,
            parameters: Parameters(
                m: header.m, efConstruction: max(1, header.efConstruction),
                efSearch: max(1, header.efSearch), seed: header.rngState))
        reserveCapacity(max(count, 16))
        reserveUpperLinks(upperCount)
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = HNSWFileLayout.headerSize
            func copy<T>(_ target: UnsafeMutablePointer<T>, _ n: Int) {
                UnsafeMutableRawPointer(target).copyMemory(from: base + offset, byteCount: n * MemoryLayout<T>.stride)
                offset += n * MemoryLayout<T>.stride
            }
            copy(vectors, count * header.dimension)
            copy(ids, count)
            copy(levels, count)
            copy(links0, linkSlots)
            copy(upperLinks, upperCount)
        }
        // The codes are derived from the vectors, as on insertion.
        for node in 0..<count { codeLayout.encode(vector(node), into: code(node)) }
        self.count = count
        self.upperCount = upperCount
        maxLevel = Int(header.maxLevel)
        entryPoint = Int32(truncatingIfNeeded: header.entryPoint)
        try validateStructure(corrupt)
    }

    /// Checks levels, upper-link offsets, link counts and link targets, and rebuilds the offsets.
    func validateStructure(_ corrupt: (String) -> TrackSpaceError) throws {
        if count == 0 {
            guard entryPoint == -1 else { throw corrupt("an empty index with an entry point") }
            return
        }
        guard entryPoint >= 0, Int(entryPoint) < count, maxLevel >= 0, maxLevel <= 32,
            Int(levels[Int(entryPoint)]) == maxLevel
        else {
            throw corrupt("invalid entry point \(entryPoint) or top level \(maxLevel)")
        }
        var offset = 0
        for node in 0..<count {
            let level = Int(levels[node])
            guard level >= 0, level <= maxLevel else { throw corrupt("node \(node) has level \(level) outside 0...\(maxLevel)") }
            upperOffsets[node] = offset
            offset += level * (maxLinks + 1)
        }
        guard offset == upperCount else { throw corrupt("the levels need \(offset) upper link slots, the file has \(upperCount)") }
        for node in 0..<count {
            for level in 0...Int(levels[node]) {
                let block = links(node, level)
                let linkCount = Int(block[0])
                guard linkCount >= 0, linkCount <= (level == 0 ? maxLinks0 : maxLinks) else {
                    throw corrupt("node \(node) has \(linkCount) links on layer \(level)")
                }
                for j in 1..<linkCount + 1 {
                    let target = Int(block[j])
                    guard target >= 0, target < count, Int(levels[target]) >= level else {
                        throw corrupt("node \(node) links to invalid node \(target) on layer \(level)")
                    }
                }
            }
        }
    }
}
