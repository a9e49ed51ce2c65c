import KFCluster
import KFConfig
import KFControlPlane
import KFEngine

/// The dynamic resource adjustment operator (seed paper 2; rules of DRAGON, CLOSER 2019): each job has
/// min and max workers; PS pods are never removed.
/// 1. When the oldest waiting job has waited `shrinkAfter` (30 s), running jobs give up workers (not
///    below min, workers away from their PS first, the job with most workers above min first) until the
///    waiting job's PS and min workers fit.
/// 2. Waiting jobs start in FIFO order when their PS and min workers fit (as many workers as fit, up to
///    the manifest's replicas), the whole job on one node if possible, else on the fewest nodes.
/// 3. When nothing has changed for `growAfter` (60 s) and no job waits, running jobs grow toward max
///    on their PS's node (where a new worker adds compute without adding cross-node transfers), when
///    the PS model says the time saved on what is left exceeds the restart pause.
/// Every rescale costs the job a checkpoint-restart pause.
public final class AutoscalingTrainingPolicy: TrainingPolicy {
    public let name = "autoscaling"
    let shrinkAfter: SimTime
    let growAfter: SimTime

    /// The policy with its waits (seconds).
    public init(shrinkAfter: Double = 30, growAfter: Double = 60) {
        self.shrinkAfter = Clock.micros(seconds: shrinkAfter)
        self.growAfter = Clock.micros(seconds: growAfter)
    }

    /// `autoscaling`, with parameters `shrinkAfter` (default 30 s) and `growAfter` (default 60 s).
    public static let kind = TrainingPolicyKind(name: "autoscaling", parameters: ["shrinkAfter", "growAfter"]) {
        (m: ConfigMap?) throws(ConfigError) in
        let shrink = try m?["shrinkAfter"]?.seconds(minimum: 0) ?? 30
        let grow = try m?["growAfter"]?.seconds(minimum: 0) ?? 60
        return { AutoscalingTrainingPolicy(shrinkAfter: shrink, growAfter: grow) }
    }

    public func decide(_ ctx: TrainingContext) {
        var free = ctx.free()
        // Rule 2: FIFO starts, each job on one node with as many workers as fit there.
        for job in ctx.waiting {
            guard let (w, p) = singleNodeStart(job, ctx, free) ?? multiNodeStartIfTooBig(job, ctx, free) else { break }
            reserve(p, ctx.requests(job, workers: w), &free)
            ctx.start(job, workers: w, placement: p)
        }
        // Rule 1: make room on one node for the oldest waiting job by shrinking the jobs there.
        if let oldest = ctx.waiting.first, ctx.now - oldest.submittedAt >= shrinkAfter, shrinkFor(oldest, ctx, &free),
           let (w, p) = singleNodeStart(oldest, ctx, free) {
            reserve(p, ctx.requests(oldest, workers: w), &free)
            ctx.start(oldest, workers: w, placement: p)
        }
        // Rule 3: grow into idle resources, next to the job's PS (a worker across nodes would cost more in
        // transfers than it adds in compute), when the job has enough left to repay the restart pause.
        if ctx.waiting.isEmpty && ctx.now - ctx.lastChange >= growAfter {
            for job in ctx.active where job.state == .running && job.targetWorkers < job.maxWorkers && job.rate > 0 {
                let worker = ctx.requests(job, workers: 1).workers.first ?? .zero
                var psNodes: [Int] = []
                for p in job.psPods where !psNodes.contains(Int(ctx.sim.cluster.pods[Int(p)].node)) {
                    psNodes.append(Int(ctx.sim.cluster.pods[Int(p)].node))
                }
                var nodes: [Int32] = []
                while job.targetWorkers + nodes.count < job.maxWorkers {
                    guard let n = psNodes.first(where: { PlacementPlanner.fits(worker, free[$0]) }) else { break }
                    PlacementPlanner.take(worker, &free[n])
                    nodes.append(Int32(n))
                }
                guard !nodes.isEmpty else { continue }
                // Grow only if the model says the job gets faster (more workers can also mean more transfers).
                let cluster = ctx.sim.cluster
                let now = Placement(ps: job.psPods.map { cluster.pods[Int($0)].node }, workers: job.workerPods.map { cluster.pods[Int($0)].node }, others: [])
                let grown = Placement(ps: now.ps, workers: now.workers + nodes, others: [])
                // Worth it only if the time saved exceeds the restart pause (plus a few seconds of start-up).
                let before = ctx.estimatedRate(job, now), after = ctx.estimatedRate(job, grown)
                let saved = before > 0 && after > 0 ? job.remaining / before - job.remaining / after : 0
                guard saved > ctx.checkpointRestartSeconds + 5 else {
                    for n in nodes { free[Int(n)].resources += worker; free[Int(n)].slots += 1 }
                    continue
                }
                ctx.grow(job, nodes: nodes)
            }
        }
    }

