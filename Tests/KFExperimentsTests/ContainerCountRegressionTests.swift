import Foundation
import KFEngine
import KFScenario
import Testing
@testable import KFExperiments

/// Seed paper 1's curve, asserted with confidence intervals on a small sweep (fast enough for CI):
/// the speedup rises up to the quota's container count and falls right after it, and the knee moves
/// with the quota.
@Suite struct ContainerCountRegressionTests {
    func curve(quota: Int, values: String) throws -> SpeedupAnalysis.Curve {
        let plan = try SweepPlan(scenarioPath: Paths.scenario("container-count.yaml"),
                                 fixedOverrides: ["namespaces.kubeflow-user.resourceQuota.hard.requests.cpu=\(quota)"],
                                 parameters: [.init(key: "workloads.fanout.containers", values: try SweepDefinition.values(values).get())],
                                 seeds: Array(1...6), baseline: nil)
        let dir = Paths.temporary()
        try SweepRunner(plan: plan, directory: dir, jobs: 2, shard: nil, resume: false, showProgress: false).run()
        return try SpeedupAnalysis(directory: dir, key: "workloads.fanout.containers").curves[0]
    }

    /// The 95% interval of the speedup at N.
    func interval(_ c: SpeedupAnalysis.Curve, _ n: Double) -> ClosedRange<Double> {
        let s = c.speedup[c.n.firstIndex(of: n)!]
        let ci = s.confidenceInterval()!
        return ci.low...ci.high
    }

    @Test func speedupRisesToTheQuotaThenFalls() throws {
        let c = try curve(quota: 12, values: "1,4,8,12,13,16")
        // Strictly separated intervals: 4 < 8 < 12 and 13 < 12.
        #expect(interval(c, 4).upperBound < interval(c, 8).lowerBound)
        #expect(interval(c, 8).upperBound < interval(c, 12).lowerBound)
        #expect(interval(c, 13).upperBound < interval(c, 12).lowerBound)
        #expect(c.observedBest == 12)
    }

    @Test(arguments: [8, 16])
    func theKneeMovesWithTheQuota(_ quota: Int) throws {
        let c = try curve(quota: quota, values: "1,\(quota - 2),\(quota),\(quota + 1)")
        #expect(c.observedBest == Double(quota))
        #expect(interval(c, Double(quota + 1)).upperBound < interval(c, Double(quota)).lowerBound)
        #expect(interval(c, Double(quota - 2)).upperBound < interval(c, Double(quota)).lowerBound)
    }
}
