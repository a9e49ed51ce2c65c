import Foundation
import KFCluster

/// Topology spread: `DoNotSchedule` constraints filter, `ScheduleAnyway` constraints score. Pods with no
/// constraints of their own but an owner selector (ReplicaSet-like) get the system defaults: hostname
/// maxSkew 3 and zone maxSkew 5, both ScheduleAnyway.
public final class PodTopologySpread: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public let name = "PodTopologySpread"

    /// kube-scheduler's system default constraints (selector filled from the pod's owner).
    public static func systemDefaults(selector: LabelSelector) -> [TopologySpreadConstraint] {
        [TopologySpreadConstraint(maxSkew: 3, topologyKey: WellKnownLabels.hostname, whenUnsatisfiable: .scheduleAnyway, labelSelector: selector),
         TopologySpreadConstraint(maxSkew: 5, topologyKey: WellKnownLabels.zone, whenUnsatisfiable: .scheduleAnyway, labelSelector: selector)]
    }

    /// PreFilter's results: the hard constraints and the matching pods per topology value.
    final class FilterState {
        var hard: [TopologySpreadConstraint] = []
        var hardCounts: [[String: Int64]] = []
        var hardMin: [Int64] = []
        var selfMatch: [Bool] = []
    }

    /// PreScore's results: the soft constraints, counts, weights and the nodes left out.
    final class ScoreState {
        var soft: [TopologySpreadConstraint] = []
        var softCounts: [[String: Int64]] = []
        var softWeights: [Double] = []
        var requireAllTopologies = true
        var ignored = Set<Int32>()
    }

    /// The plugin.
    public init() {}

    static func countMatching(_ cluster: ClusterState, node: Node, selector: LabelSelector, namespace: Int32) -> Int64 {
        var count: Int64 = 0
        for id in node.pods {
            let p = cluster.pods[Int(id)]
            if p.namespaceIndex == namespace && selector.matches(p.spec.labels) { count += 1 }
        }
        return count
    }

    public func preFilter(_ ctx: CycleContext) -> String? {
        let spec = ctx.pod.spec
        let hard = spec.topologySpreadConstraints.filter { $0.whenUnsatisfiable == .doNotSchedule }
        guard !hard.isEmpty else { return nil }
        let cluster = ctx.cluster
        var hardCounts: [[String: Int64]] = Array(repeating: [:], count: hard.count)
        for node in cluster.nodes where !node.isDeleted {
            guard NodeAffinityPlugin.matches(spec, node.spec),
                  hard.allSatisfy({ node.spec.labels[$0.topologyKey] != nil }) else { continue }
            for (i, c) in hard.enumerated() {
                let value = node.spec.labels[c.topologyKey]!
                hardCounts[i][value, default: 0] += PodTopologySpread.countMatching(cluster, node: node, selector: c.labelSelector,
                                                                                      namespace: ctx.pod.namespaceIndex)
            }
        }
        let state = FilterState()
        state.hard = hard
        state.hardCounts = hardCounts
        state.hardMin = hardCounts.map { $0.values.min() ?? 0 }
        state.selfMatch = hard.map { $0.labelSelector.matches(spec.labels) }
        ctx.state.write(state)
        return nil
    }

    public func passesAll(_ ctx: CycleContext) -> Bool { ctx.state.read(FilterState.self) == nil }

    public func filter(_ ctx: CycleContext, node: Int32) -> String? {
        guard let state = ctx.state.read(FilterState.self) else { return nil }
        let (hard, hardCounts, hardMin, selfMatch) = (state.hard, state.hardCounts, state.hardMin, state.selfMatch)
        let labels = ctx.cluster.nodes[Int(node)].spec.labels
        for (i, c) in hard.enumerated() {
            guard let value = labels[c.topologyKey] else {
                return "node(s) didn't match pod topology spread constraints (missing required label)"
            }
            let matchNum = hardCounts[i][value, default: 0] + (selfMatch[i] ? 1 : 0)
            if matchNum - hardMin[i] > c.maxSkew { return "node(s) didn't match pod topology spread constraints" }
        }
        return nil
    }

    public func preScore(_ ctx: CycleContext) {
        // Without soft constraints nothing is written: every reader takes no state as none.
        guard !ctx.pod.spec.topologySpreadConstraints.isEmpty || ctx.pod.spec.ownerSelector != nil else { return }
        let state = ScoreState()
        ctx.state.write(state)
        let spec = ctx.pod.spec
        let explicit = spec.topologySpreadConstraints.filter { $0.whenUnsatisfiable == .scheduleAnyway }
        let soft: [TopologySpreadConstraint]
        let requireAllTopologies: Bool
        if !spec.topologySpreadConstraints.isEmpty {
            soft = explicit
            requireAllTopologies = true
        } else if let selector = spec.ownerSelector {
            soft = PodTopologySpread.systemDefaults(selector: selector)
            requireAllTopologies = false
        } else {
            return
        }
        guard !soft.isEmpty else { return }
        state.soft = soft
        state.requireAllTopologies = requireAllTopologies
        var ignored = Set<Int32>()
        let cluster = ctx.cluster
        var softCounts: [[String: Int64]] = Array(repeating: [:], count: soft.count)
        var sizes = Array(repeating: 0, count: soft.count)
        for n in ctx.feasible {
            let labels = cluster.nodes[Int(n)].spec.labels
            if requireAllTopologies && !soft.allSatisfy({ labels[$0.topologyKey] != nil }) {
                ignored.insert(n)
                continue
            }
            for (i, c) in soft.enumerated() where c.topologyKey != WellKnownLabels.hostname {
                // A node without the key contributes the empty value, as in kube-scheduler.
                let value = labels[c.topologyKey] ?? ""
                if softCounts[i][value] == nil {
                    softCounts[i][value] = 0
                    sizes[i] += 1
                }
            }
        }
        if soft.contains(where: { $0.topologyKey != WellKnownLabels.hostname }) {
            for node in cluster.nodes where !node.isDeleted {
                guard NodeAffinityPlugin.matches(spec, node.spec),
                      soft.allSatisfy({ node.spec.labels[$0.topologyKey] != nil }) else { continue }
                for (i, c) in soft.enumerated() where c.topologyKey != WellKnownLabels.hostname {
                    let value = node.spec.labels[c.topologyKey]!
                    guard softCounts[i][value] != nil else { continue }
                    softCounts[i][value]! += PodTopologySpread.countMatching(cluster, node: node, selector: c.labelSelector,
                                                                             namespace: ctx.pod.namespaceIndex)
                }
            }
        }
        state.softWeights = soft.enumerated().map { i, c in
            let size = c.topologyKey == WellKnownLabels.hostname ? ctx.feasible.count - ignored.count : sizes[i]
            return log(Double(size + 2))
        }
        state.softCounts = softCounts
        state.ignored = ignored
    }

    /// No soft constraint for this pod (PreScore found none): every node scores 0.
    public func isConstant(_ ctx: CycleContext) -> Bool { ctx.state.read(ScoreState.self)?.soft.isEmpty ?? true }

    public func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64]) {
        guard let state = ctx.state.read(ScoreState.self), !state.soft.isEmpty else {
            scores.append(contentsOf: repeatElement(0, count: nodes.count))
            return
        }
        for node in nodes { scores.append(score(ctx, node: node)) }
    }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        guard let state = ctx.state.read(ScoreState.self), !state.soft.isEmpty, !state.ignored.contains(node) else { return 0 }
        let (soft, softCounts, softWeights) = (state.soft, state.softCounts, state.softWeights)
        let n = ctx.cluster.nodes[Int(node)]
        var score = 0.0
        for (i, c) in soft.enumerated() {
            guard let value = n.spec.labels[c.topologyKey] else { continue }
            let count: Int64
            if c.topologyKey == WellKnownLabels.hostname {
                count = PodTopologySpread.countMatching(ctx.cluster, node: n, selector: c.labelSelector, namespace: ctx.pod.namespaceIndex)
            } else {
                count = softCounts[i][value, default: 0]
            }
            score += Double(count) * softWeights[i] + Double(c.maxSkew - 1)
        }
        return Int64(score.rounded())
    }

    public func normalize(_ ctx: CycleContext, scores: inout [Int64]) {
        guard let state = ctx.state.read(ScoreState.self), !state.soft.isEmpty else { return }
        let ignored = state.ignored
        var lo = Int64.max, hi: Int64 = 0
        for (k, n) in ctx.feasible.enumerated() where !ignored.contains(n) {
            lo = min(lo, scores[k])
            hi = max(hi, scores[k])
        }
        for (k, n) in ctx.feasible.enumerated() {
            if ignored.contains(n) { scores[k] = 0; continue }
            scores[k] = hi == 0 ? maxNodeScore : maxNodeScore * (hi + lo - scores[k]) / hi
        }
    }
}
