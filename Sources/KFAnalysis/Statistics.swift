import CGSL

/// Summary statistics of a sample, computed with GSL.
///
/// A statistic the sample cannot give is nil, never 0: every value of an empty sample, and the
/// standard deviation and confidence interval of a sample of one.
public struct SampleSummary: Sendable, Equatable {
    /// Number of observations.
    public var count: Int
    /// Arithmetic mean (nil for an empty sample).
    public var mean: Double?
    /// Sample standard deviation, n - 1 denominator (nil below two observations).
    public var sd: Double?
    /// Median.
    public var p50: Double?
    /// 95th percentile.
    public var p95: Double?
    /// 99th percentile.
    public var p99: Double?
    /// Smallest value.
    public var min: Double?
    /// Largest value.
    public var max: Double?

    /// Summarises `values` (order irrelevant; NaN values are refused by a precondition: callers drop
    /// missing values first). Percentiles interpolate linearly between order statistics
    /// (`gsl_stats_quantile_from_sorted_data`).
    public init(_ values: [Double]) {
        precondition(!values.contains { $0.isNaN }, "a sample holds NaN: drop missing values before summarising")
        count = values.count
        guard !values.isEmpty else { return }
        var sorted = values
        sorted.sort()
        mean = sorted.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
        sd = sorted.count > 1 ? sorted.withUnsafeBufferPointer { gsl_stats_sd($0.baseAddress, 1, $0.count) } : nil
        func quantile(_ q: Double) -> Double {
            sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, q) }
        }
        p50 = quantile(0.5)
        p95 = quantile(0.95)
        p99 = quantile(0.99)
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }

    /// Summarises the present values of `values` (nil and NaN are missing, not zero).
    public init(present values: [Double?]) {
        self.init(values.compactMap { v in v.flatMap { $0.isNaN ? nil : $0 } })
    }

    /// Half-width of the two-sided confidence interval of the mean (Student t); nil below two
    /// observations, where there is no interval.
    public func confidenceHalfWidth(level: Double = 0.95) -> Double? {
        guard count > 1, let sd else { return nil }
        let t = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, Double(count - 1))
        return t * sd / Double(count).squareRoot()
    }

    /// The confidence interval of the mean (nil below two observations).
    public func confidenceInterval(level: Double = 0.95) -> (low: Double, high: Double)? {
        guard let mean, let half = confidenceHalfWidth(level: level) else { return nil }
        return (mean - half, mean + half)
    }
}
