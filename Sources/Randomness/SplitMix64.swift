/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator, and the mixer that expands
/// a 64-bit seed into `SeededRandom`'s state.
///
/// Sampled analyses and the test fuzzers draw from it directly; their committed numbers depend on
/// its exact sequence.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The counter; each draw adds the golden-ratio increment.
    @usableFromInline var state: UInt64

    /// A generator whose first draw mixes `seed + 0x9E3779B97F4A7C15`.
    @inlinable
    public init(seed: UInt64) { state = seed }

    /// The next 64 mixed bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
