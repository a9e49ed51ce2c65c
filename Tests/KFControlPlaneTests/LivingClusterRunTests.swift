import KFCluster
import KFEngine
import KFScheduler
import Testing
@testable import KFControlPlane

/// A test controller: keeps `count` one-core pods of `seconds` each running until each has succeeded
/// once, recreating pods that end any other way (as a Job or ReplicaSet does).
final class Replicas: WorkloadController {
    let name = "replicas"
    let count: Int, seconds: Double
    var job: JobID = -1
    var owner: Int32 = -1
    var succeeded = 0, created = 0
    var endings: [(pod: String, termination: PodTermination)] = []
    init(count: Int, seconds: Double) {
        self.count = count
        self.seconds = seconds
    }
    func create(_ context: ControllerContext) {
        let spec = PodSpec(name: "r-\(created)", containers: [ContainerSpec(requests: OptionalResources(cpu: 1000))],
                           work: .duration(seconds))
        created += 1
        _ = context.createPod(spec, controller: owner, job: job)
    }
    func start(in context: ControllerContext) {
        owner = context.index(of: self)
        job = context.submitJob(name: "replicas", kind: "Test", namespace: "default")
        for _ in 0..<count { create(context) }
    }
    func fire(_ timer: Scheduled, in context: ControllerContext) {}
    func podEnded(_ pod: PodID, termination: PodTermination, in context: ControllerContext) {
        endings.append((context.cluster.pods[Int(pod)].spec.name, termination))
        if termination == .succeeded { succeeded += 1 } else { create(context) }
        if succeeded == count { context.finishJob(job, succeeded: true) }
    }
    var isDone: Bool { succeeded == count }
    func uncreatedPods() -> [UncreatedPod] { [] }
    var waitingCreations: Int { 0 }
}

@Suite struct LivingClusterRunTests {
    static let gi: Int64 = 1 << 30

    func simulation(nodes: Int, groups: [NodeGroup] = []) throws -> Simulation {
        let streams = RandomStreams(seed: 1)
        let specs = (0..<nodes).map { NodeSpec(name: "n\($0)", allocatable: Resources(cpu: 1000, memory: Self.gi)) }
        let cluster = ClusterState(nodes: specs, namespaces: [NamespaceSpec(name: "default")], nodeGroups: groups)
        let scheduler = try Scheduler(configuration: SchedulerConfiguration(tieBreak: .first), cluster: cluster,
                                      tieStream: streams.stream("tieBreak"))
        return Simulation(cluster: cluster, scheduler: scheduler, streams: streams, options: SimulationOptions(sampleInterval: 0))
    }

    func pod(_ sim: Simulation, _ name: String) -> Pod { sim.cluster.pods.first { $0.spec.name == name }! }

    @Test func aPodWaitingForRoomIsRequeuedWhenANodeJoins() throws {
        let sim = try simulation(nodes: 1)
        let r = Replicas(count: 2, seconds: 10)
        sim.add(r)
        NodeLifecycle(events: [(Clock.micros(seconds: 2), .add(NodeSpec(name: "late", allocatable: Resources(cpu: 1000, memory: Self.gi))))])
            .attach(to: sim)
        sim.run()
        #expect(sim.stopReason == .completed)
        let b = pod(sim, "r-1")
        // Rejected at 0 (backoff 1 s over by 2 s): the NodeAdd event puts it straight back in the active queue.
        #expect(b.scheduledAt == Clock.micros(seconds: 2) && sim.cluster.nodes[Int(b.node)].spec.name == "late")
        #expect(sim.cluster.liveNodes.count == 2 && sim.cluster.capacity.cpu == 2000)
    }

    @Test func drainedPodsAreEvictedAndTheirOwnerRecreatesThemElsewhere() throws {
        let sim = try simulation(nodes: 2)
        let r = Replicas(count: 1, seconds: 10)
        sim.add(r)
        NodeLifecycle(events: [(Clock.micros(seconds: 3), .drain("n0"))]).attach(to: sim)
        sim.run()
        #expect(sim.stopReason == .completed)
        let first = pod(sim, "r-0"), second = pod(sim, "r-1")
        #expect(sim.cluster.nodes[Int(first.node)].spec.name == "n0")
        #expect(first.status.termination == .evicted && first.phase == .failed && first.finishedAt == Clock.micros(seconds: 3))
        #expect(first.reason == "Evicted: node n0 drained")
        #expect(second.scheduledAt == Clock.micros(seconds: 3) && sim.cluster.nodes[Int(second.node)].spec.name == "n1")
        #expect(second.finishedAt == Clock.micros(seconds: 13) && second.status.termination == .succeeded)
        #expect(r.endings.map(\.termination) == [.evicted, .succeeded])
        #expect(sim.cluster.nodes[0].spec.unschedulable && sim.jobs[0].succeeded)
    }

    @Test func deletingANodeDeletesItsPodsAndShrinksTheCluster() throws {
        let sim = try simulation(nodes: 2)
        let r = Replicas(count: 2, seconds: 10)
        sim.add(r)
        NodeLifecycle(events: [(Clock.micros(seconds: 4), .delete("n1"))]).attach(to: sim)
        sim.run()
        #expect(sim.stopReason == .completed)
        let onDeleted = sim.cluster.pods.first { sim.cluster.nodes[Int($0.node)].spec.name == "n1" }!
        #expect(onDeleted.status.termination == .deleted && onDeleted.reason == "Deleted: node n1 deleted")
        // Its replacement waits for n0 (one core) to free up at 10 s.
        let replacement = pod(sim, "r-2")
        #expect(replacement.scheduledAt == Clock.micros(seconds: 10) && sim.cluster.nodes[Int(replacement.node)].spec.name == "n0")
        #expect(sim.cluster.liveNodes == [0] && sim.cluster.capacity.cpu == 1000 && sim.cluster.nodes[1].isDeleted)
    }

    @Test func aNodeGroupGrowsMidRunAndAnswersWouldFit() throws {
        let template = NodeSpec(name: "t", allocatable: Resources(cpu: 2000, memory: Self.gi))
        let sim = try simulation(nodes: 1, groups: [NodeGroup(name: "burst", template: template, maxSize: 1)])
        let r = Replicas(count: 2, seconds: 10)
        sim.add(r)
        NodeLifecycle(events: [(Clock.micros(seconds: 5), .addToGroup("burst")), (Clock.micros(seconds: 6), .addToGroup("burst"))])
            .attach(to: sim)
        sim.run()
        let b = pod(sim, "r-1")
        #expect(sim.cluster.nodes[Int(b.node)].spec.name == "burst-0" && b.scheduledAt == Clock.micros(seconds: 5))
        #expect(sim.cluster.nodes(inGroup: "burst").count == 1)  // the second addition was refused at maxSize
        #expect(sim.scheduler.whyNotFit(b.id, onNewNode: template) == nil)
    }
}
