import KFCluster

/// Filters nodes with untolerated NoSchedule/NoExecute taints; scores by the number of untolerated
/// PreferNoSchedule taints (fewer is better, reverse-normalised).
public final class TaintToleration: FilterPlugin, ScorePlugin {
    public let name = "TaintToleration"
    /// The plugin.
    public init() {}

    public func filter(_ ctx: CycleContext, node: Int32) -> String? {
        let taints = ctx.cluster.nodes[Int(node)].spec.taints
        if taints.isEmpty { return nil }
        for taint in taints where taint.effect != .preferNoSchedule {
            if !ctx.pod.spec.tolerations.tolerate(taint) { return "node(s) had untolerated taint" }
        }
        return nil
    }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        let taints = ctx.cluster.nodes[Int(node)].spec.taints
        var count: Int64 = 0
        // Only tolerations with an empty effect or PreferNoSchedule count, as in Kubernetes.
        let tolerations = ctx.pod.spec.tolerations.filter { $0.effect == nil || $0.effect == .preferNoSchedule }
        for taint in taints where taint.effect == .preferNoSchedule && !tolerations.tolerate(taint) { count += 1 }
        return count
    }

    public func normalize(_ ctx: CycleContext, scores: inout [Int64]) {
        defaultNormalizeScore(&scores, reverse: true)
    }
}
