import KFCluster
import KFControlPlane
import KFEngine

/// The progress of every training job of a run, in one place because their transfers share the NICs:
/// after any pod starts or ends it recomputes, once per instant, each job's iteration (`IterationPlan`:
/// parameter servers or allreduce, from its workers' CPU or GPU shares and placement), its speed under
/// the phased network model (`PhasedNetwork`: flows exist while they transfer) or the continuous one
/// (every flow always on, max-min fair), the job's progress and completion time, and the duty cycles
/// that make used CPU (and GPU) differ from allocated.
public final class TrainingRuntime: SystemController {
    public let name = "training-runtime"
    private(set) var index: Int32 = -1
    /// All training jobs of the run, in submission order.
    public private(set) var jobs: [TrainingJob] = []
    /// Every change of a job's training speed: (time, job index in `jobs`, iterations per second, workers).
    public private(set) var timeline: [(time: SimTime, job: Int, rate: Double, workers: Int)] = []
    private var indexOf: [ObjectIdentifier: Int] = [:]
    private var queued = false
    private var live = 0
    private var lastRunning: [ObjectIdentifier] = []
    private var lastSignature: [Double] = []
    /// The phased groups measured at the last recomputation (reused while their plans stand).
    var phasedCache: [[ObjectIdentifier]: PhasedGroup] = [:]
    /// Each job's view for the averaged model, with the plan it was made from.
    var averagedViews: [ObjectIdentifier: (plan: IterationPlan, view: AveragedView)] = [:]
    /// GPU models by node, as looked up.
    var gpuModels: [Int32: GPUModel?] = [:]

    /// What wakes the runtime: a recomputation asked for now, or a paused job resuming.
    enum Timer { case recompute, resume }
    private var timers = ControllerTimers<Timer>()

    /// The run's runtime (made, registered and subscribed to pod events on first use).
    public static func shared(in sim: ControllerContext) -> TrainingRuntime {
        sim.service(TrainingRuntime.self) {
            let runtime = TrainingRuntime()
            runtime.index = sim.add(system: runtime)
            runtime.timers.owner = runtime.index
            sim.observePods { [unowned runtime, unowned sim] _ in runtime.markDirty(sim) }
            return runtime
        }
    }

    func register(_ job: TrainingJob) {
        indexOf[ObjectIdentifier(job)] = jobs.count
        jobs.append(job)
        live += 1
    }

    func retire(_ job: TrainingJob, at now: SimTime) {
        live -= 1
        averagedViews[ObjectIdentifier(job)] = nil
        timeline.append((now, indexOf[ObjectIdentifier(job)]!, 0, 0))
    }

    /// Asks for a recomputation at the current instant (once, however often it is asked).
    func markDirty(_ sim: ControllerContext) {
        guard !queued, live > 0 else { return }
        queued = true
        timers.set(.recompute, at: sim.now, in: sim)
    }

