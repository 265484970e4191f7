#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The project's one seeded generator (xoshiro256**): the same sequence on every run and platform.
///
/// It lives in this bottom module so that Tensor (weights, dropout) and Listening (the synthetic
/// generator) share it without depending on each other. Seeding goes through `SplitMix64`, so
/// nearby seeds give unrelated streams.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)
    /// The second Box–Muller sample, kept so normals cost one uniform pair per two draws.
    @usableFromInline var spareNormal: Double?

    /// Creates a generator from a 64-bit seed (the model weights' and training's seeding).
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
        spareNormal = nil
    }

    /// A stream derived from a seed and a stream number (e.g. a user index), as the synthetic
    /// generator seeds one stream per user: the stream number is mixed in and the first mixed
    /// value skipped, so neighbouring streams are unrelated. Its bytes are committed data.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x5EED_5E7_1157)
        _ = mixer.next()
        state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
        // xoshiro's all-zero state is a fixed point.
        if state.0 | state.1 | state.2 | state.3 == 0 { state.0 = 1 }
        spareNormal = nil
    }

    /// The next 64 random bits.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotate(state.3, 45)
        return result
    }

    /// A uniform sample in [0, 1) with 24 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform sample in [low, high).
    @inlinable
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniform()
    }

    /// A uniform sample in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in 0..<n (0 < n < 2^32) by multiply-shift; bias below 2^-32.
    @inlinable @inline(__always)
    public mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(truncatingIfNeeded: n)) >> 32)
    }

    /// A standard normal sample (Box–Muller, computed in Double for stable results).
    public mutating func normal() -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return Float(spare)
        }
        // 53-bit uniform in (0, 1]: never zero, so the log is finite.
        let u1 = Double((next() >> 11) &+ 1) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * sin(angle)
        return Float(radius * cos(angle))
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Float, standardDeviation: Float) -> Float {
        mean + standardDeviation * normal()
    }

    /// An approximately standard normal sample from one draw: the Irwin–Hall sum of four 16-bit
    /// uniforms (no libm, so it is fast and bit-identical everywhere; the synthetic generator's noise).
    @inlinable @inline(__always)
    public mutating func irwinHallNormal() -> Float {
        let x = next()
        let sum = (x & 0xFFFF) &+ ((x >> 16) & 0xFFFF) &+ ((x >> 32) & 0xFFFF) &+ (x >> 48)
        // Each term has mean 32767.5 and variance 65536²/12; four of them have variance 65536²/3.
        return (Float(sum) - 131_070) * (1.7320508 / 65_536)
    }

    /// An exponential sample with the given mean.
    @inlinable @inline(__always)
    public mutating func exponential(mean: Double) -> Double {
        -mean * log1p(-uniformDouble())
    }

    @inlinable @inline(__always)
    static func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }
}