    /// The job on a single node with the most workers (the manifest's replicas down to min) that fit
    /// on any node, on the fullest node where they fit.
    func singleNodeStart(_ job: TrainingJob, _ ctx: TrainingContext, _ free: [(resources: Resources, slots: Int64)]) -> (Int, Placement)? {
        for w in stride(from: max(job.targetWorkers, job.minWorkers), through: job.minWorkers, by: -1) {
            let r = ctx.requests(job, workers: w)
            guard let n = bestFit(r.ps + r.workers + r.others, free) else { continue }
            let node = Int32(n)
            return (w, Placement(ps: r.ps.map { _ in node }, workers: r.workers.map { _ in node }, others: r.others.map { _ in node }))
        }
        return nil
    }

    /// A job whose PS and min workers exceed every node goes on the fewest nodes.
    func multiNodeStartIfTooBig(_ job: TrainingJob, _ ctx: TrainingContext, _ free: [(resources: Resources, slots: Int64)]) -> (Int, Placement)? {
        let r = ctx.requests(job, workers: job.minWorkers)
        let total = (r.ps + r.workers + r.others).reduce(Resources.zero, +)
        guard !ctx.sim.cluster.nodes.contains(where: { total.fits(in: $0.spec.allocatable) }) else { return nil }
        let full = ctx.requests(job, workers: job.targetWorkers)
        return PlacementPlanner.fewestNodes(ps: full.ps, workers: full.workers, others: full.others, free: free).map { (job.targetWorkers, $0) }
    }

    /// The node with the least free CPU that holds all of `pods`.
    func bestFit(_ pods: [Resources], _ free: [(resources: Resources, slots: Int64)]) -> Int? {
        let total = pods.reduce(Resources.zero, +)
        var best: Int?
        for (n, f) in free.enumerated() where f.slots >= Int64(pods.count) && total.fits(in: f.resources) {
            if best == nil || f.resources.cpu < free[best!].resources.cpu { best = n }
        }
        return best
    }

    /// Shrinks running jobs on one node (the one needing the fewest removals; workers not below each
    /// job's min) so that `job`'s PS and min workers fit there. Returns whether it did.
    func shrinkFor(_ job: TrainingJob, _ ctx: TrainingContext, _ free: inout [(resources: Resources, slots: Int64)]) -> Bool {
        let need = ctx.requests(job, workers: job.minWorkers)
        let pods = need.ps + need.workers + need.others
        let total = pods.reduce(Resources.zero, +)
        let cluster = ctx.sim.cluster
        var best: (node: Int, removals: [(TrainingJob, PodID)])?
        for n in free.indices {
            var room = free[n]
            var removals: [(TrainingJob, PodID)] = []
            // Candidates: workers on n of running jobs above their min, the job with most spare first.
            var spare: [(TrainingJob, [PodID])] = ctx.active.filter { $0.state == .running }.map { j in
                (j, j.resizableWorkers(cluster).filter { cluster.pods[Int($0)].node == Int32(n) })
            }
            while !(room.slots >= Int64(pods.count) && total.fits(in: room.resources)) {
                spare.sort { a, b in
                    let ea = a.0.resizableWorkers(cluster).count - removals.filter { $0.0 === a.0 }.count - a.0.minWorkers
                    let eb = b.0.resizableWorkers(cluster).count - removals.filter { $0.0 === b.0 }.count - b.0.minWorkers
                    return ea != eb ? ea > eb : a.0.local < b.0.local
                }
                guard let k = spare.firstIndex(where: { entry in
                    !entry.1.isEmpty && entry.0.resizableWorkers(cluster).count - removals.filter { $0.0 === entry.0 }.count > entry.0.minWorkers
                }) else { break }
                let pod = spare[k].1.removeLast()
                removals.append((spare[k].0, pod))
                room.resources += cluster.pods[Int(pod)].resources.requests
                room.slots += 1
            }
            guard room.slots >= Int64(pods.count) && total.fits(in: room.resources) else { continue }
            if best == nil || removals.count < best!.removals.count { best = (n, removals) }
        }
        guard let plan = best else { return false }
        for job in ctx.active {
            let mine = plan.removals.filter { $0.0 === job }.map(\.1)
            if mine.isEmpty { continue }
            for pod in mine {
                free[plan.node].resources += cluster.pods[Int(pod)].resources.requests
                free[plan.node].slots += 1
            }
            ctx.shrink(job, remove: mine)
        }
        return true
    }
}
