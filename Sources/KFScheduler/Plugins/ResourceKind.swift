import KFCluster

/// A resource the resource plugins score, resolved from its name once, not per node.
public enum ResourceKind: String, Sendable, CaseIterable {
    case cpu
    case memory
    case gpu = "nvidia.com/gpu"

    /// Whether `name` is a resource kfsim does not model (an extended resource such as
    /// `intel.com/foo`, `ephemeral-storage`, `pods`, hugepages): no node has any, and upstream's
    /// resource scorers skip a resource with no allocatable, so a weight on it changes no score.
    public static func isUnmodelled(_ name: String) -> Bool {
        guard ResourceKind(rawValue: name) == nil, !name.isEmpty else { return false }
        return name.contains("/") || name == "ephemeral-storage" || name == "pods" || name.hasPrefix("hugepages-")
    }

    /// The component of `r`.
    @inlinable
    public func of(_ r: Resources) -> Int64 {
        switch self {
        case .cpu: return r.cpu
        case .memory: return r.memory
        case .gpu: return r.gpu
        }
    }
}
