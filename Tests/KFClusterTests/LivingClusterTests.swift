import Testing
@testable import KFCluster

@Suite struct LivingClusterTests {
    let gi: Int64 = 1 << 30

    func cluster(groups: [NodeGroup] = []) -> (ClusterState, Recorder) {
        let c = ClusterState(nodes: [NodeSpec(name: "a", allocatable: Resources(cpu: 4000, memory: 8 * gi))],
                             namespaces: [NamespaceSpec(name: "default")], imageSizes: ["img": 1 << 30], nodeGroups: groups)
        let r = Recorder()
        c.subscribe { r.events.append($0) }
        return (c, r)
    }

    final class Recorder { var events: [ClusterEvent] = [] }

    func pod(_ name: String, cpu: Int64) -> PodSpec {
        PodSpec(name: name, containers: [ContainerSpec(requests: OptionalResources(cpu: cpu))], work: .forever)
    }

    @Test func addedNodesJoinCapacityLiveNodesAndTheNetwork() {
        let (c, r) = cluster()
        let b = c.addNode(NodeSpec(name: "b", allocatable: Resources(cpu: 2000, memory: gi), nicBandwidth: 8e9, images: ["img"]))
        #expect(b == 1 && c.liveNodes == [0, 1])
        #expect(c.capacity == Resources(cpu: 6000, memory: 9 * gi))
        #expect(c.imageNodeCount[c.imageIDs["img"]!] == 1 && c.nodeHasImage(b, id: c.imageIDs["img"]!))
        #expect(c.network.capacities[Int(c.network.egress(of: b))] == 1e9)
        #expect(r.events == [.nodeAdd(1)])
    }

    @Test func cordonDeleteAndEventsInOrder() {
        let (c, r) = cluster()
        let b = c.addNode(NodeSpec(name: "b", allocatable: Resources(cpu: 2000, memory: gi), images: ["img"]))
        c.setUnschedulable(b, true)
        c.setUnschedulable(b, true)  // no change, no event
        #expect(c.usage[Int(b)].unschedulable && c.nodes[Int(b)].spec.unschedulable)
        guard case .success(let p) = c.create(pod("p", cpu: 500), owner: OwnerRef(controller: -1, job: -1), now: 0) else {
            Issue.record("refused")
            return
        }
        c.bind(p, to: b, now: 1)
        c.finish(p, now: 2, termination: .evicted, reason: "drained")
        #expect(c.pods[Int(p)].phase == .failed && c.pods[Int(p)].status.termination == .evicted)
        c.deleteNode(b)
        #expect(c.liveNodes == [0] && c.nodes[Int(b)].isDeleted)
        #expect(c.capacity == Resources(cpu: 4000, memory: 8 * gi))
        #expect(c.imageNodeCount[c.imageIDs["img"]!] == 0)
        #expect(!c.usage[Int(b)].fits(Resources(cpu: 1, memory: 0)))
        #expect(r.events == [.nodeAdd(1), .nodeUpdate(1, .schedulable), .podAdd(p), .podUpdate(p, .bound(node: 1)),
                             .podDelete(p, node: 1), .nodeDelete(1)])
    }

    @Test func nodeGroupsGrowFromTheirTemplateUpToTheirMaximum() {
        let template = NodeSpec(name: "t", allocatable: Resources(cpu: 8000, memory: 16 * gi), labels: ["pool": "gpu"])
        let (c, _) = cluster(groups: [NodeGroup(name: "g", template: template, maxSize: 2)])
        let first = c.addNode(toGroup: "g"), second = c.addNode(toGroup: "g")
        #expect(first == 1 && second == 2 && c.addNode(toGroup: "g") == nil)
        #expect(c.nodes[1].spec.name == "g-0" && c.nodes[2].spec.name == "g-1")
        #expect(c.nodes[2].spec.labels["pool"] == "gpu" && c.nodes[2].spec.labels[WellKnownLabels.hostname] == "g-1")
        #expect(c.nodes(inGroup: "g") == [1, 2] && c.addNode(toGroup: "nope") == nil)
    }

    @Test func aHypotheticalNodeLeavesNoTrace() {
        let (c, r) = cluster()
        let before = (c.nodes.count, c.capacity, c.network.capacities.count, c.liveNodes)
        let seen = c.withHypotheticalNode(NodeSpec(name: "h", allocatable: Resources(cpu: 1000, memory: gi), images: ["img"])) { n in
            (n, c.usage[Int(n)].allocatable.cpu, c.liveNodes.contains(n))
        }
        #expect(seen.0 == 1 && seen.1 == 1000 && !seen.2)
        #expect(before.0 == c.nodes.count && before.1 == c.capacity && before.2 == c.network.capacities.count && before.3 == c.liveNodes)
        #expect(c.imageNodeCount[c.imageIDs["img"]!] == 0 && r.events.isEmpty)
    }

    @Test func storageLinksShareMaxMinFairlyWithNICs() {
        let (c, _) = cluster()
        let b = c.addNode(NodeSpec(name: "b", allocatable: Resources(cpu: 1000, memory: gi), nicBandwidth: 8e9))
        let storage = c.network.addLink(name: "minio", bytesPerSecond: 0.3e9)
        let net = c.network
        // Two reads from storage to a (bottleneck: the storage link, 0.15 each); one transfer a -> b takes
        // the rest of a's... a's ingress (1.25 GB/s) is not the limit: b's ingress at 1 GB/s is.
        let rates = net.rates([.init(storage, net.ingress(of: 0)), .init(storage, net.ingress(of: 0)), net.flow(from: 0, to: b)])
        #expect(abs(rates[0] - 0.15e9) < 1 && abs(rates[1] - 0.15e9) < 1 && abs(rates[2] - 1e9) < 1)
    }
}
