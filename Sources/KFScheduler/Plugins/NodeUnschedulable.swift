import KFCluster

/// Filters out cordoned nodes unless the pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`.
public final class NodeUnschedulable: FilterPlugin {
    public let name = "NodeUnschedulable"
    static let taint = Taint(key: "node.kubernetes.io/unschedulable", effect: .noSchedule)
    /// The plugin.
    public init() {}
    public func filterAll(_ ctx: CycleContext, nodes: ArraySlice<Int32>, rejections: inout [String?]) -> Int {
        filterAll(ctx, nodes: nodes, rejections: &rejections) { $0.unschedulable }
    }

    public func filter(_ ctx: CycleContext, node: Int32) -> String? {
        guard ctx.cluster.usage[Int(node)].unschedulable else { return nil }
        return ctx.pod.spec.tolerations.tolerate(NodeUnschedulable.taint) ? nil : "node(s) were unschedulable"
    }
}
