import KFCluster
import Testing
@testable import KFScheduler

/// Hand-computed clusters: the chosen node and every plugin's score equal kube-scheduler's integer
/// formulas, rounding included. The arithmetic is written out in each test.
@Suite struct ScoringExactnessTests {
    let gi = Fixture.gi

    @Test func leastAllocatedAndBalancedWithTheDefaultProfile() throws {
        let f = try Fixture(nodes: [node("a", cpu: 4000, memoryGi: 8), node("b", cpu: 8000, memoryGi: 8)])
        let out = f.schedule(pod("p", cpu: 1000, memory: gi))
        // a: cpu (4000-1000)*100/4000 = 75, memory 7*100/8 = 87 (87.5 truncated); (75+87)/2 = 81.
        // b: cpu 7000*100/8000 = 87, memory 87 -> 87.
        #expect(f.score("NodeResourcesFit", "a") == 81)
        #expect(f.score("NodeResourcesFit", "b") == 87)
        // Balanced: a |0.25-0.125|/2 = 0.0625 -> 93 (93.75 truncated); b equal fractions -> 100.
        #expect(f.score("NodeResourcesBalancedAllocation", "a") == 93)
        #expect(f.score("NodeResourcesBalancedAllocation", "b") == 100)
        // No taints anywhere: TaintToleration normalises 0 to 100 (reverse), weight 3.
        #expect(f.score("TaintToleration", "a") == 100)
        #expect(f.score("NodeAffinity", "a") == 0)
        #expect(f.total("a") == Int64(300 + 81 + 93))
        #expect(f.total("b") == Int64(300 + 87 + 100))
        #expect(f.nodeName(out) == "b")
    }

    @Test func mostAllocatedPacks() throws {
        let args = PluginArgs.map([("scoringStrategy", .map([("type", .scalar("MostAllocated"))]))])
        let f = try Fixture(nodes: [node("a", cpu: 4000, memoryGi: 8), node("b", cpu: 8000, memoryGi: 8)],
                            config: scoring([("NodeResourcesFit", 1)], pluginConfig: [("NodeResourcesFit", args)]))
        let out = f.schedule(pod("p", cpu: 1000, memory: gi))
        // a: cpu 1000*100/4000 = 25, memory 12 (12.5) -> 37/2 = 18. b: 12, 12 -> 12.
        #expect(f.score("NodeResourcesFit", "a") == 18)
        #expect(f.score("NodeResourcesFit", "b") == 12)
        #expect(f.nodeName(out) == "a")
    }

    @Test func requestedToCapacityRatioRoundsTheWeightedMean() throws {
        func shape(_ points: [(Int, Int)]) -> PluginArgs {
            .map([("scoringStrategy", .map([
                ("type", .scalar("RequestedToCapacityRatio")),
                ("requestedToCapacityRatio", .map([("shape", .list(points.map {
                    .map([("utilization", .scalar(String($0.0))), ("score", .scalar(String($0.1)))])
                }))])),
            ]))])
        }
        let nodes = [node("a", cpu: 4000, memoryGi: 8), node("b", cpu: 8000, memoryGi: 8)]
        let up = try Fixture(nodes: nodes, config: scoring([("NodeResourcesFit", 1)], pluginConfig: [("NodeResourcesFit", shape([(0, 0), (100, 10)]))]))
        _ = up.schedule(pod("p", cpu: 1000, memory: gi))
        // a: utilisation cpu 25 -> 25, memory 12 -> 12; round(37/2 = 18.5) = 19 (half away from zero).
        #expect(up.score("NodeResourcesFit", "a") == 19)
        #expect(up.score("NodeResourcesFit", "b") == 12)
        let down = try Fixture(nodes: nodes, config: scoring([("NodeResourcesFit", 1)], pluginConfig: [("NodeResourcesFit", shape([(0, 10), (100, 0)]))]))
        let out = down.schedule(pod("p", cpu: 1000, memory: gi))
        // a: 100 - 25 = 75, 100 - 12 = 88 -> round(81.5) = 82; b: 88, 88 -> 88.
        #expect(down.score("NodeResourcesFit", "a") == 82)
        #expect(down.score("NodeResourcesFit", "b") == 88)
        #expect(down.nodeName(out) == "b")
    }

    @Test func bestEffortPodsScoreWithNonZeroDefaults() throws {
        let f = try Fixture(nodes: [node("a", cpu: 4000, memoryGi: 8), node("b", cpu: 2000, memoryGi: 4)],
                            existing: [(pod("old", cpu: 1000, memory: gi), 1)])
        let out = f.schedule(pod("p"))
        // The pod counts as 100m / 200 MiB. a: cpu 3900*100/4000 = 97; memory (8Gi-200Mi)*100/8Gi = 97 -> 97.
        #expect(f.score("NodeResourcesFit", "a") == 97)
        // b: cpu (2000-1100)*100/2000 = 45; memory (4Gi-1Gi-200Mi)*100/4Gi = 70 -> (45+70)/2 = 57.
        #expect(f.score("NodeResourcesFit", "b") == 57)
        // Balanced skips best-effort pods.
        #expect(f.score("NodeResourcesBalancedAllocation", "a") == 0)
        #expect(f.score("NodeResourcesBalancedAllocation", "b") == 0)
        #expect(f.nodeName(out) == "a")
    }

