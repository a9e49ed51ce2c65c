import Foundation
import KFCluster
import KFControlPlane
import KFEngine

/// Katib's experiment controller, per arrival one experiment: `parallelTrialCount` trials at a time (the
/// template's pods: a Job's one pod, a training job's replicas; a trial runs once all its pods do) until `maxTrialCount` (or the grid) is used up, the goal is reached or too many
/// trials failed. A running trial reports its metric `steps` times; the median stopping rule (Katib's
/// medianstop) stops it at a report from `start_step` on when, with at least `min_trials_required`
/// trials succeeded, its best value so far is worse than the median of those trials' running averages
/// up to that step. When the experiment ends its running trials are killed.
public final class KatibController: WorkloadController {
    public let name: String
    let spec: ExperimentSpec
    let profile: TrialProfile
    let arrivals: ArrivalProcess
    let namespace: String

    /// One trial and what happened to it.
    public struct Trial: Sendable {
        public var experiment: Int
        public var index: Int
        public var final: Double
        /// The trial's pods, as they are created.
        public var pods: [PodID] = []
        var runningPods = 0
        public var started: SimTime = -1, finished: SimTime = -1
        public var step = 0
        /// Metric reports so far.
        public var values: [Double] = []
        /// `running`, `succeeded`, `earlyStopped`, `failed`, `killed`.
        public var state = "pending"
        var failAt: Int?
        var stepTime: SimTime = 0
    }
    /// One experiment: its job, trials created, and how it ended.
    struct Run {
        var job: JobID
        var created = 0, running = 0, failed = 0
        var done = false
        var best: Double?
    }

    enum Timer { case arrival, retry, step(Int) }
    var timers = ControllerTimers<Timer>()
    var creator: PodCreator!
    var cursor = ArrivalCursor()
    var runs: [Run] = []
    public private(set) var trials: [Trial] = []
    var trialOfPod: [PodID: Int] = [:]
    var wanted: [String: Int] = [:]
    var openRuns = 0

    /// A Katib workload.
    public init(name: String, spec: ExperimentSpec, profile: TrialProfile, arrivals: ArrivalProcess, namespace: String) {
        self.name = name
        self.spec = spec
        self.profile = profile
        self.arrivals = arrivals
        self.namespace = namespace
    }

    public func start(in sim: ControllerContext) {
        let index = sim.index(of: self)
        timers.owner = index
        creator = PodCreator(owner: self, index: index, timers: \.timers, retry: .retry, backoff: .controllerRuntime, in: sim)
        sim.service(KatibRecords.self) { KatibRecords() }.controllers.append(self)
        sim.observePods { [unowned self, unowned sim] pod in
            guard let t = trialOfPod[pod], sim.cluster.pods[Int(pod)].phase == .running, trials[t].started < 0 else { return }
            trials[t].runningPods += 1
            guard trials[t].runningPods == spec.trialPods.count else { return }
            trials[t].started = sim.now
            trials[t].state = "running"
            timers.set(.step(t), at: sim.now + trials[t].stepTime, in: sim)
        }
        cursor.start(arrivals.times(sim.streams.stream("arrivals/\(name)")), timers: &timers, arrival: .arrival, in: sim)
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        switch timers.fired(timer) {
        case .arrival?:
            for i in cursor.due(timers: &timers, arrival: .arrival, in: sim) {
                let job = sim.submitJob(name: "\(name)-\(i)", kind: "Experiment", namespace: namespace)
                runs.append(Run(job: job))
                openRuns += 1
                launch(runs.count - 1, sim)
            }
        case .step(let t)?:
            report(t, sim)
        default:
            break
        }
        flush(sim)
    }

    /// Creates trials while the experiment has room for them.
    func launch(_ r: Int, _ sim: ControllerContext) {
        while !runs[r].done && runs[r].running < spec.parallelTrialCount && runs[r].created < spec.trialLimit {
            let k = runs[r].created
            runs[r].created += 1
            runs[r].running += 1
            let objectives = sim.streams.stream("objectives/\(name)")
            var trial = Trial(experiment: r, index: k, final: profile.objective.sample(objectives))
            let duration = profile.duration.sample(sim.streams.stream("durations/\(name)"))
            trial.stepTime = max(1, Clock.micros(seconds: duration / Double(profile.steps)))
            if profile.failureProbability > 0, sim.streams.stream("failures/\(name)").uniform() < profile.failureProbability {
                trial.failAt = 1 + sim.streams.stream("failures/\(name)").uniformInt(below: profile.steps)
            }
            trials.append(trial)
            for var pod in spec.trialPods {
                let base = "\(sim.jobs[Int(runs[r].job)].name)-trial-\(k)"
                pod.name = pod.name.isEmpty ? base : "\(base)-\(pod.name)"
                pod.work = .forever
                wanted[pod.name] = trials.count - 1
                creator.want(pod, job: runs[r].job)
            }
        }
        if !runs[r].done && runs[r].running == 0 && runs[r].created >= spec.trialLimit { end(r, succeeded: runs[r].failed < runs[r].created, sim) }
    }

