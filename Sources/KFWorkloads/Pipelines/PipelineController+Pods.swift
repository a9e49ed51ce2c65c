import KFCluster
import KFControlPlane
import KFEngine

extension PipelineController {
    /// Queues the pod of container node `n` of run `r` (its work and fate drawn now).
    func createPod(_ r: Int, _ n: Int, _ sim: ControllerContext) {
        let run = runs[r]
        guard !run.done, case .container(var pod)? = spec.templates[run.nodes[n].template]?.body else { return }
        run.nodes[n].attempts += 1
        // Run, task and item (`fanout-3-train-2`), and the retry (`-r1`).
        pod.name = "\(run.name)-\(run.nodes[n].name)".lowercased().filter { $0 != ")" }.map { $0.isLetter || $0.isNumber ? $0 : "-" }
            .reduce("") { $0 + String($1) } + (run.nodes[n].attempts > 1 ? "-r\(run.nodes[n].attempts - 1)" : "")
        let p = profile(run.nodes[n].template)
        var work: PodWork
        if let split = p.splitWork, let total = run.splitWork[run.nodes[n].template] {
            // The run's work of the step, evenly over the items of its loop, plus each item's own.
            let items = run.iteration(of: n)?.count ?? 1
            work = .cpu(coreSeconds: total / Double(items) + split.perItem, threads: split.threads)
        } else {
            work = p.work.sample(sim.streams.stream("durations/\(name)"))
        }
        if let scale = p.itemScale, let i = run.iteration(of: n)?.item {
            let f: Double
            switch scale {
            case .perItem(let factors): f = factors[i % factors.count]
            case .drawn(let d): f = max(d.sample(sim.streams.stream("items/\(name)")), 0)
            }
            switch work {
            case .duration(let d): work = .duration(d * f)
            case .cpu(let s, let threads): work = .cpu(coreSeconds: s * f, threads: threads)
            case .forever: break
            }
        }
        pod.work = work
        var fail: Double?
        if p.failureProbability > 0, sim.streams.stream("failures/\(name)").uniform() < p.failureProbability {
            // Fails after a uniform fraction of what its work would take (CPU work at its threads).
            let whole: Double
            switch work {
            case .duration(let d): whole = d
            case .cpu(let s, let threads): whole = s / max(threads ?? 1, 1e-3)
            case .forever: whole = 60
            }
            pod.work = .forever
            fail = whole * sim.streams.stream("failures/\(name)").uniform()
        }
        if storage != nil, p.movesData {
            // The controller drives a data-moving pod: download, compute, upload, then it ends.
            let streams = sim.streams.stream("data/\(name)")
            var compute: Double
            switch work {
            case .duration(let d): compute = d
            case .cpu(let s, let threads): compute = s / max(threads ?? 1, 1e-3)
            case .forever: compute = 60
            }
            if let f = fail { compute = f }
            pendingIO[pod.name] = IOState(input: p.inputBytes.sample(streams), output: fail == nil ? p.outputBytes.sample(streams) : 0,
                                          compute: compute, fails: fail != nil, reads: p.reads.map { run.dataset($0) })
            pod.work = .forever
            fail = nil
        }
        wanted[pod.name] = (r, n, fail)
        creator.want(pod, job: run.job)
    }
}
