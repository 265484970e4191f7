import Foundation

/// SplitMix64 step: used to expand a 64-bit seed into independent streams.
@inline(__always)
func syntheticSplitMix(_ state: inout UInt64) -> UInt64 {
    state = state &+ 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// A small, fast, seeded xoshiro256** generator; the only randomness the generator uses.
///
/// The generator never touches `SystemRandomNumberGenerator`, so the same seed
/// gives the same bytes on every run and every platform with IEEE floats.
struct SyntheticRNG: RandomNumberGenerator {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A stream derived from a seed and a stream number (e.g. a user index).
    init(seed: UInt64, stream: UInt64) {
        // Mix the stream number through SplitMix first so neighbouring users get unrelated states.
        var sm = seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x5EED_5E7_1157
        _ = syntheticSplitMix(&sm)
        s0 = syntheticSplitMix(&sm)
        s1 = syntheticSplitMix(&sm)
        s2 = syntheticSplitMix(&sm)
        s3 = syntheticSplitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 24 bits of precision.
    @inline(__always)
    mutating func unit() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    @inline(__always)
    mutating func unitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform integer in 0..<n (n > 0, n < 2^32); multiply-shift, bias below 2^-32.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(truncatingIfNeeded: n)) >> 32)
    }

    /// Approximately standard normal: Irwin–Hall sum of four 16-bit uniforms (one draw, no libm).
    @inline(__always)
    mutating func gaussian() -> Float {
        let x = next()
        let sum = (x & 0xFFFF) &+ ((x >> 16) & 0xFFFF) &+ ((x >> 32) & 0xFFFF) &+ (x >> 48)
        // Each term has mean 32767.5 and variance 65536²/12; four of them have variance 65536²/3.
        return (Float(sum) - 131_070) * (1.7320508 / 65_536)
    }

    /// Exponential with the given mean.
    @inline(__always)
    mutating func exponential(mean: Double) -> Double {
        -mean * log1pNeg(unitDouble())
    }
}

/// log(1 - u) for u in [0, 1), finite.
@inline(__always)
func log1pNeg(_ u: Double) -> Double {
    Foundation.log1p(-u)
}
