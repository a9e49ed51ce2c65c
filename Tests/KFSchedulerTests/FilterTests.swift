import KFCluster
import Testing
@testable import KFScheduler

@Suite struct FilterTests {
    let gi = Fixture.gi

    @Test func selectorsCordonsAndTheDiagnosisMessage() throws {
        let f = try Fixture(nodes: [node("a", cpu: 4000, memoryGi: 8, labels: ["pool": "gpu"], unschedulable: true),
                                    node("b", cpu: 4000, memoryGi: 8, labels: ["pool": "cpu"]),
                                    node("c", cpu: 4000, memoryGi: 8, labels: ["pool": "gpu"])])
        var p = pod("p", cpu: 1000, memory: gi)
        p.nodeSelector = ["pool": "gpu"]
        #expect(f.nodeName(f.schedule(p)) == "c")
        var q = pod("q", cpu: 4000, memory: gi)
        q.nodeSelector = ["pool": "gpu"]
        let out = f.schedule(q)
        #expect(out == .unschedulable(reason: "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. Rejected by filter: NodeUnschedulable, NodeAffinity, NodeResourcesFit.",
                                      rejectors: ["NodeUnschedulable", "NodeAffinity", "NodeResourcesFit"]))
    }

    @Test func aPodLargerThanEveryNodeIsResourceOnlyUnschedulable() throws {
        let f = try Fixture(nodes: [node("a", cpu: 4000, memoryGi: 8), node("b", cpu: 2000, memoryGi: 8)])
        let out = f.schedule(pod("huge", cpu: 16000, memory: gi))
        #expect(out == .unschedulable(reason: "0/2 nodes are available: 2 Insufficient cpu. Rejected by filter: NodeResourcesFit.", rejectors: ["NodeResourcesFit"]))
    }

    @Test func requiredNodeAffinityWithGtAndNotIn() throws {
        let f = try Fixture(nodes: [node("a", cpu: 4000, memoryGi: 8, labels: ["gen": "3"]),
                                    node("b", cpu: 4000, memoryGi: 8, labels: ["gen": "5", "zone": "bad"]),
                                    node("c", cpu: 4000, memoryGi: 8, labels: ["gen": "6"])])
        var p = pod("p", cpu: 1000, memory: gi)
        p.nodeAffinity = NodeAffinity(required: [NodeSelectorTerm(matchExpressions: [
            LabelRequirement(key: "gen", op: .gt, values: ["4"]), LabelRequirement(key: "zone", op: .notIn, values: ["bad"]),
        ])])
        #expect(f.nodeName(f.schedule(p)) == "c")
    }

    @Test func requiredAntiAffinityAndAffinity() throws {
        let db = pod("db", cpu: 500, memory: gi, labels: ["app": "db"])
        let f = try Fixture(nodes: [node("a", cpu: 4000, memoryGi: 8, zone: "z1"), node("b", cpu: 4000, memoryGi: 8, zone: "z1"),
                                    node("c", cpu: 4000, memoryGi: 8, zone: "z2")],
                            existing: [(db, 0)])
        var spread = pod("replica", cpu: 500, memory: gi, labels: ["app": "db"])
        spread.podAntiAffinity = PodAffinity(required: [PodAffinityTerm(labelSelector: LabelSelector(matchLabels: [LabelPair(key: "app", value: "db")]),
                                                                        topologyKey: WellKnownLabels.zone)])
        #expect(f.nodeName(f.schedule(spread)) == "c")
        var near = pod("cache", cpu: 500, memory: gi)
        near.podAffinity = PodAffinity(required: [PodAffinityTerm(labelSelector: LabelSelector(matchLabels: [LabelPair(key: "app", value: "db")]),
                                                                  topologyKey: WellKnownLabels.hostname)])
        // Both a and c hold an app=db pod now; a scores lower (fewer free resources? no: a and c are equal) -> first index.
        let out = f.schedule(near)
        #expect(f.nodeName(out) == "a" || f.nodeName(out) == "c")
        #expect(f.score("NodeResourcesFit", "b") == nil)
        // The replica's anti-affinity also keeps other app=db pods out of z2 (symmetry).
        let third = f.schedule(pod("db2", cpu: 500, memory: gi, labels: ["app": "db"]))
        #expect(f.nodeName(third) == "a" || f.nodeName(third) == "b")
    }

    @Test func topologySpreadDoNotScheduleCountsSkew() throws {
        let web = ["app": "web"]
        let f = try Fixture(nodes: [node("a", cpu: 8000, memoryGi: 8, zone: "z1"), node("b", cpu: 8000, memoryGi: 8, zone: "z1"),
                                    node("c", cpu: 8000, memoryGi: 8, zone: "z2")],
                            existing: [(pod("w0", cpu: 100, labels: web), 0), (pod("w1", cpu: 100, labels: web), 0)])
        var p = pod("w2", cpu: 100, labels: web)
        p.topologySpreadConstraints = [TopologySpreadConstraint(maxSkew: 1, topologyKey: WellKnownLabels.zone, whenUnsatisfiable: .doNotSchedule,
                                                                labelSelector: LabelSelector(matchLabels: [LabelPair(key: "app", value: "web")]))]
        // z1 holds 2, z2 holds 0: placing in z1 gives skew 3 - 0 > 1; z2 gives 1.
        let out = f.schedule(p)
        #expect(f.nodeName(out) == "c")
    }

    @Test func topologySpreadScheduleAnywayScoresFewerMatchesHigher() throws {
        let web = ["app": "web"]
        let f = try Fixture(nodes: [node("a", cpu: 8000, memoryGi: 8), node("b", cpu: 8000, memoryGi: 8)],
                            config: scoring([("PodTopologySpread", 2)]),
                            existing: [(pod("w0", cpu: 100, labels: web), 0)])
        var p = pod("w1", cpu: 100, labels: web)
        p.topologySpreadConstraints = [TopologySpreadConstraint(maxSkew: 1, topologyKey: WellKnownLabels.hostname, whenUnsatisfiable: .scheduleAnyway,
                                                                labelSelector: LabelSelector(matchLabels: [LabelPair(key: "app", value: "web")]))]
        let out = f.schedule(p)
        // Raw: a = round(1 * ln(2+2) + 0) = 1, b = 0. Normalised 100 * (max + min - s) / max: a 0, b 100.
        #expect(f.score("PodTopologySpread", "a") == 0)
        #expect(f.score("PodTopologySpread", "b") == 100)
        #expect(f.nodeName(out) == "b")
    }

    /// NodeResourcesFit's room-and-need test (node classes, checked four lanes at once) agrees with its
    /// verdict, over requests of zero and negative amounts, full pod slots and overcommitted nodes.
    @Test func roomAndNeedAgreeWithFitCode() {
        var checked = 0
        for podCount: Int64 in [0, 9, 10] {
            for requested: Int64 in [0, 3000, 4000, 5000] {
                var u = NodeUsage(node("n", cpu: 4000, memoryGi: 8, gpu: 1))
                u.podCount = podCount
                u.maxPods = 10
                u.requested = Resources(cpu: requested, memory: requested * gi / 1000, gpu: requested > 4000 ? 2 : 0)
                for cpu: Int64 in [-1, 0, 1, 1000, 4000] {
                    for memory: Int64 in [0, gi, 8 * gi] {
                        for gpu: Int64 in [0, 1] {
                            let req = Resources(cpu: cpu, memory: memory, gpu: gpu)
                            let fits = NodeResourcesFit.fitCode(u, req) == 0
                            #expect(all(NodeResourcesFit.need(req) .<= NodeResourcesFit.room(u)) == fits, "\(u) \(req)")
                            checked += fits ? 1 : 0
                        }
                    }
                }
            }
        }
        #expect(checked > 20)
    }
}
