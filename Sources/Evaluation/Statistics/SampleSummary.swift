/// Mean, standard deviation and count of a sample, printed as "mean ± std".
public struct SampleSummary: Sendable, Codable, Equatable, CustomStringConvertible {
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.
    public let standardDeviation: Double

    public init<S: Sequence>(_ values: S) where S.Element == Double {
        var n = 0
        var mean = 0.0
        var m2 = 0.0
        // Welford's update keeps precision over long samples.
        for x in values {
            n += 1
            let delta = x - mean
            mean += delta / Double(n)
            m2 += delta * (x - mean)
        }
        count = n
        self.mean = n == 0 ? .nan : mean
        standardDeviation = n < 2 ? 0 : (m2 / Double(n - 1)).squareRoot()
    }

    /// Standard error of the mean.
    public var standardError: Double { count == 0 ? .nan : standardDeviation / Double(count).squareRoot() }

    public var description: String { format(digits: 4) }

    /// "0.1234 ± 0.0056" with the given number of decimals.
    public func format(digits: Int) -> String {
        "\(Self.fixed(mean, digits)) ± \(Self.fixed(standardDeviation, digits))"
    }

    /// `value` with exactly `digits` decimals ("n/a" style "nan" when not finite).
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "nan" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if text.contains("e") { return text }
        if !text.contains(".") { text += "." }
        let decimals = text.split(separator: ".", omittingEmptySubsequences: false).last?.count ?? 0
        return text + String(repeating: "0", count: max(0, digits - decimals))
    }
}
