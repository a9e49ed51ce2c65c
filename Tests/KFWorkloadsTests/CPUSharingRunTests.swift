import KFCluster
import KFEngine
import Testing
import KFControlPlane
@testable import KFWorkloads

/// Completion times of CPU-bound pods sharing a node, computed by hand.
@Suite struct CPUSharingRunTests {
    let node2 = NodeSpec(name: "n", allocatable: Resources(cpu: 2000, memory: 8 * Harness.gi))

    @Test func equalSharesThenTheSurvivorSpeedsUp() throws {
        let sim = try Harness.simulation(nodes: [node2])
        // Both: request 1 core, limit 2 -> caps 2 + 2 > 2 cores: 1 core each.
        let t = Harness.template(cpu: 1000, limit: 2000)
        sim.add(Harness.pod("a", t, work: .cpu(.constant(4), threads: nil)))
        sim.add(Harness.pod("b", t, work: .cpu(.constant(10), threads: nil)))
        sim.run()
        // a: 4 core-s at 1 core -> 4 s. b: 4 done by then, 6 left at 2 cores -> 3 s more -> 7 s.
        #expect(Harness.finish(sim, "a-0") == 4)
        #expect(Harness.finish(sim, "b-0") == 7)
    }

    @Test func sharesFollowRequestsWhenContended() throws {
        let sim = try Harness.simulation(nodes: [node2])
        sim.add(Harness.pod("a", Harness.template(cpu: 1500, limit: 2000), work: .cpu(.constant(6), threads: nil)))
        sim.add(Harness.pod("b", Harness.template(cpu: 500, limit: 2000), work: .cpu(.constant(10), threads: nil)))
        sim.run()
        // Weights 1500:500 -> 1.5 and 0.5 cores. a: 6 / 1.5 = 4 s. b: 2 done, 8 left at 2 cores -> 8 s.
        #expect(Harness.finish(sim, "a-0") == 4)
        #expect(Harness.finish(sim, "b-0") == 8)
    }

    @Test func undersubscribedPodsRunAtTheirCap() throws {
        let sim = try Harness.simulation(nodes: [NodeSpec(name: "n", allocatable: Resources(cpu: 8000, memory: 8 * Harness.gi))])
        // Limit 2 cores, 6 core-s -> 3 s; threads 0.5 -> 1 core-s takes 2 s.
        sim.add(Harness.pod("a", Harness.template(cpu: 1000, limit: 2000), work: .cpu(.constant(6), threads: nil)))
        sim.add(Harness.pod("b", Harness.template(cpu: 1000, limit: 2000), work: .cpu(.constant(1), threads: 0.5)))
        sim.run()
        #expect(Harness.finish(sim, "a-0") == 3)
        #expect(Harness.finish(sim, "b-0") == 2)
    }

    @Test func aLateArrivalSlowsTheRunningPod() throws {
        let sim = try Harness.simulation(nodes: [node2])
        let t = Harness.template(cpu: 1000, limit: 2000)
        sim.add(Harness.pod("a", t, work: .cpu(.constant(8), threads: nil)))
        sim.add(Harness.pod("b", t, work: .cpu(.constant(2), threads: nil), at: 2))
        sim.run()
        // a alone at 2 cores for 2 s (4 done); then both at 1 core: b needs 2 s (t = 4); a has 4 - 2 = 2 left,
        // then alone at 2 cores -> 1 s -> t = 5.
        #expect(Harness.finish(sim, "b-0") == 4)
        #expect(Harness.finish(sim, "a-0") == 5)
    }

    @Test func requestlessPodsShareByMinimumWeight() throws {
        let sim = try Harness.simulation(nodes: [node2])
        // No requests, no limits: cap 1 core each (no limit, no request -> 1 thread); three pods on 2 cores,
        // equal weights -> 2/3 core each; 2 core-s each -> 3 s.
        for name in ["a", "b", "c"] { sim.add(Harness.pod(name, Harness.template(), work: .cpu(.constant(2), threads: nil))) }
        sim.run()
        for name in ["a-0", "b-0", "c-0"] { #expect(abs(Harness.finish(sim, name)! - 3) < 1e-6) }
    }

    @Test func fixedDurationPodsIgnoreTheirShare() throws {
        let sim = try Harness.simulation(nodes: [node2])
        sim.add(Harness.pod("a", Harness.template(cpu: 1000, limit: 2000), work: .duration(.constant(5))))
        sim.add(Harness.pod("b", Harness.template(cpu: 1000, limit: 2000), work: .cpu(.constant(4), threads: nil)))
        sim.run()
        #expect(Harness.finish(sim, "a-0") == 5)
        #expect(Harness.finish(sim, "b-0") == 4)
        // While both ran, used CPU was the whole node.
        #expect(abs(sim.utilization.fractions.cpuUsed! - (4 * 2 + 1 * 2) / (5 * 2.0)) < 1e-9)
    }
}
