import KFCluster

/// A resource the resource plugins score, resolved from its name once, not per node.
public enum ResourceKind: String, Sendable, CaseIterable {
    case cpu
    case memory
    case gpu = "nvidia.com/gpu"

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
