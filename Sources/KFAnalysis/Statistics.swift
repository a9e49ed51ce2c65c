import CGSL

/// Summary statistics of a sample, computed with GSL.
public struct SampleSummary: Sendable, Equatable {
    /// Number of observations.
    public var count: Int
    /// Arithmetic mean (0 for an empty sample).
    public var mean: Double
    /// Sample standard deviation (n - 1 denominator; 0 below two observations).
    public var sd: Double
    /// Median.
    public var p50: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// Smallest value.
    public var min: Double
    /// Largest value.
    public var max: Double

    /// Summarises `values` (order irrelevant). Percentiles interpolate linearly between order
    /// statistics (`gsl_stats_quantile_from_sorted_data`).
    public init(_ values: [Double]) {
        count = values.count
        guard !values.isEmpty else {
            mean = 0; sd = 0; p50 = 0; p95 = 0; p99 = 0; min = 0; max = 0
            return
        }
        var sorted = values
        sorted.sort()
        mean = sorted.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
        sd = sorted.count > 1 ? sorted.withUnsafeBufferPointer { gsl_stats_sd($0.baseAddress, 1, $0.count) } : 0
        func quantile(_ q: Double) -> Double {
            sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, q) }
        }
        p50 = quantile(0.5)
        p95 = quantile(0.95)
        p99 = quantile(0.99)
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }

    /// Half-width of the two-sided confidence interval of the mean (Student t), 0 below two observations.
    public func confidenceHalfWidth(level: Double = 0.95) -> Double {
        guard count > 1 else { return 0 }
        let t = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, Double(count - 1))
        return t * sd / Double(count).squareRoot()
    }
}
