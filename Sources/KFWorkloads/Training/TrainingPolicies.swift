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
