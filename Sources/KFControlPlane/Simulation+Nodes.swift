import KFCluster
import KFEngine

/// Nodes joining and leaving a running cluster: the control plane's side (pods on a leaving node end,
/// and their owners hear; the scheduler hears of every change through the cluster's events).
extension Simulation {
    /// Adds a node now; returns its index. Pods waiting for room are requeued by their hints.
    @discardableResult
    public func addNode(_ spec: NodeSpec) -> Int32 {
        engine.noteProgress()
        return cluster.addNode(spec)
    }

    /// Adds a node to group `name` from its template (nil at the group's maximum size).
    @discardableResult
    public func addNode(toGroup name: String) -> Int32? {
        engine.noteProgress()
        return cluster.addNode(toGroup: name)
    }

    /// Cordons (`true`) or uncordons a node.
    public func cordon(_ node: Int32, _ unschedulable: Bool) {
        cluster.setUnschedulable(node, unschedulable)
    }

    /// `kubectl drain`: cordons the node and evicts every pod bound to it (they end `Evicted`; their
    /// owners decide whether to recreate them).
    public func drain(_ node: Int32) {
        cluster.setUnschedulable(node, true)
        for pod in cluster.nodes[Int(node)].pods { evictPod(pod, reason: "Evicted: node \(cluster.nodes[Int(node)].spec.name) drained") }
    }

    /// Deletes a node: the pods bound to it are deleted first (the pod garbage collector), then the node.
    public func deleteNode(_ node: Int32) {
        guard !cluster.nodes[Int(node)].isDeleted else { return }
        for pod in cluster.nodes[Int(node)].pods {
            guard !cluster.pods[Int(pod)].phase.isTerminal else { continue }
            end(pod, termination: .deleted, reason: "Deleted: node \(cluster.nodes[Int(node)].spec.name) deleted")
        }
        cluster.deleteNode(node)
    }
}
