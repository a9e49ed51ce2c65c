import KFAnalysis
@testable import KFExperiments

/// A paired difference over seeds with its 95% interval, for regression tests that claim a ranking
/// only when the interval excludes zero (MODEL §9).
struct PairedDifference: CustomStringConvertible {
    var mean: Double, low: Double, high: Double
    /// The mean of the second point's values (what a relative margin is taken of).
    var base: Double

    /// `metric` at point `a` minus at point `b` of a sweep over one parameter (same seed paired). Every
    /// run must have the metric.
    init(_ table: SweepTable, _ plan: SweepPlan, _ a: String, _ b: String, _ metric: String) {
        let m = SweepTable.metricNames.firstIndex(of: metric)!
        let s = plan.seeds.count
        let pa = plan.points.firstIndex(of: [a])!, pb = plan.points.firstIndex(of: [b])!
        let xs = (0..<s).map { table.metricValues(pa * s + $0)[m]! - table.metricValues(pb * s + $0)[m]! }
        base = (0..<s).map { table.metricValues(pb * s + $0)[m]! }.reduce(0, +) / Double(s)
        let summary = SampleSummary(xs)
        let ci = summary.confidenceInterval()!
        (mean, low, high) = (summary.mean!, ci.low, ci.high)
    }

    var description: String { "mean \(mean) (\(low)..\(high)), base \(base)" }
}
