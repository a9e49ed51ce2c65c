import KFCluster
import KFEngine
import Testing
@testable import KFScheduler

/// The feasibility index (NodeResourcesFit's verdicts per pod shape, kept from the usage log) gives the
/// cycles kube-scheduler's node-by-node filtering gives: the same node, the same diagnosis, the same
/// rotating start, through binds, deletions, cordoned nodes and preemption.
@Suite struct FeasibilityIndexTests {
    /// Two identical clusters, one scheduler with the index (`retryShortcuts`), one without; random
    /// pods of a few shapes scheduled and deleted on both; every outcome compared.
    func compare(nodes: Int, pods: Int, percentage: Int64, preemption: Bool, seed: UInt64, deletions: Bool = false, cordons: Bool = false,
                 tieBreak: TieBreak = .random, manyShapes: Bool = false) throws {
        let rng = RandomStream(seed: seed, name: "index-test")
        var specs: [NodeSpec] = []
        for i in 0..<nodes {
            let cpu = Int64(4 + rng.uniformInt(below: 4) * 4) * 1000
            specs.append(node("n\(i)", cpu: cpu, memoryGi: Int64(8 + rng.uniformInt(below: 3) * 8), gpu: Int64(rng.uniformInt(below: 2))))
        }
        func config(_ shortcuts: Bool) -> SchedulerConfiguration {
            var c = SchedulerConfiguration(percentageOfNodesToScore: percentage, tieBreak: tieBreak)
            c.retryShortcuts = shortcuts
            if !preemption { c.profiles[0].plugins[.postFilter] = PluginSet(disabled: [PluginRef(name: "*")]) }
            return c
        }
        let fast = try Fixture(nodes: specs, config: config(true), seed: seed)
        let slow = try Fixture(nodes: specs, config: config(false), seed: seed)
        fast.scheduler.recordScores = false
        slow.scheduler.recordScores = false
        var shapes: [(Int64, Int64, Int64)] = [(1000, 2, 0), (3000, 8, 0), (500, 1, 1), (6000, 4, 0)]
        // Hundreds of shapes: some go unused for long (rebuilt, not replayed), and the index drops some.
        if manyShapes {
            shapes = []
            for k in 0..<300 {
                let cpu = Int64(250 + 250 * (k % 24)), memory = Int64(1 + k / 24), gpu: Int64 = k % 7 == 0 ? 1 : 0
                shapes.append((cpu, memory, gpu))
            }
        }
        var bound: [PodID] = []
        var differences = 0, failures = 0, beyondEnd = 0
        for i in 0..<pods {
            // Now and then a bound pod ends on both.
            if !bound.isEmpty && rng.uniformInt(below: 3) == 0 {
                let id = bound.remove(at: rng.uniformInt(below: bound.count))
                fast.cluster.finish(id, now: 0, termination: .succeeded)
                slow.cluster.finish(id, now: 0, termination: .succeeded)
            }
            // Now and then an empty node is deleted, or a node cordoned or uncordoned (the rotating start
            // may then point past the end of the live nodes).
            let nearEnd = fast.scheduler.nextStartNodeIndex + 3 >= fast.cluster.liveNodes.count
            if (deletions || cordons) && (rng.uniformInt(below: 40) == 0 || (deletions && nearEnd)) {
                let live = fast.cluster.liveNodes
                let n = live[rng.uniformInt(below: live.count)]
                if deletions && live.count > 10 && rng.uniformInt(below: 2) == 0 {
                    // Up to three empty nodes at once.
                    for m in live.filter({ fast.cluster.nodes[Int($0)].pods.isEmpty }).suffix(3) {
                        fast.cluster.deleteNode(m)
                        slow.cluster.deleteNode(m)
                    }
                } else if cordons {
                    let cordon = !fast.cluster.nodes[Int(n)].spec.unschedulable
                    fast.cluster.setUnschedulable(n, cordon)
                    slow.cluster.setUnschedulable(n, cordon)
                }
            }
            let s = shapes[rng.uniformInt(below: shapes.count)]
            var spec = pod("p\(i)", cpu: s.0, memory: s.1 * Fixture.gi, gpu: s.2 > 0 ? s.2 : nil)
            spec.priority = preemption ? Int32(rng.uniformInt(below: 3)) : 0
            if fast.scheduler.nextStartNodeIndex > fast.cluster.liveNodes.count { beyondEnd += 1 }
            let a = fast.schedule(spec), b = slow.schedule(spec)
            if a != b { differences += 1 }
            #expect(fast.scheduler.nextStartNodeIndex == slow.scheduler.nextStartNodeIndex)
            switch a {
            case .bound: bound.append(PodID(fast.cluster.pods.count - 1))
            case .preempting(_, let victims, _, _):
                for v in victims where !fast.cluster.pods[Int(v)].phase.isTerminal {
                    fast.cluster.finish(v, now: 0, termination: .evicted)
                    if !slow.cluster.pods[Int(v)].phase.isTerminal { slow.cluster.finish(v, now: 0, termination: .evicted) }
                    bound.removeAll { $0 == v }
                }
                failures += 1
            default: failures += 1
            }
            if case .unschedulable = a { failures += 0 }
        }
        #expect(differences == 0)
        // The case is contended: many cycles found no node.
        #expect(failures > pods / 10, "\(failures)")
        // Filtering came from the classes' member bits (the window ends at the wanted-th fit) or, when
        // nothing fit, from the index (with cordoned nodes about, node by node).
        #expect(cordons || fast.scheduler.classFilterCycles > 0, "\(fast.scheduler.classFilterCycles)")
        #expect(fast.scheduler.classFilterCycles + fast.scheduler.feasibility.uses > 0)
        #expect(!manyShapes || (fast.scheduler.feasibility.rebuilds > 0 && fast.scheduler.feasibility.evictions > 0),
                "\(fast.scheduler.feasibility.rebuilds) rebuilds, \(fast.scheduler.feasibility.evictions) evictions")
        // Most cycles that bound a pod scored by class alone (the slow scheduler never does).
        #expect(fast.scheduler.classOnlyCycles > (pods - failures) / 2, "\(fast.scheduler.classOnlyCycles)")
        #expect(slow.scheduler.classOnlyCycles == 0)
        // Most of those were decided on the classes' member bits, without listing the feasible nodes
        // (with cordoned nodes about, filtering goes node by node, and so does selection).
        #expect(cordons || fast.scheduler.classSelections > fast.scheduler.classOnlyCycles / 2, "\(fast.scheduler.classSelections)")
        // Their class totals were mostly remembered from earlier pods of the same requests (with 300
        // shapes, less often).
        let memo = fast.scheduler.scoreMemo
        #expect(cordons || memo.remembered > (manyShapes ? 0 : memo.scored), "\(memo.remembered) remembered, \(memo.scored) scored")
        // With deletions, some cycles start past the end of the live nodes (the start moves unless
        // every node is examined).
        #expect(!deletions || percentage == 100 || beyondEnd > 0, "\(beyondEnd)")
    }

    @Test func sameCyclesAsNodeByNodeFiltering() throws {
        try compare(nodes: 120, pods: 3000, percentage: 0, preemption: false, seed: 1)
        try compare(nodes: 300, pods: 4000, percentage: 10, preemption: false, seed: 2)
    }

    /// Every node scored (reference mode's percentageOfNodesToScore 100), ties random and first.
    @Test func sameCyclesWithEveryNodeScored() throws {
        try compare(nodes: 150, pods: 3000, percentage: 100, preemption: false, seed: 9)
        try compare(nodes: 150, pods: 3000, percentage: 100, preemption: false, seed: 10, deletions: true, tieBreak: .first)
    }

    /// Nodes deleted and cordoned between cycles: the index and the node classes follow.
    @Test func sameCyclesAsNodesComeAndGo() throws {
        try compare(nodes: 150, pods: 3000, percentage: 0, preemption: false, seed: 4, deletions: true)
        try compare(nodes: 200, pods: 3000, percentage: 10, preemption: false, seed: 5, deletions: true, cordons: true)
    }

    /// Three hundred pod shapes: shapes rebuilt after long disuse and dropped for room give the same cycles.
    @Test func sameCyclesWithManyShapes() throws {
        try compare(nodes: 60, pods: 4000, percentage: 0, preemption: false, seed: 8, manyShapes: true)
    }

    /// Class-only scoring with ties to the first node in list order (the GPU-sharing study's order).
    @Test func sameCyclesWithFirstNodeTies() throws {
        try compare(nodes: 120, pods: 3000, percentage: 0, preemption: false, seed: 6, tieBreak: .first)
        try compare(nodes: 300, pods: 3000, percentage: 10, preemption: false, seed: 7, deletions: true, tieBreak: .first)
    }

    @Test func sameCyclesWithPreemption() throws {
        try compare(nodes: 80, pods: 2000, percentage: 0, preemption: true, seed: 3)
    }
}
