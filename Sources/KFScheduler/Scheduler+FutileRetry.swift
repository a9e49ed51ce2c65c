import KFCluster

/// Retries that cannot succeed, counted without being evaluated.
///
/// With queueing hints as upstream, every deletion of a scheduled pod requeues every pod that
/// NodeResourcesFit rejected, and each is retried. A retry of pod P is futile, and is counted (one more
/// attempt, its queue timestamp reset, back to the pool) without running the cycle, when all of this
/// holds: at its last attempt every node was rejected by NodeResourcesFit alone; no node was added,
/// deleted or changed since; P has no PodGroup; its profile runs only the in-tree filters and no
/// PostFilter that could act (no lower-priority pod to preempt); and on every node where room was
/// freed since, NodeResourcesFit still rejects P now. Nothing else can have gained room (binds only
/// take it), so the evaluation would fail the same way and change nothing else (no random draw, the
/// rotating start index comes back to where it was). The only thing not reproduced is the text of the
/// pod's diagnosis: it keeps the reason of its last evaluated attempt.
extension Scheduler {
    static let skippableFilters: Set<String> = ["NodeUnschedulable", "TaintToleration", "NodeAffinity", "NodeResourcesFit",
                                                "PodTopologySpread", "InterPodAffinity"]
    static let skippablePreFilters: Set<String> = ["NodeResourcesFit", "PodTopologySpread", "InterPodAffinity", "Coscheduling"]
    static let skippablePostFilters: Set<String> = ["DefaultPreemption", "Coscheduling"]

    /// Whether pod `id`'s retries can be reasoned about at all: its profile runs NodeResourcesFit and only
    /// in-tree filters and PostFilters, and it has no PodGroup. Cached per pod, with whether
    /// DefaultPreemption may act for it.
    func futileEligible(_ id: PodID) -> Bool {
        let i = Int(id)
        if i < futileEligibleCache.count, futileEligibleCache[i] >= 0 { return futileEligibleCache[i] == 1 }
        while futileEligibleCache.count <= i {
            futileEligibleCache.append(-1)
            mayPreemptCache.append(false)
        }
        let spec = cluster.pods[i].spec
        var eligible = false
        if spec.labels[PodGroup.label] == nil, let profile = profiles[spec.schedulerName],
           profile.filters.contains(where: { $0 is NodeResourcesFit }),
           profile.filters.allSatisfy({ Self.skippableFilters.contains($0.name) }),
           profile.preFilters.allSatisfy({ Self.skippablePreFilters.contains($0.name) }),
           profile.postFilters.allSatisfy({ Self.skippablePostFilters.contains($0.name) }) {
            eligible = true
            mayPreemptCache[i] = spec.preemptionPolicy != .never && profile.postFilters.contains { $0 is DefaultPreemption }
        }
        futileEligibleCache[i] = eligible ? 1 : 0
        return eligible
    }

    /// Whether the retry of `id` now is futile (see above).
    func isFutileRetry(_ id: PodID) -> Bool {
        let i = Int(id)
        guard configuration.retryShortcuts, queue.onlyResourcesRejected[i], queue.epochAtAttempt[i] == queue.nodeEpoch,
              futileEligible(id) else { return false }
        if mayPreemptCache[i] && cluster.hasBoundPod(withPriorityBelow: cluster.pods[i].spec.priority) { return false }
        let log = queue.freedLog
        let since = queue.checkpoint[i]
        guard since < log.count else { return true }
        let requests = cluster.pods[i].resources.requests
        // Pods of one shape share the verdict: once a scan found that every node freed in
        // log[from..<end] still rejects the shape, a pod whose checkpoint is at or after `from` needs no
        // scan of its own (binds since only took room; a node change moves the epoch; nominations count
        // per pod, so the shortcut is used only without any).
        let shareable = nominated.isEmpty
        if shareable, let scan = futileScans[requests], scan.to == log.count, scan.epoch == queue.nodeEpoch, scan.from <= since {
            return true
        }
        let extra = nominatedLoad(for: id, priority: cluster.pods[i].spec.priority)
        for k in since..<log.count {
            let node = log[k]
            guard Int(node) < cluster.nodes.count, !cluster.nodes[Int(node)].isDeleted else { continue }
            var u = cluster.usage[Int(node)]
            if let e = extra[node] {
                u.requested += e.requests
                u.podCount += e.pods
            }
            if NodeResourcesFit.fit(u, requests) == nil { return false }
        }
        if shareable { futileScans[requests] = FutileScan(from: since, to: log.count, epoch: queue.nodeEpoch) }
        return true
    }

    /// Counts a futile retry: one more attempt, the queue timestamp reset, back to the pool.
    func countFutileRetry(_ id: PodID) { queue.markFailedAgain(id) }
}
