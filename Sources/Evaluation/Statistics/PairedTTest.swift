/// A two-sided paired t-test: do two systems differ on the same items?
public struct PairedTTest: Sendable, Codable, Equatable {
    /// Number of pairs.
    public let pairs: Int
    /// Mean of a − b.
    public let meanDifference: Double
    /// t statistic.
    public let t: Double
    /// Degrees of freedom (pairs − 1).
    public let degreesOfFreedom: Int
    /// Two-sided p-value.
    public let pValue: Double

    /// Tests per-item scores `a` against `b` (same length, same item order).
    public init(_ a: [Double], _ b: [Double]) {
        precondition(a.count == b.count, "a paired test needs pairs")
        let differences = SampleSummary(zip(a, b).map { $0 - $1 })
        pairs = a.count
        meanDifference = differences.mean
        degreesOfFreedom = max(a.count - 1, 0)
        if a.count < 2 {
            t = .nan
            pValue = .nan
        } else if differences.standardDeviation == 0 {
            t = differences.mean == 0 ? 0 : (differences.mean > 0 ? .infinity : -.infinity)
            pValue = differences.mean == 0 ? 1 : 0
        } else {
            t = differences.mean / differences.standardError
            pValue = StudentT.twoSidedPValue(t: t, degreesOfFreedom: Double(degreesOfFreedom))
        }
    }
}

/// Student's t distribution through the regularised incomplete beta function.
enum StudentT {
    /// P(|T| ≥ |t|) for `degreesOfFreedom` ν: I_{ν/(ν+t²)}(ν/2, 1/2).
    static func twoSidedPValue(t: Double, degreesOfFreedom nu: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        let x = nu / (nu + t * t)
        return min(1, max(0, IncompleteBeta.regularized(x: x, a: nu / 2, b: 0.5)))
    }
}

/// The regularised incomplete beta function I_x(a, b), by Lentz's continued fraction.
enum IncompleteBeta {
    static func regularized(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x)
        // The fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d
            if abs(d) < tiny { d = tiny }
            c = 1 + even / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d
            if abs(d) < tiny { d = tiny }
            c = 1 + odd / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < 1e-14 { break }
        }
        return result
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
