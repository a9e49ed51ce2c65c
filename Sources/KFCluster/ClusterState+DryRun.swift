/// What-if changes for the scheduler's dry runs (preemption): bound pods' requests leave their node's
/// accounting and come back, with no event, no status change and no effect on CPU sharing.
extension ClusterState {
    /// Runs `body`, in which `dryRunRemove` and `dryRunRestore` may change node `node`'s pods; afterwards
    /// the node is exactly as before (pods still removed are restored, the pod list keeps its order).
    public func withDryRun<T>(on node: Int32, _ body: () -> T) -> T {
        let n = Int(node)
        let saved = nodes[n].pods
        let result = body()
        for id in saved where !nodes[n].pods.contains(id) { accountBinding(Int(id), on: n, sign: 1) }
        nodes[n].pods = saved
        return result
    }

    /// Takes bound pod `id` off its node's accounting (inside `withDryRun`).
    public func dryRunRemove(_ id: PodID) {
        let p = Int(id), n = Int(pods[p].node)
        guard let i = nodes[n].pods.firstIndex(of: id) else { return }
        nodes[n].pods.remove(at: i)
        // The pod gets its own GPU devices back when restored.
        if let held = gpuDevices.held[id] { gpuDevices.choose(held.devices, for: id) }
        accountBinding(p, on: n, sign: -1)
    }

    /// Puts back a pod taken off by `dryRunRemove` (inside `withDryRun`).
    public func dryRunRestore(_ id: PodID) {
        let p = Int(id), n = Int(pods[p].node)
        guard !nodes[n].pods.contains(id) else { return }
        nodes[n].pods.append(id)
        accountBinding(p, on: n, sign: 1)
    }

    /// Records the node a preemption nominated pending pod `id` for (-1: none).
    public func setNominatedNode(_ id: PodID, _ node: Int32) { pods[Int(id)].scheduling.nominatedNode = node }
}
