import KFCluster
import KFControlPlane

/// Where a policy wants a job's pods: one node index per pod, PS first, then workers, then others.
public struct Placement: Equatable, Sendable {
    /// Nodes of the PS pods.
    public var ps: [Int32]
    /// Nodes of the worker pods.
    public var workers: [Int32]
    /// Nodes of the other pods (evaluator).
    public var others: [Int32]
}

/// Placement searches over the nodes' free resources (requests, as the scheduler's filter sees them).
public enum PlacementPlanner {
    /// Free resources and pod slots of every node.
    public static func free(_ cluster: ClusterState) -> [(resources: Resources, slots: Int64)] {
        cluster.usage.map { ($0.free, $0.maxPods - $0.podCount) }
    }

    static func fits(_ r: Resources, _ free: (resources: Resources, slots: Int64)) -> Bool {
        free.slots >= 1 && r.fits(in: free.resources)
    }

    static func take(_ r: Resources, _ free: inout (resources: Resources, slots: Int64)) {
        free.resources -= r
        free.slots -= 1
    }

    /// The job on as few nodes as possible: on one node if one fits it all (the fullest that does,
    /// to keep large holes free), else filling the nodes with the most free CPU (GPUs, for a job that
    /// asks for GPUs) first. PS shards go
    /// round-robin over the nodes used, so that no single NIC carries every shard.
    public static func fewestNodes(ps: [Resources], workers: [Resources], others: [Resources],
                                   free: [(resources: Resources, slots: Int64)]) -> Placement? {
        let all = ps + workers + others
        let total = all.reduce(Resources.zero, +)
        var single: Int?
        // GPU jobs are packed by free GPUs, others by free CPU.
        let key: (Resources) -> Int64 = total.gpu > 0 ? { $0.gpu } : { $0.cpu }
        for (n, f) in free.enumerated() where f.slots >= Int64(all.count) && total.fits(in: f.resources) {
            if single == nil || key(f.resources) < key(free[single!].resources) { single = n }
        }
        if let n = single {
            let node = Int32(n)
            return Placement(ps: ps.map { _ in node }, workers: workers.map { _ in node }, others: others.map { _ in node })
        }
        // Greedy fill, largest free CPU first (ties by index).
        var pool = free
        let order = pool.indices.sorted { key(pool[$0].resources) != key(pool[$1].resources) ? key(pool[$0].resources) > key(pool[$1].resources) : $0 < $1 }
        var used: [Int] = []
        func place(_ r: Resources) -> Int32? {
            for n in used where fits(r, pool[n]) { take(r, &pool[n]); return Int32(n) }
            for n in order where !used.contains(n) && fits(r, pool[n]) {
                used.append(n)
                take(r, &pool[n])
                return Int32(n)
            }
            return nil
        }
        var w: [Int32] = [], o: [Int32] = []
        for r in workers { guard let n = place(r) else { return nil }; w.append(n) }
        for r in others { guard let n = place(r) else { return nil }; o.append(n) }
        // PS shards round-robin over the nodes the job uses (each must fit where it lands).
        var p: [Int32] = []
        for (i, r) in ps.enumerated() {
            var landed: Int32?
            for k in 0..<max(used.count, 1) where !used.isEmpty {
                let n = used[(i + k) % used.count]
                if fits(r, pool[n]) { take(r, &pool[n]); landed = Int32(n); break }
            }
            if landed == nil { landed = place(r) }
            guard let node = landed else { return nil }
            p.append(node)
        }
        return Placement(ps: p, workers: w, others: o)
    }

    /// Every pod on the node with the most free CPU at that moment (the spread a LeastAllocated
    /// scheduler produces), all-or-nothing.
    public static func spread(ps: [Resources], workers: [Resources], others: [Resources],
                              free: [(resources: Resources, slots: Int64)]) -> Placement? {
        var pool = free
        func place(_ r: Resources) -> Int32? {
            var best: Int?
            for n in pool.indices where fits(r, pool[n]) {
                if best == nil || pool[n].resources.cpu > pool[best!].resources.cpu { best = n }
            }
            guard let n = best else { return nil }
            take(r, &pool[n])
            return Int32(n)
        }
        var p: [Int32] = [], w: [Int32] = [], o: [Int32] = []
        for r in ps { guard let n = place(r) else { return nil }; p.append(n) }
        for r in workers { guard let n = place(r) else { return nil }; w.append(n) }
        for r in others { guard let n = place(r) else { return nil }; o.append(n) }
        return Placement(ps: p, workers: w, others: o)
    }
}
