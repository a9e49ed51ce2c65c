import Foundation
import KFConfig
import KFScenario
import Testing
@testable import KFExperiments

/// The runs of a sweep share their inputs (issue 12): a trace is parsed once per process, not per run,
/// and runs over it give the same outputs as before.
@Suite struct SweepInputSharingTests {
    @Test func aSweepOfTheOpenbReplayParsesTheTraceOnce() throws {
        guard let data = Paths.sharedData else { return }  // ../shared/data is absent: nothing to replay
        // The first 300 pods of the default trace, at a path of this test's own.
        let head = Paths.temporary() + "-openb-head.csv"
        let text = try String(contentsOfFile: "\(data)/alibaba-openb/openb_pod_list_default.csv", encoding: .utf8)
        try (text.split(separator: "\n", omittingEmptySubsequences: false).prefix(301).joined(separator: "\n") + "\n")
            .write(toFile: head, atomically: true, encoding: .utf8)
        let plan = try SweepPlan(scenarioPath: Paths.scenario("openb-default.yaml"), fixedOverrides: ["workloads.openb.pods=\(head)"],
                                 parameters: [.init(key: "workloads.openb.timeScale", values: ["1", "0.5"])], seeds: Array(1...6), baseline: nil)
        // Making the plan checks the scenario once (that parses the trace); the 12 runs reuse it.
        #expect(InputCache.shared.parses(of: head) == 1)
        let table = try SweepRunner(plan: plan, directory: Paths.temporary(), jobs: 2, shard: nil, resume: false, showProgress: false).run()
        #expect(table.rows.count == 12)
        #expect(InputCache.shared.parses(of: head) == 1)
        // A changed file is read again.
        try (text.split(separator: "\n", omittingEmptySubsequences: false).prefix(201).joined(separator: "\n") + "\n")
            .write(toFile: head, atomically: true, encoding: .utf8)
        _ = try Runner.run(try plan.scenario(point: 0), seed: 1)
        #expect(InputCache.shared.parses(of: head) == 2)
    }
}
