import KFCluster

extension Scheduler {
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

extension Scheduler {
    /// Whether pending pod `id` passes its profile's PreFilter and Filter plugins on existing node
    /// `node` as the cluster stands (the Cluster Autoscaler's drain simulation and filtering of pods that
    /// already fit).
    public func passesFilters(_ id: PodID, onNode node: Int32) -> Bool {
        let pod = cluster.pods[Int(id)]
        guard let profile = profiles[pod.spec.schedulerName], !cluster.nodes[Int(node)].isDeleted else { return false }
        let ctx = context(for: pod)
        for plugin in profile.preFilters where plugin.preFilter(ctx) != nil { return false }
        var rejection: [String?] = [nil]
        for f in profile.filters where f.filterAll(ctx, nodes: [node][...], rejections: &rejection) > 0 { return false }
        return true
    }
}