    func flush(_ sim: ControllerContext) {
        creator.flush(in: sim, onCreated: { pod, _ in
            guard let t = wanted.removeValue(forKey: sim.cluster.pods[Int(pod)].spec.name) else { return }
            trials[t].pods.append(pod)
            if trials[t].state == "pending" || trials[t].state == "running" {
                trialOfPod[pod] = t
            } else {
                // The trial ended before this pod of it was created (another pod of it failed).
                sim.deletePod(pod, reason: "trial \(trials[t].state)")
            }
        }, onRejected: { [unowned self] job, _ in
            guard let r = runs.firstIndex(where: { $0.job == job }), !runs[r].done else { return }
            end(r, succeeded: false, sim)
        })
    }

    /// Trial `t` reports its metric for the next step: it fails, is stopped early, finishes or goes on.
    func report(_ t: Int, _ sim: ControllerContext) {
        guard trials[t].state == "running", !runs[trials[t].experiment].done else { return }
        trials[t].step += 1
        let k = trials[t].step
        if let f = trials[t].failAt, k >= f {
            finish(t, "failed", sim)
            return
        }
        trials[t].values.append(profile.value(final: trials[t].final, step: k))
        if k >= profile.steps {
            finish(t, "succeeded", sim)
        } else if shouldStop(t) {
            finish(t, "earlyStopped", sim)
        } else {
            timers.set(.step(t), at: sim.now + trials[t].stepTime, in: sim)
        }
    }

    /// Katib's median stopping rule at the trial's current step.
    func shouldStop(_ t: Int) -> Bool {
        guard let rule = spec.medianStop, trials[t].step >= rule.startStep else { return false }
        let s = trials[t].step, r = trials[t].experiment
        let completed = trials.filter { $0.experiment == r && $0.state == "succeeded" }
        guard completed.count >= rule.minTrials else { return false }
        let averages = completed.map { c in c.values.prefix(s).reduce(0, +) / Double(min(s, c.values.count)) }.sorted()
        let n = averages.count
        let median = n % 2 == 1 ? averages[n / 2] : (averages[n / 2 - 1] + averages[n / 2]) / 2
        let best = spec.maximize ? trials[t].values.max()! : trials[t].values.min()!
        return spec.maximize ? best < median : best > median
    }

    /// Trial `t` ends in `state`: its pod ends; the experiment may reach its goal, fail, or start more.
    func finish(_ t: Int, _ state: String, _ sim: ControllerContext) {
        let r = trials[t].experiment
        trials[t].state = state
        trials[t].finished = sim.now
        runs[r].running -= 1
        if state == "failed" { runs[r].failed += 1 }
        if state == "succeeded", let v = trials[t].values.last {
            runs[r].best = runs[r].best.map { spec.maximize ? max($0, v) : min($0, v) } ?? v
        }
        for pod in trials[t].pods {
            trialOfPod[pod] = nil
            if !sim.cluster.pods[Int(pod)].phase.isTerminal { sim.completePod(pod, succeeded: state != "failed") }
        }
        if let goal = spec.goal, let best = runs[r].best, spec.maximize ? best >= goal : best <= goal {
            end(r, succeeded: true, sim)
        } else if let limit = spec.maxFailedTrialCount, runs[r].failed > limit {
            end(r, succeeded: false, sim)
        } else {
            launch(r, sim)
        }
    }

    /// The experiment ends: running trials are killed.
    func end(_ r: Int, succeeded: Bool, _ sim: ControllerContext) {
        guard !runs[r].done else { return }
        runs[r].done = true
        openRuns -= 1
        for t in trials.indices where trials[t].experiment == r && (trials[t].state == "running" || trials[t].state == "pending") {
            trials[t].state = "killed"
            trials[t].finished = sim.now
            for pod in trials[t].pods {
                trialOfPod[pod] = nil
                if !sim.cluster.pods[Int(pod)].phase.isTerminal { sim.deletePod(pod, reason: "experiment finished") }
            }
        }
        creator.cancel(job: runs[r].job)
        sim.finishJob(runs[r].job, succeeded: succeeded)
    }

    public func podEnded(_ pod: PodID, termination: PodTermination, in sim: ControllerContext) {
        if let t = trialOfPod.removeValue(forKey: pod), trials[t].state == "running" || trials[t].state == "pending" {
            // The pod ended on its own (evicted, deleted): the trial failed.
            finish(t, "failed", sim)
        }
        flush(sim)
    }

    public var isDone: Bool { cursor.exhausted && openRuns == 0 }
    public var waitingCreations: Int { creator?.waiting ?? 0 }
    public func uncreatedPods() -> [UncreatedPod] { creator?.uncreated() ?? [] }
}

/// The Katib controllers of a run (read by the reporter).
public final class KatibRecords {
    var controllers: [KatibController] = []
    init() {}
}
