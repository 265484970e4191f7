/// The numbers a boxplot draws: quartiles, Tukey whiskers and the mean.
public struct BoxplotSummary: Sendable, Codable, Equatable {
    public var count: Int
    public var mean: Double
    public var lowerQuartile: Double
    public var median: Double
    public var upperQuartile: Double
    /// Smallest value within 1.5 IQR below the lower quartile.
    public var lowerWhisker: Double
    /// Largest value within 1.5 IQR above the upper quartile.
    public var upperWhisker: Double

    /// Summarises `values` (linear interpolation between order statistics, as NumPy's default).
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        guard !sorted.isEmpty else {
            mean = .nan
            lowerQuartile = .nan
            median = .nan
            upperQuartile = .nan
            lowerWhisker = .nan
            upperWhisker = .nan
            return
        }
        mean = sorted.reduce(0, +) / Double(sorted.count)
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down))
            let upper = min(lower + 1, sorted.count - 1)
            let fraction = position - Double(lower)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
        }
        let q1 = quantile(0.25)
        let q3 = quantile(0.75)
        lowerQuartile = q1
        median = quantile(0.5)
        upperQuartile = q3
        let reach = 1.5 * (q3 - q1)
        lowerWhisker = sorted.first { $0 >= q1 - reach } ?? sorted[0]
        upperWhisker = sorted.last { $0 <= q3 + reach } ?? sorted[sorted.count - 1]
    }
}
