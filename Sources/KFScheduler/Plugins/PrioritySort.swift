import KFCluster
import KFEngine

/// Queue sort: higher priority first, then the earlier queue timestamp (when the pod was added, reset at
/// each failed attempt), as kube-scheduler's `PrioritySort.Less`.
public final class PrioritySort: QueueSortPlugin {
    public let name = "PrioritySort"
    /// The plugin.
    public init() {}
    public func sortKey(_ pod: PodID, timestamp: SimTime, in cluster: ClusterState) -> QueueSortKey {
        QueueSortKey(primary: -Int64(cluster.pods[Int(pod)].spec.priority), secondary: timestamp)
    }
}
