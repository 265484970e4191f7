/// 8-bit scalar codes of vectors, for approximate dot products during graph traversal.
///
/// A record holds the `dimension` codes, zero-padded to `length` (a multiple of
/// 16), then the Float32 scale, with records `stride` bytes apart (a multiple of
/// 32, so an 80-d record spans two cache lines). Value i is about
/// `code[i] × scale` with `scale = max|v| / 127`: a scale per vector keeps the
/// full 8-bit resolution whatever the spread of the components. For unit vectors
/// in 80 dimensions the error of a similarity is about 0.001.
struct VectorCodes: Sendable {
    let dimension: Int
    /// Codes per record, padded with zeros.
    let length: Int
    /// Bytes per record.
    let stride: Int

    init(dimension: Int) {
        self.dimension = dimension
        length = (dimension + 15) / 16 * 16
        stride = (length + 4 + 31) / 32 * 32
    }

    /// Writes the record of `v` (dimension values) to `code` (stride bytes).
    func encode(_ v: UnsafePointer<Float>, into code: UnsafeMutablePointer<Int8>) {
        var largest: Float = 0
        for i in 0..<dimension where v[i].magnitude > largest { largest = v[i].magnitude }
        let scale: Float = largest > 0 && largest.isFinite ? largest / 127 : 1
        let inverse = 1 / scale
        code.update(repeating: 0, count: stride)
        for i in 0..<dimension {
            let x = (v[i] * inverse).rounded()
            // NaN and overflow (only possible for non-finite input) map to 0 and ±127.
            code[i] = x.isNaN ? 0 : Int8(Swift.max(-127, Swift.min(127, x)))
        }
        UnsafeMutableRawPointer(code + length).storeBytes(of: scale, as: Float.self)
    }

    @inline(__always)
    func scale(_ code: UnsafePointer<Int8>) -> Float {
        UnsafeRawPointer(code + length).loadUnaligned(as: Float.self)
    }

    /// The approximate dot product of the vectors behind two records.
    @inline(__always)
    func similarity(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>) -> Float {
        Float(Self.dot(a, b, length)) * (scale(a) * scale(b))
    }

    /// Σ a[i]·b[i] in 32-bit integers; `n` is a multiple of 16 (the compiler vectorises it).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, _ n: Int) -> Int32 {
        var s: Int32 = 0
        var i = 0
        while i < n {
            s &+= Int32(a[i]) &* Int32(b[i])
            i &+= 1
        }
        return s
    }
}
