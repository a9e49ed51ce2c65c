import KFEngine

/// A PodGroup object (scheduler-plugins' `scheduling.x-k8s.io` PodGroup): a gang of pods, named by the
/// pod label `scheduling.x-k8s.io/pod-group`, that Coscheduling schedules all-or-nothing. The cluster
/// stores the objects; what the scheduler counts of them lives in the scheduler's plugin.
public struct PodGroup: Sendable, Equatable {
    /// The label naming a pod's PodGroup.
    public static let label = "scheduling.x-k8s.io/pod-group"
    /// `namespace/name`.
    public var key: String
    /// Fewest members that may run.
    public var minMember: Int
    /// Creation time.
    public var createdAt: SimTime
    /// Creation order among the run's PodGroups.
    public var index: Int64

    /// The PodGroup key of a pod, if it belongs to one.
    public static func key(of spec: PodSpec) -> String? {
        spec.labels[label].map { "\(spec.namespace)/\($0)" }
    }
}

extension ClusterState {
    /// Creates the PodGroup `namespace/name` (or updates its `minMember`; it keeps its creation time).
    public func createPodGroup(namespace: String, name: String, minMember: Int, now: SimTime) {
        let key = "\(namespace)/\(name)"
        if var existing = podGroups[key] {
            existing.minMember = minMember
            podGroups[key] = existing
        } else {
            podGroups[key] = PodGroup(key: key, minMember: minMember, createdAt: now, index: Int64(podGroups.count))
        }
    }
}
