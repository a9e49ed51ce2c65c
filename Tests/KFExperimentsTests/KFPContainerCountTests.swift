import Foundation
import Testing
import KFAnalysis
import KFScenario
@testable import KFExperiments

/// Seed paper 1's step written as a compiled KFP pipeline (a ParallelFor over N chunks, then a join)
/// gives the same results as the ParallelFor kind: mean JCT over 10 seeds within two standard errors
/// of the difference (the two draw their random latencies from different streams, so runs are not
/// paired), at N = 8 (below the quota's knee) and N = 24 (above it).
@Suite struct KFPContainerCountTests {
    static func jcts(_ scenario: String, _ overrides: [String]) throws -> SampleSummary {
        var xs: [Double] = []
        for seed in UInt64(1)...10 {
            let s = try ScenarioLoader.load(path: Paths.scenario(scenario), overrides: overrides)
            xs.append(Double(try Runner.run(s, seed: seed).jobs[0].jct) / 1e6)
        }
        return SampleSummary(xs)
    }

    @Test(arguments: [8, 24])
    func compiledPipelineMatchesTheParallelForKind(_ n: Int) throws {
        let kfp = try Self.jcts("container-count-kfp/container-count-kfp.yaml", ["workloads.fanout.steps.for-loop-1.items=\(n)",
                                                             "workloads.fanout.steps.compute.work.cpu=\(1200.0 / Double(n) + 15)"])
        let kind = try Self.jcts("container-count.yaml", ["workloads.fanout.containers=\(n)"])
        let se = ((kfp.sd! * kfp.sd! + kind.sd! * kind.sd!) / 10).squareRoot()
        #expect(abs(kfp.mean! - kind.mean!) <= 2 * se, "N=\(n): KFP \(kfp.mean!) vs ParallelFor \(kind.mean!), se \(se)")
    }
}
