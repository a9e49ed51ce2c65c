import KFCluster

/// Filters by `nodeSelector` and required node affinity; scores by the summed weights of matching
/// preferred terms (normalised by the maximum). A profile's `addedAffinity` (NodeAffinityArgs) applies
/// to every pod as well: its required terms must match too, its preferred terms add to the pod's.
public final class NodeAffinityPlugin: FilterPlugin, ScorePlugin {
    public let name = "NodeAffinity"
    /// The profile's added affinity (nil: none).
    public let addedAffinity: NodeAffinity?
    /// The plugin.
    public init(addedAffinity: NodeAffinity? = nil) {
        self.addedAffinity = addedAffinity.flatMap { $0.required == nil && $0.preferred.isEmpty ? nil : $0 }
    }

    public func passesAll(_ ctx: CycleContext) -> Bool { !ctx.hasNodeConstraints && addedAffinity?.required == nil }

    public func filter(_ ctx: CycleContext, node: Int32) -> String? {
        let n = ctx.cluster.nodes[Int(node)].spec
        if let added = addedAffinity?.required, !added.contains(where: { $0.matches(labels: n.labels, name: n.name) }) {
            return "node(s) didn't match scheduler-enforced node affinity"
        }
        guard ctx.hasNodeConstraints else { return nil }
        return NodeAffinityPlugin.matches(ctx.pod.spec, n) ? nil : "node(s) didn't match Pod's node affinity/selector"
    }

    /// Whether a node satisfies a pod's `nodeSelector` and required node affinity.
    public static func matches(_ spec: PodSpec, _ n: NodeSpec) -> Bool {
        for (key, value) in spec.nodeSelector where n.labels[key] != value { return false }
        if let required = spec.nodeAffinity?.required {
            return required.contains { $0.matches(labels: n.labels, name: n.name) }
        }
        return true
    }

    public func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64]) {
        guard ctx.hasPreferredNodeAffinity || !(addedAffinity?.preferred.isEmpty ?? true) else {
            scores.append(contentsOf: repeatElement(0, count: nodes.count))
            return
        }
        for node in nodes { scores.append(score(ctx, node: node)) }
    }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        let preferred = (ctx.hasPreferredNodeAffinity ? ctx.pod.spec.nodeAffinity?.preferred ?? [] : []) + (addedAffinity?.preferred ?? [])
        guard !preferred.isEmpty else { return 0 }
        let n = ctx.cluster.nodes[Int(node)].spec
        var sum: Int64 = 0
        for term in preferred where term.weight != 0 && term.preference.matches(labels: n.labels, name: n.name) {
            sum += term.weight
        }
        return sum
    }

    public func normalize(_ ctx: CycleContext, scores: inout [Int64]) {
        defaultNormalizeScore(&scores, reverse: false)
    }

    /// No preferred term: every node scores 0.
    public func isConstant(_ ctx: CycleContext) -> Bool {
        !(ctx.hasPreferredNodeAffinity || !(addedAffinity?.preferred.isEmpty ?? true))
    }
}
