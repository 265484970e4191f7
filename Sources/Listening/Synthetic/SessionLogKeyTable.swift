/// Keys as one flat UTF-8 byte table, so a row copies bytes instead of touching Strings.
final class SessionLogKeyTable {
    let count: Int
    let maxLength: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    private let offsets: UnsafeMutablePointer<Int>

    init(_ keys: [String]) {
        count = keys.count
        let utf8 = keys.map { Array($0.utf8) }
        let total = utf8.reduce(0) { $0 + $1.count }
        maxLength = utf8.reduce(0) { max($0, $1.count) }
        // Slack so short keys can be copied with fixed 8-byte moves.
        bytes = .allocate(capacity: total + 32)
        bytes.initialize(repeating: 0, count: total + 32)
        offsets = .allocate(capacity: count + 1)
        var at = 0
        for (i, key) in utf8.enumerated() {
            offsets[i] = at
            (bytes + at).update(from: key, count: key.count)
            at += key.count
        }
        offsets[count] = at
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
    }

    /// Copies key `index` to `p` and returns the position after it.
    ///
    /// Keys up to 32 bytes are moved as 8-byte words, which may write up to 32
    /// bytes past the key: callers keep that much room at the end of the buffer.
    @inline(__always)
    func copy(_ index: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let start = offsets[index]
        let n = offsets[index &+ 1] &- start
        if n <= 16 {
            let source = UnsafeRawPointer(bytes + start)
            let target = UnsafeMutableRawPointer(p)
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        } else if n <= 32 {
            let source = UnsafeRawPointer(bytes + start)
            let target = UnsafeMutableRawPointer(p)
            for offset in stride(from: 0, to: 32, by: 8) {
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            }
        } else {
            p.update(from: bytes + start, count: n)
        }
        return p + n
    }
}
