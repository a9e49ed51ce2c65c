import KFCluster

extension Scheduler {
    /// The cycle context for `pod`, reused across cycles.
    func context(for pod: Pod) -> CycleContext {
        let made: CycleContext
        if let existing = ctx {
            existing.pod = pod
            existing.state.clear()
            made = existing
        } else {
            made = CycleContext(cluster: cluster, pod: pod)
            made.framework = self
            ctx = made
        }
        made.now = queue.host?.now ?? 0
        if made.rejectedNodesSource != nil { made.rejectedNodesSource = nil }
        return made
    }

    /// Why pending pod `id` would not fit on a new node like `template` (nil: it would fit): its
    /// profile's PreFilter and Filter plugins run against a hypothetical node added for the question
    /// (the Cluster Autoscaler's scale-up simulation on a group's template node).
    public func whyNotFit(_ id: PodID, onNewNode template: NodeSpec) -> String? {
        let pod = cluster.pods[Int(id)]
        guard let profile = profiles[pod.spec.schedulerName] else { return "no scheduler profile named '\(pod.spec.schedulerName)'" }
        return cluster.withHypotheticalNode(template) { node in
            let ctx = context(for: cluster.pods[Int(id)])
            for plugin in profile.preFilters {
                if let reason = plugin.preFilter(ctx) { return reason }
            }
            var rejection: [String?] = [nil]
            for f in profile.filters where f.filterAll(ctx, nodes: [node][...], rejections: &rejection) > 0 {
                return rejection[0]
            }
            return nil
        }
    }
}
