import KFAnalysis
import Foundation
import KFEngine
import KFScenario
import Testing
@testable import KFExperiments

/// The allreduce result's ranking (results/allreduce): on the mixed GPU cluster, topology-aware packing
/// beats the default operator on JCT and cross-node traffic and keeps more GPUs busy, paired over 5
/// seeds (a ranking is claimed only when the interval of the paired differences excludes zero).
@Suite struct AllreduceRegressionTests {
    @Test func topologyBeatsDefaultOnJCTTrafficAndBusyGPUs() throws {
        let plan = try SweepPlan(scenarioPath: Paths.scenario("allreduce/allreduce.yaml"), fixedOverrides: [],
                                 parameters: [.init(key: "workloads.jobs.policy", values: ["default", "gang", "topology"])],
                                 seeds: Array(1...5), baseline: ("workloads.jobs.policy", "default"))
        let table = try SweepRunner(plan: plan, directory: Paths.temporary(), jobs: 2, shard: nil, resume: false, showProgress: false).run()
        func diff(_ a: String, _ b: String, _ metric: String) -> PairedDifference { PairedDifference(table, plan, a, b, metric) }
        let jct = diff("topology", "default", "jct_mean_s")
        #expect(jct.high < 0, "topology - default JCT \(jct)")
        #expect(diff("topology", "default", "cross_node_gib").high < 0)
        #expect(diff("topology", "default", "gpu_used").low > 0)
        // Gang admission helps too, but less than packing.
        #expect(diff("gang", "default", "jct_mean_s").high < 0)
        #expect(diff("topology", "gang", "jct_mean_s").high < 0)
    }
}