    public func start(in sim: ControllerContext) {}
    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        if case .recompute? = timers.fired(timer) { queued = false }
        recompute(sim)
    }

    // MARK: - Progress

    /// Brings a running job's progress up to `now` at its current rate.
    func advance(_ job: TrainingJob, to now: SimTime) {
        let from = max(job.lastUpdate, job.resumeAt)
        if job.state == .running && now > from && job.rate > 0 {
            let seconds = Clock.seconds(now - from)
            let done = min(job.rate * seconds, job.remaining)
            job.iterationsDone += done
            job.crossNodeBytes += done * job.crossBytesPerIteration
            job.trainingSeconds += seconds
            job.gpuBusySeconds += seconds * job.gpuDuty
        }
        job.lastUpdate = now
    }

    func recompute(_ sim: ControllerContext) {
        let now = sim.now
        let cluster = sim.cluster
        for job in jobs where job.state == .running { advance(job, to: now) }
        startJobsWhosePodsAllRun(sim)
        let running = jobs.filter { $0.state == .running }
        // Nothing to redo when no job changed state, size or pause and no worker's CPU share moved.
        let signature = running.map { job in
            job.workerPods.reduce(Double(job.version) * 1e9 + Double(job.workerPods.count) * 1e6 + Double(job.psPods.count)
                                  + (job.resumeAt > now ? 0.5 : 0)) {
                $0 + cluster.pods[Int($1)].rate
            }
        }
        let ids = running.map { ObjectIdentifier($0) }
        if ids == lastRunning && signature == lastSignature { return }
        lastRunning = ids
        lastSignature = signature
        let plans = running.map { plan(for: $0, cluster) }
        // Continuous jobs (and Optimus's analytic speed): every running job's flows on the NICs at once.
        let isContinuous = running.map { $0.spec.network == .continuous || $0.spec.profile.optimusTheta != nil }
        let continuous = running.indices.filter { isContinuous[$0] }
        if !continuous.isEmpty {
            let network = cluster.network
            let rates = network.rates(plans.flatMap(\.flows))
            var offset = 0
            var offsets: [Int] = []
            for p in plans { offsets.append(offset); offset += p.flows.count }
            for k in continuous {
                let slice = Array(rates[offsets[k]..<(offsets[k] + plans[k].flows.count)])
                updateContinuous(running[k], plans[k], slice, sim)
            }
        }
        let phased = running.indices.filter { !isContinuous[$0] }
        if !phased.isEmpty {
            let background = continuous.flatMap { plans[$0].flows }
            for (k, outcome) in phasedOutcomes(running, plans, phased, background: background, cluster) {
                if let outcome {
                    update(running[k], rate: outcome.rate, workerDuty: outcome.computeShare, psDuty: outcome.transferShare,
                           crossBytes: plans[k].crossBytes, sim)
                } else {
                    // Too little progress to measure (a worker without CPU): price it as the continuous model does.
                    let network = cluster.network
                    updateContinuous(running[k], plans[k], Array(network.rates(background + plans[k].flows).suffix(plans[k].flows.count)), sim)
                }
            }
        }
    }

    /// Jobs whose pods are all created and running start training (after a pending pause); pods of jobs
    /// not training (starting, holding part of their pods, or deadlocked) are idle.
    func startJobsWhosePodsAllRun(_ sim: ControllerContext) {
        let now = sim.now
        let cluster = sim.cluster
        for job in jobs where job.state == .starting && job.pendingCreations == 0 && !job.pods.isEmpty
            && job.pods.allSatisfy({ cluster.pods[Int($0)].phase == .running }) {
            job.state = .running
            job.lastUpdate = now
            if job.trainingStartedAt < 0 { job.trainingStartedAt = now }
            if job.pendingPause > 0 {
                job.resumeAt = now + job.pendingPause
                job.pendingPause = 0
            }
        }
        for job in jobs where job.state == .starting {
            for pod in job.pods where cluster.pods[Int(pod)].phase == .running { cluster.setDuty(pod, 0) }
        }
    }

    /// A running job priced by the continuous model: its iteration from its flows' rates.
    func updateContinuous(_ job: TrainingJob, _ plan: IterationPlan, _ rates: [Double], _ sim: ControllerContext) {
        let profile = job.spec.profile
        let iterations = plan.continuousIterations(rates)
        var rate = PSIterationModel.iterationsPerSecond(synchronous: plan.synchronous, iterations)
        if let theta = profile.optimusTheta {
            rate = PSIterationModel.optimusSpeed(profile, theta: theta, ps: job.psPods.count, workers: job.workerPods.count)
        }
        // Duty cycles: a worker computes for its compute time per iteration; a PS serves transfers.
        let period = plan.synchronous ? (iterations.map(\.total).max() ?? 0) : 0
        let duty = iterations.map { it -> Double in
            let t = plan.synchronous ? period : it.total
            return t > 0 && t.isFinite ? it.compute / t : 0
        }
        let meanComm = iterations.isEmpty ? 0 : iterations.map(\.communication).reduce(0, +) / Double(iterations.count)
        let psDuty = period > 0 && period.isFinite ? min(1, meanComm / period) : 0
        update(job, rate: rate, workerDuty: duty, psDuty: psDuty, crossBytes: plan.crossBytes, sim)
    }

    /// A running job's speed and duty cycles; its projected completion when the speed changed. A job
    /// paused for a checkpoint-restart computes nothing until it resumes.
    func update(_ job: TrainingJob, rate: Double, workerDuty: [Double], psDuty: Double, crossBytes: Double, _ sim: ControllerContext) {
        let now = sim.now
        let cluster = sim.cluster
        job.crossBytesPerIteration = crossBytes
        let paused = job.resumeAt > now
        if paused { timers.set(.resume, at: job.resumeAt, in: sim) }
        var gpus = 0.0
        for (i, w) in job.workerPods.enumerated() {
            let d = paused || i >= workerDuty.count ? 0 : workerDuty[i]
            cluster.setDuty(w, d)
            gpus += Double(cluster.pods[Int(w)].resources.requests.gpu) * d
        }
        job.gpuDuty = gpus
        for ps in job.psPods { cluster.setDuty(ps, paused ? 0 : psDuty) }
        if rate != job.rate || job.scheduledVersion != job.version {
            if rate != job.rate { timeline.append((now, indexOf[ObjectIdentifier(job)]!, rate, job.workerPods.count)) }
            job.rate = rate
            job.version += 1
            job.scheduledVersion = job.version
            if rate > 0 {
                let at = max(now, job.resumeAt) + Clock.micros(seconds: job.remaining / rate)
                (sim.owner(at: job.controller) as! TrainingJobOwner).expectCompletion(of: job, at: at, in: sim)
            }
        }
    }
}

/// A controller whose training jobs the runtime advances: it hears when a job should be done.
protocol TrainingJobOwner: WorkloadController {
    /// `job`, at its current rate, finishes at `time` (superseding earlier expectations).
    func expectCompletion(of job: TrainingJob, at time: SimTime, in sim: ControllerContext)
}
