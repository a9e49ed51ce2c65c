/// A change of the cluster that the scheduler's queueing hints and controllers react to
/// (kube-scheduler's `ClusterEvent`: a resource and an action).
public enum ClusterEvent: Equatable, Sendable {
    /// A node joined.
    case nodeAdd(Int32)
    /// A node was deleted (its pods were deleted first).
    case nodeDelete(Int32)
    /// A node changed.
    case nodeUpdate(Int32, NodeChange)
    /// A pod was admitted (pending).
    case podAdd(PodID)
    /// A pod changed.
    case podUpdate(PodID, PodChange)
    /// A pod ended or was deleted; `node` is the node it released (-1: it was never bound).
    case podDelete(PodID, node: Int32)
}

/// What changed on a node.
public struct NodeChange: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Allocatable resources.
    public static let allocatable = NodeChange(rawValue: 1)
    /// Labels.
    public static let labels = NodeChange(rawValue: 2)
    /// Taints.
    public static let taints = NodeChange(rawValue: 4)
    /// `spec.unschedulable` (cordon, uncordon).
    public static let schedulable = NodeChange(rawValue: 8)
}

/// What changed on a pod.
public enum PodChange: Equatable, Sendable {
    /// Bound to a node (the scheduler's assumption; an assigned pod was added there).
    case bound(node: Int32)
    /// Unbound from `node` again (a Permit wait ended without binding).
    case unbound(node: Int32)
    /// Its containers started.
    case started
}
