import Foundation
import KFCluster
import KFControlPlane
import KFEngine

/// The Cluster Autoscaler's settings (flags of kubernetes/autoscaler cluster-autoscaler, defaults as in
/// its config/flags.go) and the node groups' provisioning delay and price.
public struct ClusterAutoscalerSpec: Sendable {
    /// How the scale-up option is chosen (`--expander`).
    public enum Expander: String, Sendable, CaseIterable {
        case leastWaste = "least-waste", random, priority
    }
    public var scanInterval: Double = 10
    public var expander: Expander = .leastWaste
    /// The priority expander's table: priority -> node-group name patterns (regular expressions).
    public var priorities: [(priority: Int, patterns: [String])] = []
    public var scaleDownEnabled = true
    public var utilizationThreshold = 0.5
    public var unneededTime: Double = 600
    public var delayAfterAdd: Double = 600
    public var delayAfterDelete: Double = 0
    public var maxNodesTotal = 0
    /// Seconds from a node's taint to its pods' eviction (`--node-delete-delay-after-taint`).
    public var deleteDelayAfterTaint: Double = 5
    /// Per node group: seconds from the request to the node joining, price per node-hour, and the
    /// probability that a requested node never joins.
    public var provisioning: [String: Distribution] = [:]
    public var costPerHour: [String: Double] = [:]
    public var provisioningFailure: [String: Double] = [:]
    /// Seconds after which a node that has not joined is given up and its group backed off
    /// (`--max-node-provision-time`; backoff 5 min doubling to 30 min).
    public var maxNodeProvisionTime: Double = 900
    /// PodDisruptionBudgets (policy/v1) a drain must respect.
    public var budgets: [DisruptionBudget] = []
    /// Defaults.
    public init() {}
}

/// A PodDisruptionBudget: pods of `namespace` matching `selector`, at least `minAvailable` or at most
/// `maxUnavailable` of them disrupted (a count, or a percentage of the matching pods rounded up).
public struct DisruptionBudget: Sendable {
    public enum Amount: Sendable, Equatable { case count(Int), percent(Int) }
    public var name: String
    public var namespace: String
    public var selector: LabelSelector
    public var minAvailable: Amount?
    public var maxUnavailable: Amount?
    public init(name: String, namespace: String, selector: LabelSelector, minAvailable: Amount?, maxUnavailable: Amount?) {
        self.name = name
        self.namespace = namespace
        self.selector = selector
        self.minAvailable = minAvailable
        self.maxUnavailable = maxUnavailable
    }

    /// Evictions it allows now: running matching pods above the desired healthy count.
    func disruptionsAllowed(_ cluster: ClusterState) -> Int {
        let matching = cluster.pods.filter { $0.spec.namespace == namespace && !$0.phase.isTerminal && selector.matches($0.spec.labels) }
        let expected = matching.count, healthy = matching.filter { $0.phase == .running }.count
        func scaled(_ a: Amount) -> Int {
            switch a {
            case .count(let n): return n
            case .percent(let p): return (p * expected + 99) / 100
            }
        }
        let desired = minAvailable.map(scaled) ?? maxUnavailable.map { expected - scaled($0) } ?? 0
        return max(0, healthy - desired)
    }
}

/// The Cluster Autoscaler (kubernetes/autoscaler, core/static_autoscaler.go RunOnce), every scan
/// interval: pods the scheduler found unschedulable and that fit neither an existing node nor a node
/// already on its way make a scale-up (a first-fit-decreasing binpacking of them onto each group's
/// template, the expander's choice, the nodes joining after the group's provisioning delay); without
/// one, nodes whose requested share stays under the threshold for the unneeded time and whose pods fit
/// on other nodes are tainted, drained and deleted. Its timers are passive: it never keeps a run alive.
public final class ClusterAutoscaler: SystemController {
    public let name = "cluster-autoscaler"
    public let spec: ClusterAutoscalerSpec
    enum Timer { case loop, join(String), delete(Int32), giveUp(String) }
    /// Groups backed off after a node failed to join: until when, and the next backoff.
    var backoffUntil: [String: SimTime] = [:], backoffNext: [String: Double] = [:]
    var timers = ControllerTimers<Timer>()
    var stream: RandomStream!
    /// Nodes requested and not yet joined, per group.
    var upcoming: [String: Int] = [:]
    /// Since when each node has been unneeded; nodes being deleted.
    var unneededSince: [Int32: SimTime] = [:]
    var deleting: Set<Int32> = []
    var lastScaleUp: SimTime = -3_600_000_000, lastScaleDown: SimTime = -3_600_000_000
    /// When each node joined and left (-1: still there), for node-hours.
    public private(set) var lifetimes: [(node: String, group: String?, from: SimTime, to: SimTime)] = []
    var lifetimeOf: [Int32: Int] = [:]
    /// Scale-ups (group, nodes) and scale-downs (node), with their times.
    public internal(set) var scaleUps: [(time: SimTime, group: String, nodes: Int)] = []
    public internal(set) var scaleDowns: [(time: SimTime, node: String)] = []
    /// Requested nodes that never joined.
    public internal(set) var failedProvisions = 0

    /// A Cluster Autoscaler.
    public init(spec: ClusterAutoscalerSpec) {
        self.spec = spec
    }

