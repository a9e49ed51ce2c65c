import Foundation
import Testing
import KFScenario
@testable import KFExperiments

/// Seed paper 1's step written as a compiled KFP pipeline (a ParallelFor over N chunks, then a join)
/// gives exactly the ParallelFor kind's results: for every seed, the same JCT to the microsecond and the
/// same pod start and finish times, at N = 8 (below the quota's knee) and N = 24 (above it). Both are
/// the same pipeline machinery drawing from the same random streams.
@Suite struct KFPContainerCountTests {
    static func run(_ scenario: String, _ overrides: [String], seed: UInt64) throws -> RunResult {
        try Runner.run(try ScenarioLoader.load(path: Paths.scenario(scenario), overrides: overrides), seed: seed)
    }

    @Test(arguments: [8, 24])
    func compiledPipelineMatchesTheParallelForKind(_ n: Int) throws {
        for seed in UInt64(1)...5 {
            let kfp = try Self.run("container-count-kfp/container-count-kfp.yaml", ["workloads.fanout.steps.for-loop-1.items=\(n)",
                                   "workloads.fanout.steps.compute.work.cpu=\(1200.0 / Double(n) + 15)"], seed: seed)
            let kind = try Self.run("container-count.yaml", ["workloads.fanout.containers=\(n)"], seed: seed)
            #expect(kfp.jobs[0].jct == kind.jobs[0].jct, "N=\(n) seed \(seed)")
            let times = { (r: RunResult) in r.pods.map { [$0.created, $0.started, $0.finished] }.sorted { $0.lexicographicallyPrecedes($1) } }
            #expect(times(kfp) == times(kind), "N=\(n) seed \(seed)")
        }
    }
}