    @Test func taintsFilterAndPreferNoScheduleScoresReversed() throws {
        let f = try Fixture(nodes: [
            node("a", cpu: 4000, memoryGi: 8, taints: [Taint(key: "gpu", value: "true", effect: .noSchedule)]),
            node("b", cpu: 4000, memoryGi: 8, taints: [Taint(key: "dedicated", value: "x", effect: .preferNoSchedule)]),
            node("c", cpu: 4000, memoryGi: 8),
        ])
        let out = f.schedule(pod("p", cpu: 1000, memory: gi))
        #expect(f.score("TaintToleration", "a") == nil) // filtered out
        // Raw counts b 1, c 0; max 1 -> b 100 -> reversed 0; c 0 -> 100.
        #expect(f.score("TaintToleration", "b") == 0)
        #expect(f.score("TaintToleration", "c") == 100)
        #expect(f.total("b") == Int64(0 + 81 + 93))
        #expect(f.total("c") == Int64(300 + 81 + 93))
        #expect(f.nodeName(out) == "c")
        // A toleration lets the pod onto a.
        var tolerant = pod("q", cpu: 1000, memory: gi)
        tolerant.tolerations = [Toleration(key: "gpu", op: .exists)]
        _ = f.schedule(tolerant)
        #expect(f.score("TaintToleration", "a") == 100)
    }

    @Test func preferredNodeAffinityIsNormalisedByTheMaximum() throws {
        let f = try Fixture(nodes: [
            node("a", cpu: 4000, memoryGi: 8, labels: ["disk": "ssd"]),
            node("b", cpu: 4000, memoryGi: 8, labels: ["disk": "hdd"]),
            node("c", cpu: 4000, memoryGi: 8),
        ])
        var p = pod("p", cpu: 1000, memory: gi)
        p.nodeAffinity = NodeAffinity(preferred: [
            PreferredSchedulingTerm(weight: 80, preference: NodeSelectorTerm(matchExpressions: [LabelRequirement(key: "disk", op: .in, values: ["ssd"])])),
            PreferredSchedulingTerm(weight: 20, preference: NodeSelectorTerm(matchExpressions: [LabelRequirement(key: "disk", op: .exists)])),
        ])
        let out = f.schedule(p)
        // Raw a 100, b 20, c 0; normalised by max 100 -> 100, 20, 0; weight 2.
        #expect(f.score("NodeAffinity", "a") == 100)
        #expect(f.score("NodeAffinity", "b") == 20)
        #expect(f.score("NodeAffinity", "c") == 0)
        #expect(f.total("a") == Int64(300 + 200 + 81 + 93))
        #expect(f.total("b") == Int64(300 + 40 + 81 + 93))
        #expect(f.nodeName(out) == "a")
    }

    @Test func imageLocalityScalesBySpread() throws {
        let size: Int64 = 500 * Fixture.mi
        let nodes = (0..<4).map { i in node("n\(i)", cpu: 4000, memoryGi: 8, images: i < 2 ? ["big:1"] : []) }
        let f = try Fixture(nodes: nodes, images: ["big:1": size])
        let out = f.schedule(pod("p", cpu: 1000, memory: gi, image: "big:1"))
        // Sum = int(500Mi * 2/4) = 262144000; (262144000 - 23Mi) * 100 / (1000Mi - 23Mi) = 23 (23.23 truncated).
        #expect(f.score("ImageLocality", "n0") == 23)
        #expect(f.score("ImageLocality", "n1") == 23)
        #expect(f.score("ImageLocality", "n2") == 0)
        // n0 and n1 tie; tieBreak first picks the lower index.
        #expect(f.nodeName(out) == "n0")
    }

    @Test func extendedResourcesScoreOnlyWhenRequested() throws {
        let args = PluginArgs.map([("scoringStrategy", .map([("resources", .list([
            .map([("name", .scalar("cpu")), ("weight", .scalar("1"))]),
            .map([("name", .scalar("memory")), ("weight", .scalar("1"))]),
            .map([("name", .scalar("nvidia.com/gpu")), ("weight", .scalar("3"))]),
        ]))]))])
        let f = try Fixture(nodes: [node("a", cpu: 8000, memoryGi: 16, gpu: 4), node("b", cpu: 8000, memoryGi: 16, gpu: 2),
                                    node("cpu-only", cpu: 8000, memoryGi: 16)],
                            config: scoring([("NodeResourcesFit", 1), ("NodeResourcesBalancedAllocation", 1)],
                                            pluginConfig: [("NodeResourcesFit", args)]))
        let out = f.schedule(pod("p", cpu: 2000, memory: 4 * gi, gpu: 1))
        // a: cpu 75, memory 75, gpu (4-1)*100/4 = 75 -> (75+75+225)/5 = 75. b: gpu 50 -> (75+75+150)/5 = 60.
        #expect(f.score("NodeResourcesFit", "a") == 75)
        #expect(f.score("NodeResourcesFit", "b") == 60)
        // Balanced compares cpu and memory only by default: 0.25 and 0.25 -> 100.
        #expect(f.score("NodeResourcesBalancedAllocation", "a") == 100)
        #expect(f.score("NodeResourcesFit", "cpu-only") == nil) // filtered: Insufficient nvidia.com/gpu
        #expect(f.nodeName(out) == "a")
        // A CPU pod on the same cluster ignores the GPU resource: (75+75)/2 = 75 everywhere.
        _ = f.schedule(pod("c", cpu: 2000, memory: 4 * gi))
        #expect(f.score("NodeResourcesFit", "cpu-only") == 75)
    }
}
