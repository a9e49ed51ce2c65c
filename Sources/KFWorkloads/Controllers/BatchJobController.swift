import KFCluster
import KFControlPlane
import KFEngine

/// batch/v1 Jobs: each arrival is a Job that runs `completions` pods, at most `parallelism` at a time;
/// refused creations are retried on the Job controller's backoff.
public final class BatchJobController: WorkloadController {
    public let name: String
    let template: PodSpec
    let work: WorkSpec
    let completions: Int
    let parallelism: Int
    let arrivals: ArrivalProcess
    let backoff: RetryBackoff

    struct JobState {
        var id: JobID
        var created = 0
        var active = 0
        var succeeded = 0
        var done = false
    }
    private var creator: PodCreator!
    private var index: Int32 = -1
    private var cursor = ArrivalCursor()
    /// What wakes the controller.
    enum Timer { case arrival, retry }
    var timers = ControllerTimers<Timer>()
    private var jobs: [JobState] = []
    private var stateOfJob = DenseIDMap()
    private var jobOfPod = DenseIDMap()
    private var openJobs = 0

    /// Jobs named `<name>-<i>`; `parallelism` 0 means all `completions` at once.
    public init(name: String, template: PodSpec, work: WorkSpec, completions: Int, parallelism: Int,
                arrivals: ArrivalProcess, backoff: RetryBackoff = .job) {
        self.name = name
        self.template = template
        self.work = work
        self.completions = completions
        self.parallelism = parallelism
        self.arrivals = arrivals
        self.backoff = backoff
    }

    public func start(in sim: ControllerContext) {
        index = sim.index(of: self)
        timers.owner = index
        creator = PodCreator(owner: self, index: index, timers: \.timers, retry: .retry, backoff: backoff, in: sim)
        cursor.start(arrivals.times(sim.streams.stream("arrivals/\(name)")), timers: &timers, arrival: .arrival, in: sim)
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        if case .arrival? = timers.fired(timer) {
            let due = cursor.due(timers: &timers, arrival: .arrival, in: sim)
            for i in due {
                let id = sim.submitJob(name: "\(name)-\(i)", kind: "Job", namespace: template.namespace)
                stateOfJob[id] = Int32(jobs.count)
                jobs.append(JobState(id: id))
                openJobs += 1
                sync(jobs.count - 1, sim)
            }
        }
        flush(sim)
    }

    /// Queues as many pods as parallelism and remaining completions allow.
    private func sync(_ j: Int, _ sim: ControllerContext) {
        let cap = parallelism == 0 ? completions : parallelism
        let durations = sim.streams.stream("durations/\(name)")
        while !jobs[j].done && jobs[j].active < cap && jobs[j].succeeded + jobs[j].active < completions {
            var spec = template
            spec.name = "\(sim.jobs[Int(jobs[j].id)].name)-\(jobs[j].created)"
            spec.work = work.sample(durations)
            creator.want(spec, job: jobs[j].id)
            jobs[j].created += 1
            jobs[j].active += 1
        }
    }

    private func flush(_ sim: ControllerContext) {
        creator.flush(in: sim, onCreated: { pod, job in
            jobOfPod[pod] = stateOfJob[job]!
        }, onRejected: { job, _ in
            guard let j = stateOfJob[job].map(Int.init), !jobs[j].done else { return }
            jobs[j].done = true
            openJobs -= 1
            creator.cancel(job: job)
            sim.finishJob(job, succeeded: false)
        })
    }

    public func podEnded(_ pod: PodID, termination: PodTermination, in sim: ControllerContext) {
        let succeeded = termination == .succeeded
        if let j = jobOfPod.removeValue(forKey: pod).map(Int.init), !jobs[j].done {
            jobs[j].active -= 1
            if succeeded { jobs[j].succeeded += 1 }
            if jobs[j].succeeded >= completions {
                jobs[j].done = true
                openJobs -= 1
                sim.finishJob(jobs[j].id, succeeded: true)
            } else {
                sync(j, sim)
            }
        }
        flush(sim)
    }

    public var isDone: Bool { cursor.exhausted && openJobs == 0 }

    /// Each Job's completions (pods that fail and are replaced come on top).
    public var plannedPods: Int { cursor.times.count * completions }
    public var plannedJobs: Int { cursor.times.count }
    public var waitingCreations: Int { creator?.waiting ?? 0 }
    public func uncreatedPods() -> [UncreatedPod] { creator?.uncreated() ?? [] }
}
