/// The numbers the scheduler reads for every node it examines, kept apart from `Node` in a trivially
/// copyable struct so that the hot path touches no reference counts.
public struct NodeUsage: Sendable, Hashable {
    /// Allocatable resources.
    public var allocatable: Resources
    /// Sum of requests of pods bound to the node (not terminated).
    public var requested: Resources = .zero
    /// The same with scoring defaults for containers without requests (100m CPU, 200 MiB).
    public var scoringRequested: Resources = .zero
    /// Pods bound (not terminated).
    public var podCount: Int64 = 0
    /// Pod slots.
    public var maxPods: Int64
    /// Cordoned.
    public var unschedulable: Bool
    /// Whether the node has any taint.
    public var hasTaints: Bool

    /// The usage of an empty node.
    public init(_ spec: NodeSpec) {
        allocatable = spec.allocatable
        maxPods = spec.maxPods
        unschedulable = spec.unschedulable
        hasTaints = !spec.taints.isEmpty
    }

    /// Free resources.
    @inlinable public var free: Resources { allocatable - requested }

    /// Whether a pod with `requests` fits (resources and a pod slot).
    @inlinable public func fits(_ requests: Resources) -> Bool {
        podCount < maxPods && requests.fits(in: free)
    }
}
