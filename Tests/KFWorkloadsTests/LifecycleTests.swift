import KFCluster
import KFEngine
import KFScheduler
import Testing
import KFControlPlane
@testable import KFWorkloads

@Suite struct LifecycleTests {
    @Test func imagePullsAreSerialisedPerNodeAndShared() throws {
        // 100 MB/s pulls; image a is 200 MB (2 s), image b 100 MB (1 s). Three pods on one node.
        var node = NodeSpec(name: "n", allocatable: Resources(cpu: 8000, memory: 8 * Harness.gi))
        node.imagePullBandwidth = 100e6
        let sim = try Harness.simulation(nodes: [node], images: ["a": 200_000_000, "b": 100_000_000])
        sim.add(Harness.pod("p1", Harness.template(cpu: 100, image: "a"), work: .duration(.constant(1))))
        sim.add(Harness.pod("p2", Harness.template(cpu: 100, image: "b"), work: .duration(.constant(1))))
        sim.add(Harness.pod("p3", Harness.template(cpu: 100, image: "a"), work: .duration(.constant(1))))
        sim.run()
        let start = { (n: String) in Clock.seconds(sim.cluster.pods.first { $0.spec.name == n }!.startedAt) }
        // a pulls 0-2 s, b queues behind it 2-3 s, p3 waits for the pull of a already under way.
        #expect(start("p1-0") == 2)
        #expect(start("p2-0") == 3)
        #expect(start("p3-0") == 2)
    }

    @Test func unschedulablePodsRetryWhenResourcesFree() throws {
        let sim = try Harness.simulation(nodes: [NodeSpec(name: "n", allocatable: Resources(cpu: 1000, memory: 8 * Harness.gi))],
                                         config: SchedulerConfiguration())
        sim.add(Harness.pod("first", Harness.template(cpu: 1000), work: .duration(.constant(30))))
        sim.add(Harness.pod("second", Harness.template(cpu: 1000), work: .duration(.constant(30)), at: 1))
        sim.run()
        let second = sim.cluster.pods.first { $0.spec.name == "second-0" }!
        // Fails at 1 s (backoff 1 s), moved back when the first ends at 30 s.
        #expect(Clock.seconds(second.startedAt) == 30)
        #expect(second.attempts == 2)
        #expect(sim.stopReason == .completed)
    }

    @Test func horizonStopsTheRun() throws {
        var options = SimulationOptions()
        options.horizon = 5 * Clock.microsPerSecond
        let sim = try Harness.simulation(nodes: [NodeSpec(name: "n", allocatable: Resources(cpu: 1000, memory: Harness.gi))], options: options)
        sim.add(Harness.pod("long", Harness.template(cpu: 100), work: .duration(.constant(100))))
        sim.run()
        #expect(sim.stopReason == .horizon)
        #expect(sim.now == 5 * Clock.microsPerSecond)
        #expect(sim.cluster.pods[0].phase == .running)
    }
}
