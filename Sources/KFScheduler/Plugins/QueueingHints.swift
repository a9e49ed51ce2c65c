import KFCluster

// The queueing hints of the in-tree plugins (kube-scheduler's `EventsToRegister` and hint functions
// with `SchedulerQueueingHints`, GA in 1.34). An event a plugin does not register is a skip.

extension NodeResourcesFit: EnqueueExtensions {
    public func queueingHint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint {
        NodeResourcesFit.hint(for: pod, after: event, in: cluster)
    }

    /// Pod/Delete of a scheduled (or nominated) pod; Node/Add and allocatable updates when the pod fits
    /// the node's allocatable. (Static: the queue calls it directly for pods only this plugin rejected.)
    static func hint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint {
        switch event {
        case .podDelete(let id, let node):
            return node >= 0 || cluster.pods[Int(id)].scheduling.nominatedNode >= 0 ? .queue : .skip
        case .podUpdate(_, .unbound):
            return .queue
        case .nodeAdd(let n):
            return cluster.pods[Int(pod)].resources.requests.fits(in: cluster.nodes[Int(n)].spec.allocatable) ? .queue : .skip
        case .nodeUpdate(let n, let change) where change.contains(.allocatable):
            return cluster.pods[Int(pod)].resources.requests.fits(in: cluster.nodes[Int(n)].spec.allocatable) ? .queue : .skip
        default:
            return .skip
        }
    }
}

extension NodeUnschedulable: EnqueueExtensions {
    /// Node/Add of a schedulable node; a node updated to schedulable.
    public func queueingHint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint {
        switch event {
        case .nodeAdd(let n), .nodeUpdate(let n, .schedulable):
            return cluster.nodes[Int(n)].spec.unschedulable ? .skip : .queue
        default:
            return .skip
        }
    }
}

extension TaintToleration: EnqueueExtensions {
    /// Node/Add or a taint update leaving the node with no untolerated NoSchedule/NoExecute taint.
    public func queueingHint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint {
        switch event {
        case .nodeAdd(let n), .nodeUpdate(let n, .taints):
            let untolerated = cluster.nodes[Int(n)].spec.taints.contains { $0.effect != .preferNoSchedule && !cluster.pods[Int(pod)].spec.tolerations.tolerate($0) }
            return untolerated ? .skip : .queue
        default:
            return .skip
        }
    }
}

extension NodeAffinityPlugin: EnqueueExtensions {
    /// Node/Add or a label update of a node matching the pod's node selector and required affinity (and
    /// the profile's added required affinity).
    public func queueingHint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint {
        switch event {
        case .nodeAdd(let n), .nodeUpdate(let n, .labels):
            let node = cluster.nodes[Int(n)].spec
            if let added = addedAffinity?.required, !added.contains(where: { $0.matches(labels: node.labels, name: node.name) }) { return .skip }
            return NodeAffinityPlugin.matches(cluster.pods[Int(pod)].spec, node) ? .queue : .skip
        default:
            return .skip
        }
    }
}

extension InterPodAffinity: EnqueueExtensions {
    /// Scheduled pods added or deleted (their labels may satisfy or stop violating terms); nodes added or
    /// relabelled.
    public func queueingHint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint {
        switch event {
        case .podUpdate(_, .bound), .podUpdate(_, .unbound), .nodeAdd, .nodeUpdate(_, .labels), .nodeUpdate(_, .taints):
            return .queue
        case .podDelete(_, let node):
            return node >= 0 ? .queue : .skip
        default:
            return .skip
        }
    }
}

extension PodTopologySpread: EnqueueExtensions {
    /// Scheduled pods of the same namespace matching a constraint's selector, added or deleted; nodes
    /// added, deleted or relabelled.
    public func queueingHint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint {
        func matches(_ id: PodID) -> Bool {
            let pods = cluster.pods
            return pods[Int(id)].namespaceIndex == pods[Int(pod)].namespaceIndex
                && pods[Int(pod)].spec.topologySpreadConstraints.contains { $0.labelSelector.matches(pods[Int(id)].spec.labels) }
        }
        switch event {
        case .podUpdate(let id, .bound), .podUpdate(let id, .unbound):
            return matches(id) ? .queue : .skip
        case .podDelete(let id, let node):
            return node >= 0 && matches(id) ? .queue : .skip
        case .nodeAdd, .nodeDelete, .nodeUpdate(_, .labels), .nodeUpdate(_, .taints):
            return .queue
        default:
            return .skip
        }
    }
}
