import KFCluster
import KFEngine

/// The dynamic resource adjustment operator (seed paper 2; rules of DRAGON, CLOSER 2019): each job has
/// min and max workers; PS pods are never removed.
/// 1. When the oldest waiting job has waited `shrinkAfter` (30 s), running jobs give up workers (not
///    below min, workers away from their PS first, the job with most workers above min first) until the
///    waiting job's PS and min workers fit.
/// 2. Waiting jobs start in FIFO order when their PS and min workers fit (as many workers as fit, up to
///    max), the whole job on one node if possible, else on the fewest nodes.
/// 3. When nothing has changed for `growAfter` (60 s) and no job waits, running jobs grow toward max
///    where workers fit, next to their PS first.
/// Every rescale costs the job a checkpoint-restart pause.
public final class AutoscalingTrainingPolicy: TrainingPolicy {
    public let name = "autoscaling"
    let shrinkAfter = 30 * Clock.microsPerSecond
    let growAfter = 60 * Clock.microsPerSecond
    public init() {}

    public func decide(_ ctx: TrainingContext) {
        var free = ctx.free()
        // Rule 2: FIFO starts.
        for job in ctx.waiting {
            guard let (w, p) = bestStart(job, ctx, free) else { break }
            reserve(p, ctx.requests(job, workers: w), &free)
            ctx.start(job, workers: w, placement: p)
        }
        // Rule 1: make room for the oldest waiting job.
        if let oldest = ctx.waiting.first, ctx.now - oldest.submittedAt >= shrinkAfter {
            shrinkFor(oldest, ctx, &free)
            if let (w, p) = bestStart(oldest, ctx, free) {
                reserve(p, ctx.requests(oldest, workers: w), &free)
                ctx.start(oldest, workers: w, placement: p)
            }
        }
        // Rule 3: grow into idle resources.
        if ctx.waiting.isEmpty && ctx.now - ctx.lastChange >= growAfter {
            for job in ctx.active where job.state == .running && job.targetWorkers < job.maxWorkers {
                let worker = ctx.requests(job, workers: 1).workers.first ?? .zero
                let psNodes = job.psPods.map { ctx.sim.cluster.pods[Int($0)].node }
                let jobNodes = job.workerPods.map { ctx.sim.cluster.pods[Int($0)].node }
                var nodes: [Int32] = []
                while job.targetWorkers + nodes.count < job.maxWorkers {
                    let candidates = (psNodes + jobNodes).map(Int.init) + free.indices.sorted { free[$0].resources.cpu != free[$1].resources.cpu ? free[$0].resources.cpu > free[$1].resources.cpu : $0 < $1 }
                    guard let n = candidates.first(where: { PlacementPlanner.fits(worker, free[$0]) }) else { break }
                    PlacementPlanner.take(worker, &free[n])
                    nodes.append(Int32(n))
                }
                ctx.grow(job, nodes: nodes)
            }
        }
    }

    /// The most workers (max down to min) the job can start with now, and where.
    func bestStart(_ job: TrainingJob, _ ctx: TrainingContext, _ free: [(resources: Resources, slots: Int64)]) -> (Int, Placement)? {
        for w in stride(from: job.maxWorkers, through: job.minWorkers, by: -1) {
            let r = ctx.requests(job, workers: w)
            if let p = PlacementPlanner.fewestNodes(ps: r.ps, workers: r.workers, others: r.others, free: free) { return (w, p) }
        }
        return nil
    }

    /// Removes workers from running jobs until `job`'s PS and min workers fit.
    func shrinkFor(_ job: TrainingJob, _ ctx: TrainingContext, _ free: inout [(resources: Resources, slots: Int64)]) {
        let need = ctx.requests(job, workers: job.minWorkers)
        var removals: [ObjectIdentifier: [PodID]] = [:]
        var removable: [TrainingJob] = ctx.active.filter { $0.state == .running }
        var fits = PlacementPlanner.fewestNodes(ps: need.ps, workers: need.workers, others: need.others, free: free) != nil
        while !fits {
            removable.sort { a, b in
                let ea = a.workerPods.count - (removals[ObjectIdentifier(a)]?.count ?? 0) - a.minWorkers
                let eb = b.workerPods.count - (removals[ObjectIdentifier(b)]?.count ?? 0) - b.minWorkers
                return ea != eb ? ea > eb : a.local < b.local
            }
            guard let victim = removable.first else { break }
            let taken = removals[ObjectIdentifier(victim)] ?? []
            let left = victim.workerPods.filter { !taken.contains($0) }
            guard left.count > victim.minWorkers else { break }
            let cluster = ctx.sim.cluster
            let psNodes = Set(victim.psPods.map { cluster.pods[Int($0)].node })
            // Workers away from the job's PS first; among those, the newest.
            let pod = left.last { !psNodes.contains(cluster.pods[Int($0)].node) } ?? left.last!
            removals[ObjectIdentifier(victim), default: []].append(pod)
            let p = cluster.pods[Int(pod)]
            free[Int(p.node)].resources += p.resources.requests
            free[Int(p.node)].slots += 1
            fits = PlacementPlanner.fewestNodes(ps: need.ps, workers: need.workers, others: need.others, free: free) != nil
        }
        guard fits else { return }
        for victim in ctx.active where removals[ObjectIdentifier(victim)] != nil {
            ctx.shrink(victim, remove: removals[ObjectIdentifier(victim)]!)
        }
    }
}
