import KFCluster
import KFEngine
import Testing
@testable import KFScheduler

/// DefaultPreemption, hand-computed: which victims, which node (kube-scheduler's
/// `SelectVictimsOnNode` and `pickOneNodeForPreemption`).
@Suite struct PreemptionTests {
    /// A fixture whose existing pods are given as (name, cpu millicores, priority, node index, start s).
    func fixture(nodes: [NodeSpec], running: [(String, Int64, Int32, Int32, Double)]) throws -> Fixture {
        let f = try Fixture(nodes: nodes)
        for (name, cpu, priority, node, start) in running {
            var spec = pod(name, cpu: cpu, memory: Fixture.gi)
            spec.priority = priority
            guard case .success(let id) = f.cluster.create(spec, owner: OwnerRef(controller: -1, job: -1), now: 0) else {
                Issue.record("refused")
                continue
            }
            f.cluster.bind(id, to: node, now: 0)
            f.cluster.start(id, now: Clock.micros(seconds: start))
        }
        return f
    }

    func preemptor(_ f: Fixture, cpu: Int64, priority: Int32, never: Bool = false) -> ScheduleOutcome {
        var spec = pod("h", cpu: cpu, memory: Fixture.gi)
        spec.priority = priority
        if never { spec.preemptionPolicy = .never }
        guard case .success(let id) = f.cluster.create(spec, owner: OwnerRef(controller: -1, job: -1), now: 0) else { return .bound(node: -1) }
        return f.scheduler.schedule(id)
    }

    /// The outcome as (node name, victim names), nil when the pod is just unschedulable.
    func decision(_ f: Fixture, _ o: ScheduleOutcome) -> (String, [String])? {
        guard case .preempting(let node, let victims, _, _) = o else { return nil }
        return (f.cluster.nodes[Int(node)].spec.name, victims.map { f.cluster.pods[Int($0)].spec.name })
    }

    /// Node 4 cores with two 2-core priority-1 pods (started at 10 s and 20 s); a 2-core priority-10 pod
    /// needs one of them gone. Removing both fits; reprieving the more important (earlier started) one
    /// still fits; reprieving the other does not: the victim is the later one.
    @Test func theVictimIsTheLeastImportantPodThatMustGo() throws {
        let f = try fixture(nodes: [node("a", cpu: 4000, memoryGi: 16)], running: [("early", 2000, 1, 0, 10), ("late", 2000, 1, 0, 20)])
        let d = decision(f, preemptor(f, cpu: 2000, priority: 10))
        #expect(d?.0 == "a" && d?.1 == ["late"])
    }

    /// A priority-5 and a priority-1 pod of 2 cores: the priority-5 pod is reprieved first and stays.
    @Test func higherPriorityPodsAreReprievedFirst() throws {
        let f = try fixture(nodes: [node("a", cpu: 4000, memoryGi: 16)], running: [("five", 2000, 5, 0, 30), ("one", 2000, 1, 0, 10)])
        #expect(decision(f, preemptor(f, cpu: 2000, priority: 10))?.1 == ["one"])
    }

    /// Two full 2-core nodes, one running a priority-5 pod, one a priority-1 pod: the node whose highest
    /// victim priority is lowest wins.
    @Test func theNodeWithTheLowestHighestVictimPriorityWins() throws {
        let f = try fixture(nodes: [node("a", cpu: 2000, memoryGi: 16), node("b", cpu: 2000, memoryGi: 16)],
                            running: [("five", 2000, 5, 0, 10), ("one", 2000, 1, 1, 10)])
        let d = decision(f, preemptor(f, cpu: 2000, priority: 10))
        #expect(d?.0 == "b" && d?.1 == ["one"])
    }

    /// Node a needs two 1-core priority-1 victims, node b one 2-core priority-1 victim: same highest
    /// priority; the sum of (priority + 2^31) is smaller on b.
    @Test func fewerVictimsOfTheSamePriorityWin() throws {
        let f = try fixture(nodes: [node("a", cpu: 2000, memoryGi: 16), node("b", cpu: 2000, memoryGi: 16)],
                            running: [("a1", 1000, 1, 0, 10), ("a2", 1000, 1, 0, 10), ("b1", 2000, 1, 1, 10)])
        let d = decision(f, preemptor(f, cpu: 2000, priority: 10))
        #expect(d?.0 == "b" && d?.1 == ["b1"])
    }

    /// Same victims' priority, sum and count: the node whose most important victims started latest.
    @Test func theLatestStartedVictimsWin() throws {
        let f = try fixture(nodes: [node("a", cpu: 2000, memoryGi: 16), node("b", cpu: 2000, memoryGi: 16)],
                            running: [("old", 2000, 1, 0, 10), ("new", 2000, 1, 1, 50)])
        #expect(decision(f, preemptor(f, cpu: 2000, priority: 10))?.1 == ["new"])
    }

    /// No preemption for `preemptionPolicy: Never`, for pods of equal priority, or on nodes whose
    /// rejection eviction cannot resolve (an untolerated taint, requests above allocatable).
    @Test func noPreemptionWhenItCannotHelpOrIsNotAllowed() throws {
        let f = try fixture(nodes: [node("a", cpu: 2000, memoryGi: 16)], running: [("one", 2000, 1, 0, 10)])
        #expect(decision(f, preemptor(f, cpu: 2000, priority: 10, never: true)) == nil)
        #expect(decision(f, preemptor(f, cpu: 2000, priority: 1)) == nil)
        #expect(decision(f, preemptor(f, cpu: 4000, priority: 10)) == nil)
        let tainted = node("t", cpu: 2000, memoryGi: 16, taints: [Taint(key: "gpu", effect: .noSchedule)])
        let g = try fixture(nodes: [tainted, node("b", cpu: 2000, memoryGi: 16)], running: [("t1", 2000, 1, 0, 10), ("b1", 2000, 1, 1, 60)])
        let d = decision(g, preemptor(g, cpu: 2000, priority: 10))
        #expect(d?.0 == "b" && d?.1 == ["b1"])
    }
}
