import KFCluster
import KFEngine
import Testing
@testable import KFScheduler

/// The hoisted score loops (NodeResourcesFit's LeastAllocated and BalancedAllocation over cpu and
/// memory) give each node the score the per-node formula gives, on random clusters with pods already
/// placed (issue 12: faster, never different).
@Suite struct ScoreLoopTests {
    @Test func hoistedLoopsEqualThePerNodeFormula() throws {
        let rng = RandomStream(seed: 11, name: "score-loops")
        var checked = 0
        for round in 0..<20 {
            var nodes: [NodeSpec] = []
            for i in 0..<40 {
                nodes.append(node("n\(i)", cpu: Int64(1 + rng.uniformInt(below: 64)) * 500, memoryGi: Int64(1 + rng.uniformInt(below: 256))))
            }
            var existing: [(PodSpec, Int32)] = []
            for k in 0..<60 {
                existing.append((pod("e\(k)", cpu: Int64(rng.uniformInt(below: 4000)), memory: Int64(rng.uniformInt(below: 8 << 10)) << 20),
                                 Int32(rng.uniformInt(below: nodes.count))))
            }
            let f = try Fixture(nodes: nodes, existing: existing)
            let cpu = Int64(1 + rng.uniformInt(below: 8000)), memory = Int64(1 + rng.uniformInt(below: 32 << 10)) << 20
            _ = f.schedule(pod("p\(round)", cpu: cpu, memory: memory))
            let balanced = NodeResourcesBalancedAllocation()
            for row in f.scheduler.lastScores {
                checked += 1
                let u = f.cluster.usage[Int(row.node)]
                var before = u
                // The cycle scored the node before the pod was bound there.
                if f.cluster.pods.last!.node == row.node {
                    before.requested -= f.cluster.pods.last!.resources.requests
                    before.scoringRequested -= f.cluster.pods.last!.resources.scoringRequests
                }
                let requests = Resources(cpu: cpu, memory: memory, gpu: 0)
                var leastNode: Int64 = 0
                for (a, q) in [(before.allocatable.cpu, before.scoringRequested.cpu + cpu), (before.allocatable.memory, before.scoringRequested.memory + memory)] {
                    leastNode += q > a ? 0 : (a - q) * 100 / a
                }
                #expect(row.byPlugin.first { $0.name == "NodeResourcesFit" }?.score == leastNode / 2, "round \(round) node \(row.node)")
                #expect(row.byPlugin.first { $0.name == "NodeResourcesBalancedAllocation" }?.score == balanced.score(before, requests))
            }
        }
        // Hundreds of nodes compared (587 of the 800: the others did not fit the pod).
        #expect(checked >= 500)
    }
}
