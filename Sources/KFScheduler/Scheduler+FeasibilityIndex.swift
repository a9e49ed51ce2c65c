import KFCluster

/// NodeResourcesFit's verdict on every live node for each recent pod shape (requests), kept up to date
/// from the cluster's log of usage changes: a cycle whose other filters pass every node finds its
/// feasible nodes (and, when there are none, its diagnosis) without examining the nodes one by one.
final class FeasibilityIndex {
    /// The verdicts for one shape.
    final class Shape {
        let requests: Resources
        /// `NodeResourcesFit.fitCode` of each live node, by position in `liveNodes`.
        var code: [UInt8]
        /// Nodes with each code.
        var counts = [Int](repeating: 0, count: NodeResourcesFit.reasons.count)
        /// Positions where the shape fits, as bits.
        var fits: [UInt64]
        /// How much of the usage log is applied.
        var synced: Int
        var lastUsed = 0

        init(requests: Resources, cluster: ClusterState, positions: Int) {
            self.requests = requests
            code = Array(repeating: 0, count: positions)
            fits = Array(repeating: 0, count: (positions + 63) / 64)
            synced = 0
            rebuild(cluster)
        }

        /// Every live node's verdict afresh.
        func rebuild(_ cluster: ClusterState) {
            synced = cluster.usageLog.count
            for k in counts.indices { counts[k] = 0 }
            for k in fits.indices { fits[k] = 0 }
            for (p, n) in cluster.liveNodes.enumerated() {
                let c = NodeResourcesFit.fitCode(cluster.usage[Int(n)], requests)
                code[p] = c
                counts[Int(c)] += 1
                if c == 0 { fits[p >> 6] |= 1 << UInt64(p & 63) }
            }
        }

        /// Applies the usage changes logged since the last call; returns whether it rebuilt instead.
        @discardableResult
        func sync(_ cluster: ClusterState, position: [Int32]) -> Bool {
            let log = cluster.usageLog
            guard synced < log.count else { return false }
            // A shape unused for long: more changes to replay than nodes to examine.
            if log.count - synced > code.count {
                rebuild(cluster)
                return true
            }
            for k in synced..<log.count {
                let n = Int(log[k])
                guard n < position.count, position[n] >= 0 else { continue }
                let p = Int(position[n])
                let c = NodeResourcesFit.fitCode(cluster.usage[n], requests)
                let old = code[p]
                guard c != old else { continue }
                counts[Int(old)] -= 1
                counts[Int(c)] += 1
                code[p] = c
                if c == 0 { fits[p >> 6] |= 1 << UInt64(p & 63) } else if old == 0 { fits[p >> 6] &= ~(1 << UInt64(p & 63)) }
            }
            synced = log.count
            return false
        }
    }

    /// Shapes kept (the least recently used goes first). A trace has hundreds of pod shapes; a shape
    /// costs a byte per node, and one unused for long is rebuilt rather than replayed.
    static let maxShapes = 256
    var shapes: [Resources: Shape] = [:]
    /// The node epoch the positions were taken at (-1: never).
    var epoch = -1
    /// Each node's position in `liveNodes` (-1: not live).
    var position: [Int32] = []
    /// Whether no live node is cordoned or tainted (NodeUnschedulable and TaintToleration pass all).
    var clean = false
    var uses = 0
    /// Shapes rebuilt rather than replayed, and shapes dropped for room (for tests).
    var rebuilds = 0, evictions = 0

    /// Forgets everything when the nodes changed.
    func refresh(_ cluster: ClusterState, epoch now: Int) {
        guard epoch != now || position.count != cluster.nodes.count else { return }
        epoch = now
        shapes.removeAll()
        position = Array(repeating: -1, count: cluster.nodes.count)
        clean = true
        for (p, n) in cluster.liveNodes.enumerated() {
            position[Int(n)] = Int32(p)
            let u = cluster.usage[Int(n)]
            if u.unschedulable || u.hasTaints { clean = false }
        }
    }

    /// The verdicts for `requests`, synced.
    func shape(_ requests: Resources, _ cluster: ClusterState) -> Shape {
        uses += 1
        if let s = shapes[requests] {
            if s.sync(cluster, position: position) { rebuilds += 1 }
            s.lastUsed = uses
            return s
        }
        if shapes.count >= Self.maxShapes, let oldest = shapes.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            shapes[oldest] = nil
            evictions += 1
        }
        let s = Shape(requests: requests, cluster: cluster, positions: cluster.liveNodes.count)
        s.lastUsed = uses
        shapes[requests] = s
        return s
    }
}

extension Scheduler {
    /// Whether the index's verdicts decide this cycle's filtering: NodeResourcesFit alone can reject a
    /// node (every other filter passes every node: no cordoned or tainted node, the others say so for
    /// the pod), no pods are nominated, and no attempt is being recorded node by node.
    func indexApplies(_ profile: Profile, _ ctx: CycleContext) -> Bool {
        guard configuration.retryShortcuts, onAttempt == nil, ctx.nominatedExtra.isEmpty, !cluster.liveNodes.isEmpty else { return false }
        if !cluster.logsUsageChanges { cluster.logsUsageChanges = true }
        feasibility.refresh(cluster, epoch: cluster.nodeVersion)
        var resourceFit = false
        for f in profile.filters {
            if f is NodeResourcesFit { resourceFit = true; continue }
            if (f is NodeUnschedulable || f is TaintToleration) && feasibility.clean { continue }
            if !f.passesAll(ctx) { return false }
        }
        return resourceFit
    }

