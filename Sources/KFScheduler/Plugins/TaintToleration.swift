import KFCluster

/// Filters nodes with untolerated NoSchedule/NoExecute taints; scores by the number of untolerated
/// PreferNoSchedule taints (fewer is better, reverse-normalised).
public final class TaintToleration: FilterPlugin, ScorePlugin {
    public let name = "TaintToleration"
    /// The plugin.
    public init() {}

    public func filterAll(_ ctx: CycleContext, nodes: ArraySlice<Int32>, rejections: inout [String?]) -> Int {
        filterAll(ctx, nodes: nodes, rejections: &rejections) { $0.hasTaints }
    }

    public func filter(_ ctx: CycleContext, node: Int32) -> String? {
        guard ctx.cluster.usage[Int(node)].hasTaints else { return nil }
        let taints = ctx.cluster.nodes[Int(node)].spec.taints
        if taints.isEmpty { return nil }
        for taint in taints where taint.effect != .preferNoSchedule {
            if !ctx.pod.spec.tolerations.tolerate(taint) { return "node(s) had untolerated taint" }
        }
        return nil
    }

    public func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64]) {
        let usage = ctx.cluster.usage
        for node in nodes { scores.append(usage[Int(node)].hasTaints ? score(ctx, node: node) : 0) }
    }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        guard ctx.cluster.usage[Int(node)].hasTaints else { return 0 }
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

    /// No feasible node has a taint: every raw score is 0, every normalised one 100.
    public func isConstant(_ ctx: CycleContext) -> Bool {
        if ctx.cluster.taintedNodes == 0 { return true }
        let usage = ctx.cluster.usage
        for node in ctx.feasible where usage[Int(node)].hasTaints { return false }
        return true
    }
}
