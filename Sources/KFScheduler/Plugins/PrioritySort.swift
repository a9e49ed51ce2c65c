import KFCluster

/// Queue sort: higher priority first, then earlier creation.
public final class PrioritySort: QueueSortPlugin {
    public let name = "PrioritySort"
    /// The plugin.
    public init() {}
    public func sortKey(_ pod: Pod, in cluster: ClusterState) -> QueueSortKey {
        QueueSortKey(primary: -Int64(pod.spec.priority), secondary: pod.createdAt)
    }
}
