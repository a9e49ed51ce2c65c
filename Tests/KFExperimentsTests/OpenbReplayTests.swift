import Foundation
import KFCluster
import KFScenario
import KFControlPlane
import KFWorkloads
import Testing
@testable import KFExperiments

/// The Alibaba openb default replay, read from ../shared/data (skipped when it is absent).
@Suite struct OpenbReplayTests {
    @Test(.enabled(if: Paths.sharedData != nil, "../shared/data is absent"))
    func defaultReplayCompletesOnAllNodesWithoutOverAllocation() throws {
        let scenario = try ScenarioLoader.load(path: Paths.scenario("openb-default.yaml"))
        #expect(scenario.nodes.count == 1523)
        let sim = try scenario.makeSimulation()
        sim.run()
        #expect(sim.stopReason == .completed)
        let pods = sim.cluster.pods
        #expect(pods.count == 8152)
        #expect(pods.allSatisfy { $0.phase == .succeeded })
        // No node is ever over-allocated: sweep each node's bind and end events.
        var events: [[(Int64, Int, Resources)]] = Array(repeating: [], count: sim.cluster.nodes.count)
        for p in pods {
            events[Int(p.node)].append((p.scheduledAt, 1, p.resources.requests))
            events[Int(p.node)].append((p.finishedAt, 0, Resources.zero - p.resources.requests))
        }
        for (n, list) in events.enumerated() {
            var used = Resources.zero
            for e in list.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
                used += e.2
                #expect(used.fits(in: sim.cluster.nodes[n].spec.allocatable), "node \(n) over-allocated")
            }
        }
        let result = RunResult(simulation: sim, scenario: scenario, seed: scenario.seed)
        #expect(result.summary.jobsSucceeded == 8152)
    }
}
