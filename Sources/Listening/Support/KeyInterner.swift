/// Maps byte-string keys to dense ids 0, 1, 2, … without allocating a String per lookup.
///
/// Importers look up every track and user key of every row, so this is on the hot path:
/// keys live in one byte arena and an open-addressing table holds their ids.
struct KeyInterner {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    /// The id returned last: logs repeat the previous row's user and session, so check it first.
    private var lastID: Int32 = -1

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// Number of distinct keys.
    var count: Int { hashes.count }

    /// The id of `key`, adding it when it is new.
    @inline(__always)
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        if lastID >= 0, equals(Int(lastID), key) { return lastID }
        let id = insert(key)
        lastID = id
        return id
    }

    private mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash, equals(Int(id), key) { return id }
            slot = (slot &+ 1) & mask
        }
        let id = Int32(hashes.count)
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[slot] = id
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of a String key, adding it when it is new.
    mutating func intern(_ key: String) -> Int32 {
        var key = key
        return key.withUTF8 { intern($0) }
    }

    /// The id of `key` if it is known.
    func lookup(_ key: String) -> Int32? {
        var key = key
        return key.withUTF8 { bytes -> Int32? in
            let hash = Self.hash(bytes)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let id = slots[slot]
                if id < 0 { return nil }
                if hashes[Int(id)] == hash, equals(Int(id), bytes) { return id }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// The key of an id, decoded as UTF-8 (invalid bytes become U+FFFD).
    func key(_ id: Int) -> String {
        arena.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[offsets[id]..<offsets[id + 1]]), as: UTF8.self)
        }
    }

    /// Calls `body` with the bytes of an id's key.
    func withKey<T>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        arena.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[offsets[id]..<offsets[id + 1]])) }
    }

    /// For each id of `other`, the id of the same key here, adding keys that are new.
    mutating func merge(_ other: KeyInterner) -> [Int32] {
        (0..<other.count).map { id in other.withKey(id) { intern($0) } }
    }

    /// All keys in id order.
    var keys: [String] { (0..<count).map(key) }

    @inline(__always)
    private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[id]
        let length = offsets[id + 1] - start
        guard length == key.count else { return false }
        if length == 0 { return true }
        return arena.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, let other = key.baseAddress else { return false }
            return memcmp(base + start, other, length) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var table = [Int32](repeating: -1, count: size)
        let newMask = size - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while table[slot] >= 0 { slot = (slot &+ 1) & newMask }
            table[slot] = Int32(id)
        }
        slots = table
        mask = newMask
    }

    /// FNV-1a over the bytes, then a 64-bit finaliser so low bits are well mixed.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