    public func start(in sim: ControllerContext) {
        timers.owner = sim.index(of: self)
        stream = sim.streams.stream("cluster-autoscaler")
        for n in sim.cluster.liveNodes { noteJoined(n, sim) }
        sim.service(ClusterAutoscalerRecords.self) { ClusterAutoscalerRecords() }.autoscaler = self
        timers.set(.loop, at: Clock.micros(seconds: spec.scanInterval), passive: true, in: sim)
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        switch timers.fired(timer) {
        case .loop?:
            runOnce(sim)
            timers.set(.loop, at: sim.now + Clock.micros(seconds: spec.scanInterval), passive: true, in: sim)
        case .join(let group)?:
            upcoming[group, default: 0] -= 1
            if let n = sim.addNode(toGroup: group) { noteJoined(n, sim) }
        case .giveUp(let group)?:
            // The node never joined: give it up and back the group off.
            upcoming[group, default: 0] -= 1
            let wait = backoffNext[group] ?? 300
            backoffUntil[group] = sim.now + Clock.micros(seconds: wait)
            backoffNext[group] = min(wait * 2, 1800)
            failedProvisions += 1
        case .delete(let node)?:
            // The taint's delay has passed: evict what runs there, then the node goes.
            for pod in sim.cluster.nodes[Int(node)].pods where !sim.cluster.pods[Int(pod)].phase.isTerminal {
                sim.evictPod(pod, reason: "Evicted: node \(sim.cluster.nodes[Int(node)].spec.name) removed by the cluster autoscaler")
            }
            if let k = lifetimeOf[node] { lifetimes[k].to = sim.now }
            sim.deleteNode(node)
            deleting.remove(node)
        default:
            break
        }
    }

    func noteJoined(_ node: Int32, _ sim: ControllerContext) {
        let spec = sim.cluster.nodes[Int(node)].spec
        lifetimeOf[node] = lifetimes.count
        lifetimes.append((spec.name, spec.nodeGroup, sim.now, -1))
    }

    /// One loop: scale up for pods that need it, else consider scaling down.
    func runOnce(_ sim: ControllerContext) {
        let pending = unschedulablePods(sim)
        // Pods seen unschedulable for less than 2 s: wait (and no scale-down this loop).
        if let oldest = pending.map({ sim.cluster.pods[Int($0)].createdAt }).min(), sim.now - oldest < 2_000_000 { return }
        let needing = podsNeedingNodes(pending, sim)
        if !needing.isEmpty, scaleUp(needing, sim) {
            lastScaleUp = sim.now
            return
        }
        if spec.scaleDownEnabled { scaleDown(sim) }
    }

    /// Pending pods the scheduler has tried and failed (not waiting at Permit, not nominated).
    func unschedulablePods(_ sim: ControllerContext) -> [PodID] {
        sim.cluster.pods.indices.compactMap { i in
            let p = sim.cluster.pods[i]
            guard p.phase == .pending, p.node < 0, p.attempts > 0, !p.permitWaiting, p.scheduling.nominatedNode < 0 else { return nil }
            return PodID(i)
        }
    }

    /// The pods that fit neither an existing node (room freed since the scheduler tried) nor a node on
    /// its way (upcoming nodes as empty copies of their group's template), highest priority first.
    func podsNeedingNodes(_ pending: [PodID], _ sim: ControllerContext) -> [PodID] {
        let c = sim.cluster
        var extra: [Int32: Resources] = [:], extraPods: [Int32: Int64] = [:]
        var bins: [(group: String, free: Resources, slots: Int64)] = []
        for (group, count) in upcoming.sorted(by: { $0.key < $1.key }) where count > 0 {
            guard let t = c.nodeGroups[group]?.template else { continue }
            bins += Array(repeating: (group, t.allocatable, t.maxPods), count: count)
        }
        var out: [PodID] = []
        let ordered = pending.sorted { (c.pods[Int($0)].spec.priority, -$0) > (c.pods[Int($1)].spec.priority, -$1) }
        for id in ordered {
            let req = c.pods[Int(id)].resources.requests
            var placed = false
            for n in c.liveNodes where !deleting.contains(n) && !c.usage[Int(n)].unschedulable {
                let u = c.usage[Int(n)]
                let free = u.free - (extra[n] ?? .zero)
                guard u.podCount + (extraPods[n] ?? 0) < u.maxPods, req.fits(in: free), sim.passesFilters(id, onNode: n) else { continue }
                extra[n, default: .zero] = (extra[n] ?? .zero) + req
                extraPods[n, default: 0] += 1
                placed = true
                break
            }
            if !placed {
                for b in bins.indices where bins[b].slots > 0 && req.fits(in: bins[b].free) {
                    guard let t = c.nodeGroups[bins[b].group]?.template, sim.fitsNewNode(id, like: t) else { continue }
                    bins[b].free = bins[b].free - req
                    bins[b].slots -= 1
                    placed = true
                    break
                }
            }
            if !placed { out.append(id) }
        }
        return out
    }
}

/// The run's Cluster Autoscaler (a service its reporter reads).
public final class ClusterAutoscalerRecords {
    public internal(set) weak var autoscaler: ClusterAutoscaler?
    init() {}
}
