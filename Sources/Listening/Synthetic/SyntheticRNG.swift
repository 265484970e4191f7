import Randomness

/// The synthetic generator's randomness: the shared `SeededRandom`, one stream per user
/// (`init(seed:stream:)`). The generator never touches `SystemRandomNumberGenerator`, so the same
/// seed gives the same bytes on every run and every platform with IEEE floats.
typealias SyntheticRNG = SeededRandom

extension SeededRandom {
    /// Uniform in [0, 1) with 24 bits of precision (the generator's name for `uniform()`).
    @inline(__always)
    mutating func unit() -> Float { uniform() }

    /// Uniform in [0, 1) with 53 bits of precision.
    @inline(__always)
    mutating func unitDouble() -> Double { uniformDouble() }

    /// Approximately standard normal from one draw (`irwinHallNormal()`).
    @inline(__always)
    mutating func gaussian() -> Float { irwinHallNormal() }
}
