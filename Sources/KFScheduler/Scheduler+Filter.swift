import KFCluster

/// Filtering (from a rotating start, until enough feasible nodes are found) and the diagnosis when no
/// node fits.
extension Scheduler {
    /// Fills `ctx.feasible`; returns how many nodes were examined (their verdicts are in `seen`,
    /// `seenBy` and `seenNode`, for the diagnosis).
    func findFeasible(_ profile: Profile, _ ctx: CycleContext) -> Int {
        let live = cluster.liveNodes
        let total = live.count
        let wanted = Scheduler.numFeasibleNodesToFind(percentage: profile.percentageOfNodesToScore ?? configuration.percentageOfNodesToScore,
                                                      nodes: total)
        indexedFailure = nil
        if indexApplies(profile, ctx) {
            // The classes count the feasible nodes (and find where the search ends).
            if classScoringAllowed(profile), let processed = findFeasibleByClass(ctx, wanted: wanted) { return processed }
            return findFeasibleIndexed(feasibility.shape(ctx.requests, cluster), wanted: wanted, ctx)
        }
        var feasible = ctx.feasible
        ctx.feasible = []
        feasible.removeAll(keepingCapacity: true)
        var processed = 0
        let filters = profile.filters
        if seen.count < total {
            seen = Array(repeating: nil, count: total)
            seenBy = Array(repeating: -1, count: total)
        }
        seenStart = nextStartNodeIndex
        // Filter in batches (each plugin reads the cluster once per batch), then walk each batch in
        // order as the sequential algorithm would: stop at the node that completes `wanted`.
        while processed < total && feasible.count < wanted {
            let batch = min(max(wanted - feasible.count, 64), total - processed)
            candidates.removeAll(keepingCapacity: true)
            for k in 0..<batch { candidates.append(live[(nextStartNodeIndex + processed + k) % total]) }
            if rejections.count < batch {
                rejections = Array(repeating: nil, count: batch)
                rejectedBy = Array(repeating: -1, count: batch)
            } else {
                for k in 0..<batch {
                    rejections[k] = nil
                    rejectedBy[k] = -1
                }
            }
            for (i, f) in filters.enumerated() {
                // Attribute new rejections to this filter (for the diagnosis).
                if f.filterAll(ctx, nodes: candidates[...], rejections: &rejections) > 0 {
                    for k in 0..<batch where rejectedBy[k] < 0 && rejections[k] != nil { rejectedBy[k] = i }
                }
            }
            for k in 0..<batch {
                seen[processed] = rejections[k]
                seenBy[processed] = rejectedBy[k]
                processed += 1
                if rejections[k] == nil {
                    feasible.append(candidates[k])
                    if feasible.count == wanted { break }
                }
            }
        }
        if total > 0 { nextStartNodeIndex = (nextStartNodeIndex + processed) % total }
        ctx.feasible = feasible
        return processed
    }

    /// No node fits: PostFilter plugins run (preemption), else kube-scheduler's FitError diagnosis.
    func noNodeFits(_ profile: Profile, _ ctx: CycleContext, processed: Int) -> ScheduleOutcome {
        if let shape = indexedFailure {
            let (reason, names) = indexedDiagnosis(shape, profile, ctx)
            return postFilter(profile, ctx, reason: reason, rejectors: names)
        }
        let filters = profile.filters
        let live = cluster.liveNodes, start = seenStart
        ctx.rejectedNodesSource = { [unowned self] in
            (0..<processed).compactMap { k in
                guard let r = self.seen[k], self.seenBy[k] >= 0 else { return nil }
                return (live[(start + k) % live.count], filters[self.seenBy[k]].name, r)
            }
        }
        var failures: [(reason: String, count: Int)] = []
        var rejecting: [Int] = []
        for k in 0..<processed {
            guard let r = seen[k] else { continue }
            if let j = failures.firstIndex(where: { $0.reason == r }) { failures[j].count += 1 } else { failures.append((r, 1)) }
            if seenBy[k] >= 0 && !rejecting.contains(seenBy[k]) { rejecting.append(seenBy[k]) }
        }
        // As kube-scheduler's FitError: "N reason" strings sorted alphabetically.
        let detail = failures.map { "\($0.count) \($0.reason)" }.sorted().joined(separator: ", ")
        let names = filters.indices.filter { rejecting.contains($0) }.map { filters[$0].name }
        let by = names.isEmpty ? "" : " Rejected by filter: \(names.joined(separator: ", "))."
        let reason = "0/\(cluster.liveNodes.count) nodes are available: \(detail.isEmpty ? "no nodes" : detail).\(by)"
        return postFilter(profile, ctx, reason: reason, rejectors: names)
    }

    /// PostFilter plugins (preemption) run; without a result the pod is unschedulable.
    func postFilter(_ profile: Profile, _ ctx: CycleContext, reason: String, rejectors names: [String]) -> ScheduleOutcome {
        for p in profile.postFilters {
            if let result = p.postFilter(ctx) {
                return .preempting(node: result.nominatedNode, victims: result.victims, reason: reason, rejectors: names)
            }
        }
        return .unschedulable(reason: reason, rejectors: names)
    }
}
