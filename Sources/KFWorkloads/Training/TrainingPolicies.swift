import KFCluster
import KFControlPlane
import KFEngine

/// Kubeflow's default training operator: every pod of a job created at once on arrival, each scheduled
/// independently by the scheduler. Jobs can hold part of their pods and wait forever for the rest.
public final class DefaultTrainingPolicy: TrainingPolicy {
    public let name = "default"
    public init() {}
    public func decide(_ ctx: TrainingContext) {
        // The operator reconciles jobs concurrently, so the pods of jobs started together interleave.
        ctx.startInterleaved(ctx.waiting)
    }
}

/// The default operator with gang scheduling in the scheduler: every pod created at once, labelled with
/// a PodGroup of `minMember` = `runPolicy.schedulingPolicy.minAvailable` (else all pods), which the
/// Coscheduling plugin holds at Permit until enough members are bound (the scheduler profile must
/// enable Coscheduling at preFilter and permit).
public final class CoschedulingTrainingPolicy: TrainingPolicy {
    public let name = "coscheduling"
    public init() {}
    public func decide(_ ctx: TrainingContext) {
        ctx.startInterleaved(ctx.waiting, podGroups: true)
    }
}

/// Gang admission (Volcano-style): a job starts only when all its pods fit at once, placed as the
/// default scheduler would spread them; the others keep waiting (later jobs may pass them).
public final class GangTrainingPolicy: TrainingPolicy {
    public let name = "gang"
    public init() {}
    public func decide(_ ctx: TrainingContext) { admitWhole(ctx, PlacementPlanner.spread) }
}

/// Task affinity (seed paper 2): gang-admitted, a job's PS and workers on the fewest nodes, PS shards
/// spread over those nodes to avoid NIC hot spots.
public final class AffinityTrainingPolicy: TrainingPolicy {
    public let name = "affinity"
    public init() {}
    public func decide(_ ctx: TrainingContext) { admitWhole(ctx, PlacementPlanner.fewestNodes) }
}

/// Topology-aware packing: gang-admitted, a job's pods on the fewest nodes of one zone (the zone where
/// that takes fewest nodes; ties to the one whose chosen nodes are fullest, then the zone named
/// first), so that its traffic never crosses a zone's uplink; PS shards spread over those nodes as
/// `affinity` does. Nodes without a zone form one zone. GPU models are not looked at.
public final class TopologyTrainingPolicy: TrainingPolicy {
    public let name = "topology"
    public init() {}
    public func decide(_ ctx: TrainingContext) {
        let zoneOfNode = ctx.sim.cluster.nodes.map { $0.spec.zone ?? "" }
        let zones = Array(Set(zoneOfNode)).sorted()
        admitWhole(ctx) { ps, workers, others, free in
            let gpus = (ps + workers + others).reduce(Int64(0)) { $0 + $1.gpu } > 0
            var best: (placement: Placement, nodes: Int, left: Int64)?
            for zone in zones {
                var masked = free
                for n in masked.indices where zoneOfNode[n] != zone { masked[n].slots = 0 }
                guard let p = PlacementPlanner.fewestNodes(ps: ps, workers: workers, others: others, free: masked) else { continue }
                let used = Set(p.ps + p.workers + p.others)
                // Ties go to the zone whose chosen nodes have least left free (packing, as fewestNodes does).
                let left = used.reduce(Int64(0)) { $0 + (gpus ? free[Int($1)].resources.gpu : free[Int($1)].resources.cpu) }
                if best == nil || used.count < best!.nodes || (used.count == best!.nodes && left < best!.left) { best = (p, used.count, left) }
            }
            return best?.placement
        }
    }
}

/// Starts, in submission order, every waiting job whose pods all fit now as `planner` places them
/// (all-or-nothing; a job that does not fit lets later ones pass).
func admitWhole(_ ctx: TrainingContext,
                _ planner: ([Resources], [Resources], [Resources], [(resources: Resources, slots: Int64)]) -> Placement?) {
    var free = ctx.free()
    for job in ctx.waiting {
        let r = ctx.requests(job, workers: job.targetWorkers)
        guard let p = planner(r.ps, r.workers, r.others, free) else { continue }
        reserve(p, r, &free)
        ctx.start(job, workers: job.targetWorkers, placement: p)
    }
}

/// Takes a placement's requests out of `free`.
func reserve(_ p: Placement, _ r: (ps: [Resources], workers: [Resources], others: [Resources]),
             _ free: inout [(resources: Resources, slots: Int64)]) {
    for (n, x) in Array(zip(p.ps + p.workers + p.others, r.ps + r.workers + r.others)) {
        free[Int(n)].resources -= x
        free[Int(n)].slots -= 1
    }
}
