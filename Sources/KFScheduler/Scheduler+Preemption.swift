import KFCluster

/// What preemption needs from the scheduler: nominations, the nominated-node fast path, and filter
/// runs on one node for dry runs.
extension Scheduler: SchedulingFramework {
    public func passesFilters(_ ctx: CycleContext, node: Int32) -> Bool {
        guard let profile = profiles[ctx.pod.spec.schedulerName] else { return false }
        ctx.state.clear()
        for p in profile.preFilters where p.preFilter(ctx) != nil { return false }
        var rejection: [String?] = [nil]
        for f in profile.filters where f.filterAll(ctx, nodes: [node][...], rejections: &rejection) > 0 { return false }
        return true
    }

    public func randomInt(below n: Int) -> Int {
        guard n > 1, let stream = preemptionStream else { return 0 }
        return stream.uniformInt(below: n)
    }

    /// Requests of pods nominated to each node with at least `pod`'s priority (itself excluded).
    func nominatedLoad(for pod: Pod) -> [Int32: (requests: Resources, pods: Int64)] {
        nominatedLoad(for: pod.id, priority: pod.spec.priority)
    }

    /// Requests of pods nominated to each node with at least `priority` (pod `self` excluded).
    func nominatedLoad(for exclude: PodID, priority: Int32) -> [Int32: (requests: Resources, pods: Int64)] {
        guard !nominated.isEmpty else { return [:] }
        var out: [Int32: (requests: Resources, pods: Int64)] = [:]
        for node in nominated.keys.sorted() {
            for id in nominated[node]! where id != exclude {
                let other = cluster.pods[Int(id)]
                guard other.spec.priority >= priority, other.phase == .pending else { continue }
                var load = out[node] ?? (.zero, 0)
                load.requests += other.resources.requests
                load.pods += 1
                out[node] = load
            }
        }
        return out
    }

    /// `evaluateNominatedNode`: a pod nominated by an earlier preemption tries that node first; if it
    /// passes every filter there, it goes there without scoring.
    func evaluateNominatedNode(_ profile: Profile, _ ctx: CycleContext) -> Int32? {
        let node = ctx.pod.scheduling.nominatedNode
        guard node >= 0, Int(node) < cluster.nodes.count, !cluster.nodes[Int(node)].isDeleted else { return nil }
        var rejection: [String?] = [nil]
        for f in profile.filters where f.filterAll(ctx, nodes: [node][...], rejections: &rejection) > 0 { return nil }
        return node
    }

    /// Nominates pending pod `id` to `node` (nil: clears its nomination). Lower-priority pods nominated
    /// to the same node lose their nomination, as kube-scheduler does after a preemption.
    func nominate(_ id: PodID, to node: Int32?) {
        let old = cluster.pods[Int(id)].scheduling.nominatedNode
        if old >= 0 {
            nominated[old]?.removeAll { $0 == id }
            if nominated[old]?.isEmpty == true { nominated[old] = nil }
        }
        if old >= 0 { queue.freedLog.append(old) }
        cluster.setNominatedNode(id, node ?? -1)
        guard let node else { return }
        let priority = cluster.pods[Int(id)].spec.priority
        for other in nominated[node] ?? [] where cluster.pods[Int(other)].spec.priority < priority { nominate(other, to: nil) }
        nominated[node, default: []].append(id)
    }
}
