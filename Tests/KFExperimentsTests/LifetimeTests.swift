import Foundation
@testable import KFCluster
import KFControlPlane
import KFScheduler
import Testing
@testable import KFExperiments
import KFScenario

/// A finished run is freed once its result is dropped: no reference cycle keeps a simulation, its
/// cluster or its scheduler alive (a sweep of many runs would otherwise hold every run it made).
@Suite struct LifetimeTests {
    /// Small versions of shipped scenarios, one per kind of workload and control loop.
    static let cases: [(String, [String])] = [
        ("container-count.yaml", []),
        ("container-count.yaml", ["outputs.events=true", "outputs.scores=true"]),
        ("ps-training/ps-training.yaml", []),
        ("allreduce/allreduce.yaml", []),
        ("precaching/precaching.yaml", []),
        ("malware/malware-training.yaml", []),
        ("bench-synthetic.yaml", ["cluster.nodePools.node.count=20", "workloads.batch.arrivals.count=50",
                                  "workloads.web.arrivals.count=50"]),
        ("serving/serving-hpa.yaml", ["workloads.detector.traffic.duration=10m", "workloads.detector.traffic.rate=5"]),
        ("malware/malware-serving-knative.yaml", ["workloads.detector.traffic.duration=10m",
                                                  "workloads.detector.traffic.rate=5"]),
    ]

    @Test(arguments: 0..<LifetimeTests.cases.count)
    func aFinishedRunIsFreed(_ index: Int) throws {
        let (name, overrides) = Self.cases[index]
        weak var simulation: Simulation?
        weak var cluster: ClusterState?
        weak var scheduler: Scheduler?
        weak var engine: AnyObject?
        var workloads: [Weak] = []
        do {
            let scenario = try ScenarioLoader.load(path: Paths.scenario(name), overrides: overrides)
            let sim = try scenario.makeSimulation(seed: 1)
            sim.run()
            let result = RunResult(simulation: sim, scenario: scenario, seed: 1)
            #expect(result.events > 0, "\(name)")
            simulation = sim
            cluster = sim.cluster
            scheduler = sim.scheduler
            engine = sim.engine
            workloads = sim.workloads.map { Weak($0) }
            #expect(!workloads.isEmpty, "\(name)")
        }
        #expect(simulation == nil, "\(name)")
        #expect(cluster == nil, "\(name)")
        #expect(scheduler == nil, "\(name)")
        #expect(engine == nil, "\(name)")
        #expect(workloads.allSatisfy { $0.object == nil }, "\(name)")
    }
}

/// A cluster that outlives its scheduler no longer calls it: the scheduler's deinit takes its event
/// handler back (the handler holds the scheduler without counting references).
@Suite struct OutlivedSchedulerTests {
    /// What `keep` takes from a finished run of container-count, the run itself gone.
    static func keptAfterRun<T>(_ keep: (Simulation) -> T) throws -> T {
        let sim = try ScenarioLoader.load(path: Paths.scenario("container-count.yaml")).makeSimulation(seed: 1)
        sim.run()
        return keep(sim)
    }

    @Test func aClusterThatOutlivesItsSchedulerKeepsWorking() throws {
        weak var scheduler: Scheduler?
        let cluster = try Self.keptAfterRun { sim in
            scheduler = sim.scheduler
            return sim.cluster
        }
        #expect(scheduler == nil)
        #expect(cluster.subscribers.isEmpty)
        // Events after the scheduler is gone (a node joins, is cordoned, leaves) reach nobody.
        let node = cluster.addNode(NodeSpec(name: "late", allocatable: Resources(cpu: 1000, memory: 1 << 30)))
        cluster.setUnschedulable(node, true)
        cluster.deleteNode(node)
        #expect(cluster.liveNodes.count == cluster.nodes.count - 1)
    }

    /// A scheduler kept beside its cluster after the run is dropped hears no more events (its host, the
    /// run, is gone).
    @Test func aSchedulerKeptAfterItsRunHearsNothing() throws {
        let (cluster, scheduler) = try Self.keptAfterRun { ($0.cluster, $0.scheduler) }
        withExtendedLifetime(scheduler) {
            #expect(cluster.subscribers.isEmpty)
            let node = cluster.addNode(NodeSpec(name: "late", allocatable: Resources(cpu: 1000, memory: 1 << 30)))
            cluster.deleteNode(node)
            #expect(cluster.liveNodes.count == cluster.nodes.count - 1)
        }
    }
}

/// A weak reference, to watch objects of any class go.
struct Weak {
    weak var object: AnyObject?
    init(_ object: AnyObject) { self.object = object }
}
