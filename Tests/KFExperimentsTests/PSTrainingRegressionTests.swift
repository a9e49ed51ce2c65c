import KFAnalysis
import Foundation
import KFEngine
import KFScenario
import Testing
@testable import KFExperiments

/// Seed paper 2's ranking on the contended ps-training scenario, with paired intervals over 10 seeds
/// (MODEL §9: a ranking is claimed only when the interval of the paired differences excludes zero).
@Suite struct PSTrainingRegressionTests {
    @Test func autoscalingAtMostAffinityBelowDefault() throws {
        let plan = try SweepPlan(scenarioPath: Paths.scenario("ps-training/ps-training.yaml"), fixedOverrides: [],
                                 parameters: [.init(key: "workloads.jobs.policy", values: ["default", "affinity", "autoscaling"])],
                                 seeds: Array(1...10), baseline: ("workloads.jobs.policy", "default"))
        let table = try SweepRunner(plan: plan, directory: Paths.temporary(), jobs: 2, shard: nil, resume: false, showProgress: false).run()
        // Paired differences (same seed) of a metric between two policies: mean and 95% interval.
        func diff(_ a: String, _ b: String, _ metric: String) -> PairedDifference { PairedDifference(table, plan, a, b, metric) }
        // affinity < default and autoscaling < default: intervals below zero.
        for policy in ["affinity", "autoscaling"] {
            let jct = diff(policy, "default", "jct_mean_s")
            #expect(jct.high < 0, "\(policy) - default JCT \(jct)")
            // CPU utilisation (used over allocated) ranks both above default.
            let cpu = diff(policy, "default", "cpu_used_of_allocated")
            #expect(cpu.low > 0, "\(policy) - default CPU used/allocated \(cpu)")
        }
        // autoscaling <= affinity: not worse, by a non-inferiority margin of 5% of affinity's mean JCT,
        // and no worse on average.
        let a = diff("autoscaling", "affinity", "jct_mean_s")
        #expect(a.mean <= 0, "autoscaling - affinity JCT \(a)")
        #expect(a.high < 0.05 * a.base, "autoscaling - affinity JCT \(a)")
    }
}