    /// `findFeasible` when the classes can be scored: the feasible nodes are the members of the classes
    /// the pod fits, counted per class. When fewer than `wanted` fit, every node is examined; otherwise
    /// the `wanted`-th fit from the rotating start ends the search, found in the union of those classes'
    /// member bits (no index shape is needed unless something lists the nodes). Nil when none fits (the
    /// index then gives the diagnosis).
    func findFeasibleByClass(_ ctx: CycleContext, wanted: Int) -> Int? {
        let fitting = fittingClasses(ctx), members = nodeClasses.members
        var count = 0
        for c in fitting { count += Int(members[Int(c)]) }
        guard count > 0 else { return nil }
        classFilterCycles += 1
        let total = cluster.liveNodes.count
        let start = nextStartNodeIndex % total
        seenStart = start
        var processed = total, found = count
        if count >= wanted && wanted < total {
            let union = unionOfClasses(fitting, count: count)
            (processed, found) = union.withUnsafeBufferPointer { PositionBits.search($0, from: start, total: total, wanted: wanted) }
        }
        nextStartNodeIndex = (start + processed) % total
        ctx.feasible = []
        ctx.window = FeasibleWindow(index: feasibility, requests: ctx.requests, start: start, processed: processed, count: found, total: total)
        indexedFailure = nil
        return processed
    }

    /// The member bits of the fitting classes together (classes are disjoint), reading only their
    /// non-empty words; when most nodes fit, every live position less the other occupied classes'
    /// members (fewer words to read).
    private func unionOfClasses(_ fitting: [Int32], count: Int) -> [UInt64] {
        let nc = nodeClasses, total = cluster.liveNodes.count
        let complement = 2 * count > total
        var union = classUnion
        classUnion = []
        union.removeAll(keepingCapacity: true)
        union.append(contentsOf: repeatElement(complement ? ~0 : 0, count: nc.words))
        union.withUnsafeMutableBufferPointer { u in
            nc.withBits { bits in
                func apply(_ c: Int32) {
                    let r = Int(nc.rowOf[Int(c)]), row = bits.row(r), summary = bits.summary(r)
                    for sw in summary.indices {
                        var s = summary[sw]
                        while s != 0 {
                            let w = sw << 6 + s.trailingZeroBitCount
                            if complement { u[w] &= ~row[w] } else { u[w] |= row[w] }
                            s &= s &- 1
                        }
                    }
                }
                guard complement else {
                    for c in fitting { apply(c) }
                    return
                }
                // `fitting` lists occupied classes in `occupied` order: the others are those it skips.
                var j = 0
                for c in nc.occupied {
                    if j < fitting.count && fitting[j] == c { j += 1 } else { apply(c) }
                }
                if total & 63 != 0 { u[u.count - 1] &= (1 << UInt64(total & 63)) &- 1 }
            }
        }
        classUnion = union
        return union
    }

    /// `findFeasible` from the index: the first `wanted` positions where the shape fits, from the
    /// rotating start; the nodes examined are those up to the last one found (all when too few fit).
    /// The feasible nodes are a window of the index (`FeasibleWindow`), counted word by word and
    /// listed only when something reads `ctx.feasible`.
    func findFeasibleIndexed(_ shape: FeasibilityIndex.Shape, wanted: Int, _ ctx: CycleContext) -> Int {
        let total = cluster.liveNodes.count
        let start = nextStartNodeIndex % total
        seenStart = start
        let (processed, found) = shape.fits.withUnsafeBufferPointer { PositionBits.search($0, from: start, total: total, wanted: wanted) }
        nextStartNodeIndex = (start + processed) % total
        ctx.feasible = []
        if found > 0 {
            ctx.window = FeasibleWindow(index: feasibility, requests: shape.requests, start: start, processed: processed, count: found, total: total)
        }
        indexedFailure = found == 0 ? shape : nil
        return processed
    }

    /// kube-scheduler's diagnosis for a cycle the index found no node for (all rejected by NodeResourcesFit).
    func indexedDiagnosis(_ shape: FeasibilityIndex.Shape, _ profile: Profile, _ ctx: CycleContext) -> (reason: String, rejectors: [String]) {
        let live = cluster.liveNodes, start = seenStart
        let name = profile.filters.first { $0 is NodeResourcesFit }!.name
        // Read within this cycle (PostFilter), before the index changes.
        ctx.rejectedNodesSource = {
            (0..<live.count).compactMap { k in
                let p = (start + k) % live.count
                let c = shape.code[p]
                return c == 0 ? nil : (live[p], name, NodeResourcesFit.reasons[Int(c)])
            }
        }
        let detail = (1..<shape.counts.count).filter { shape.counts[$0] > 0 }
            .map { "\(shape.counts[$0]) \(NodeResourcesFit.reasons[$0])" }.sorted().joined(separator: ", ")
        return ("0/\(live.count) nodes are available: \(detail.isEmpty ? "no nodes" : detail). Rejected by filter: \(name).", [name])
    }
}
