import KFCluster
import KFEngine

/// kube-scheduler's DefaultPreemption (PostFilter): when a pod fits nowhere, find nodes where evicting
/// lower-priority pods makes room, pick one, evict the fewest and least important victims there and
/// nominate the pod to it.
///
/// As upstream (`pkg/scheduler/framework/preemption`, `defaultpreemption`):
/// - a pod with `preemptionPolicy: Never` never preempts;
/// - only nodes rejected as resolvable are candidates (not by NodeUnschedulable, TaintToleration,
///   NodeAffinity, a missing topology label, unmet pod affinity, or requests above the node's
///   allocatable), examined from a random offset until `max(10%, 100)` candidates are found;
/// - on a node, every lower-priority pod is removed; if the pod then fits, victims are reprieved one by
///   one, most important first (higher priority, then earlier start), while the pod still fits;
/// - the node is chosen by fewest PDB violations (kfsim has no PodDisruptionBudgets: none), lowest
///   highest victim priority, lowest sum of victim priorities (each + 2^31), fewest victims, latest
///   earliest start among the highest-priority victims, then the first candidate.
/// Victims are evicted at once (no graceful termination period).
public final class DefaultPreemption: PostFilterPlugin {
    public let name = "DefaultPreemption"
    /// `minCandidateNodesPercentage` (default 10).
    public let minCandidateNodesPercentage: Int64
    /// `minCandidateNodesAbsolute` (default 100).
    public let minCandidateNodesAbsolute: Int64

    /// The plugin.
    public init(minCandidateNodesPercentage: Int64 = 10, minCandidateNodesAbsolute: Int64 = 100) {
        self.minCandidateNodesPercentage = minCandidateNodesPercentage
        self.minCandidateNodesAbsolute = minCandidateNodesAbsolute
    }

    /// Builds the plugin from `args` (`minCandidateNodesPercentage`, `minCandidateNodesAbsolute`).
    public convenience init(args: PluginArgs) throws(PluginArgsError) {
        try args.requireKeys(["minCandidateNodesPercentage", "minCandidateNodesAbsolute"], at: "")
        let pct = try args["minCandidateNodesPercentage"]?.int(at: "minCandidateNodesPercentage") ?? 10
        let abs = try args["minCandidateNodesAbsolute"]?.int(at: "minCandidateNodesAbsolute") ?? 100
        guard (0...100).contains(pct) else {
            throw PluginArgsError(path: "minCandidateNodesPercentage", message: "must be in 0...100, got \(pct)")
        }
        guard abs >= 0, pct > 0 || abs > 0 else {
            throw PluginArgsError(path: "minCandidateNodesAbsolute", message: "must be at least 0, and positive when the percentage is 0")
        }
        self.init(minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs)
    }

    /// `calculateNumCandidates`.
    public func numCandidates(potentialNodes n: Int) -> Int {
        var count = Int64(n) * minCandidateNodesPercentage / 100
        if count < minCandidateNodesAbsolute { count = minCandidateNodesAbsolute }
        return Int(min(count, Int64(n)))
    }

    public func postFilter(_ ctx: CycleContext) -> PostFilterResult? {
        guard ctx.pod.spec.preemptionPolicy != .never, let framework = ctx.framework,
              ctx.cluster.hasBoundPod(withPriorityBelow: ctx.pod.spec.priority) else { return nil }
        let potential = ctx.rejectedNodes.filter { isResolvable($0, ctx) }.map(\.node)
        guard !potential.isEmpty else { return nil }
        let wanted = numCandidates(potentialNodes: potential.count)
        let offset = framework.randomInt(below: potential.count)
        var candidates: [(node: Int32, victims: [PodID])] = []
        for i in 0..<potential.count {
            let node = potential[(offset + i) % potential.count]
            if let victims = selectVictims(on: node, ctx, framework) { candidates.append((node, victims)) }
            if candidates.count >= wanted { break }
        }
        guard let best = Self.pick(candidates, ctx) else { return nil }
        return PostFilterResult(nominatedNode: best.node, victims: best.victims)
    }

    /// Whether the rejection of a node can be undone by evicting pods from it.
    func isResolvable(_ r: (node: Int32, plugin: String, reason: String), _ ctx: CycleContext) -> Bool {
        switch r.plugin {
        case "NodeUnschedulable", "TaintToleration", "NodeAffinity":
            return false
        case "NodeResourcesFit":
            let u = ctx.cluster.usage[Int(r.node)]
            return ctx.requests.fits(in: u.allocatable) && u.maxPods >= 1
        case "PodTopologySpread":
            return !r.reason.contains("missing required label")
        case "InterPodAffinity":
            return r.reason != "node(s) didn't match pod affinity rules"
        default:
            return true
        }
    }

    /// `SelectVictimsOnNode`: the fewest, least important lower-priority pods whose eviction lets the
    /// pod fit on `node` (most important first); nil when none would.
    func selectVictims(on node: Int32, _ ctx: CycleContext, _ framework: SchedulingFramework) -> [PodID]? {
        let cluster = ctx.cluster
        let priority = ctx.pod.spec.priority
        let lower = cluster.nodes[Int(node)].pods.filter { cluster.pods[Int($0)].spec.priority < priority }
        guard !lower.isEmpty else { return nil }
        return cluster.withDryRun(on: node) { () -> [PodID]? in
            for v in lower { cluster.dryRunRemove(v) }
            guard framework.passesFilters(ctx, node: node) else { return nil }
            var victims: [PodID] = []
            for v in lower.sorted(by: { Self.moreImportant($0, $1, ctx) }) {
                cluster.dryRunRestore(v)
                if !framework.passesFilters(ctx, node: node) {
                    cluster.dryRunRemove(v)
                    victims.append(v)
                }
            }
            return victims
        }
    }

    /// `MoreImportantPod`: higher priority, then the earlier start (a pod not started yet counts as
    /// starting now); then the lower pod id, for a total order.
    static func moreImportant(_ a: PodID, _ b: PodID, _ ctx: CycleContext) -> Bool {
        let pa = ctx.cluster.pods[Int(a)], pb = ctx.cluster.pods[Int(b)]
        if pa.spec.priority != pb.spec.priority { return pa.spec.priority > pb.spec.priority }
        let sa = pa.startedAt >= 0 ? pa.startedAt : ctx.now, sb = pb.startedAt >= 0 ? pb.startedAt : ctx.now
        if sa != sb { return sa < sb }
        return a < b
    }

    /// `pickOneNodeForPreemption` over candidates in the order they were found.
    static func pick(_ candidates: [(node: Int32, victims: [PodID])], _ ctx: CycleContext) -> (node: Int32, victims: [PodID])? {
        guard !candidates.isEmpty else { return nil }
        if let free = candidates.first(where: { $0.victims.isEmpty }) { return free }
        let pods = ctx.cluster.pods
        func priority(_ id: PodID) -> Int64 { Int64(pods[Int(id)].spec.priority) }
        let scores: [(Int32, [PodID]) -> Int64] = [
            { _, v in -priority(v[0]) },
            { _, v in -v.reduce(0) { $0 + priority($1) + Int64(Int32.max) + 1 } },
            { _, v in -Int64(v.count) },
            { _, v in
                let top = priority(v[0])
                return v.filter { priority($0) == top }.map { pods[Int($0)].startedAt >= 0 ? pods[Int($0)].startedAt : ctx.now }.min()!
            },
        ]
        var left = candidates
        for score in scores where left.count > 1 {
            let values = left.map { score($0.node, $0.victims) }
            let best = values.max()!
            left = zip(left, values).filter { $0.1 == best }.map(\.0)
        }
        return left[0]
    }
}
