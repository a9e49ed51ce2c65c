import Foundation
import KFScenario
import Testing
@testable import KFExperiments

/// Seed paper 2's direction on the contended ps-training scenario, with paired intervals over seeds:
/// task-affinity placement and the autoscaling operator both cut mean JCT and raise the share of
/// allocated CPU actually used, against Kubeflow's default operator.
@Suite struct PSTrainingRegressionTests {
    @Test func affinityAndAutoscalingBeatTheDefaultOperator() throws {
        let plan = try SweepPlan(scenarioPath: Paths.scenario("ps-training/ps-training.yaml"), fixedOverrides: [],
                                 parameters: [.init(key: "workloads.jobs.policy", values: ["default", "affinity", "autoscaling"])],
                                 seeds: Array(1...6), baseline: ("workloads.jobs.policy", "default"))
        let dir = Paths.temporary()
        let table = try SweepRunner(plan: plan, directory: dir, jobs: 2, shard: nil, resume: false, showProgress: false).run()
        let rows = try #require(table.comparisonsCSV).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        func comparison(_ policy: String, _ metric: String) -> (low: Double, high: Double, significant: Bool) {
            let r = rows.first { $0[0] == policy && $0[2] == metric }!
            return (Double(r[5])!, Double(r[6])!, r[9] == "true")
        }
        for policy in ["affinity", "autoscaling"] {
            let jct = comparison(policy, "jct_mean_s")
            #expect(jct.high < 0 && jct.significant, "\(policy) JCT difference \(jct)")
            let cpu = comparison(policy, "cpu_used_of_allocated")
            #expect(cpu.low > 0 && cpu.significant, "\(policy) CPU used/allocated difference \(cpu)")
        }
    }
}
