import KFCluster
import KFControlPlane

/// Optimus (Peng et al., EuroSys 2018) as a baseline: waiting jobs start with one PS and one worker
/// each (FIFO, while they fit), then PS or workers are added one at a time to the job whose remaining
/// time drops most per unit of its dominant resource (the share of the cluster's CPU or memory one more
/// pod takes), until nothing more fits or helps; each job is then placed on the fewest nodes. Speeds
/// come from the profile's Optimus model when it has one, else from the PS model with the job on one
/// node. Running jobs are not re-allocated.
public final class OptimusTrainingPolicy: TrainingPolicy {
    public let name = "optimus"
    public init() {}

    public func decide(_ ctx: TrainingContext) {
        var free = ctx.free()
        var pool = free.reduce(Resources.zero) { $0 + $1.resources }
        let capacity = ctx.sim.cluster.capacity
        struct Plan { let job: TrainingJob; var ps: Int; var workers: Int }
        var plans: [Plan] = []
        for job in ctx.waiting {
            let r = ctx.requests(job, workers: 1, ps: job.spec.psCount > 0 ? 1 : 0)
            let need = (r.ps + r.workers + r.others).reduce(Resources.zero, +)
            guard need.fits(in: pool) else { break }
            pool -= need
            plans.append(Plan(job: job, ps: job.spec.psCount > 0 ? 1 : 0, workers: 1))
        }
        guard !plans.isEmpty else { return }
        func speed(_ plan: Plan, ps: Int, workers: Int) -> Double {
            let node = Int32(0)
            let p = Placement(ps: Array(repeating: node, count: ps), workers: Array(repeating: node, count: workers), others: [])
            return ctx.estimatedRate(plan.job, p)
        }
        func dominant(_ r: Resources) -> Double {
            max(capacity.cpu > 0 ? Double(r.cpu) / Double(capacity.cpu) : 0, capacity.memory > 0 ? Double(r.memory) / Double(capacity.memory) : 0)
        }
        // Greedy marginal gain.
        while true {
            var best: (index: Int, addPS: Bool, gain: Double)?
            for (i, plan) in plans.enumerated() {
                let current = speed(plan, ps: plan.ps, workers: plan.workers)
                guard current > 0 else { continue }
                let remaining = plan.job.remaining / current
                // More PS shards than workers never help; the cap also bounds the search.
                let options: [(Bool, Int, Int)] = [(false, plan.ps, plan.workers + 1)] + (plan.ps > 0 && plan.ps < plan.workers ? [(true, plan.ps + 1, plan.workers)] : [])
                for (addPS, ps, workers) in options {
                    if !addPS && workers > plan.job.maxWorkers { continue }
                    let pod = addPS ? ctx.requests(plan.job, workers: 0, ps: 1).ps[0] : ctx.requests(plan.job, workers: 1, ps: 0).workers[0]
                    guard pod.fits(in: pool), dominant(pod) > 0 else { continue }
                    let s = speed(plan, ps: ps, workers: workers)
                    guard s > 0 else { continue }
                    let gain = (remaining - plan.job.remaining / s) / max(dominant(pod), 1e-12)
                    if gain > 0 && (best == nil || gain > best!.gain) { best = (i, addPS, gain) }
                }
            }
            guard let b = best else { break }
            let pod = b.addPS ? ctx.requests(plans[b.index].job, workers: 0, ps: 1).ps[0] : ctx.requests(plans[b.index].job, workers: 1, ps: 0).workers[0]
            pool -= pod
            if b.addPS { plans[b.index].ps += 1 } else { plans[b.index].workers += 1 }
        }
        // Place each on the fewest nodes; a job that does not fit after all gives up workers first.
        for var plan in plans {
            var placed: Placement?
            while placed == nil && plan.workers >= 1 {
                let r = ctx.requests(plan.job, workers: plan.workers, ps: plan.ps)
                placed = PlacementPlanner.fewestNodes(ps: r.ps, workers: r.workers, others: r.others, free: free)
                if placed == nil { plan.workers -= 1 }
            }
            guard let p = placed else { continue }
            reserve(p, ctx.requests(plan.job, workers: plan.workers, ps: plan.ps), &free)
            ctx.start(plan.job, workers: plan.workers, ps: plan.ps, placement: p)
        }
    }
}
