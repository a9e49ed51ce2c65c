import KFCluster
import KFControlPlane
import KFEngine

/// A Kubeflow Pipelines run with a ParallelFor fan-out: CPU work `totalWork` (core-seconds) split over
/// `containers` pods (each `totalWork / containers + perContainerWork`), at most `parallelism` at once
/// (0: unlimited), then a join step. Quota refusals are requeued (Argo treats them as transient).
public final class ParallelForController: WorkloadController {
    public let name: String
    let template: PodSpec
    let containers: Int
    let parallelism: Int
    let totalWork: Distribution
    let perContainerWork: Double
    let threads: Double?
    let joinWork: Double
    let stepLatency: Distribution
    let arrivals: ArrivalProcess
    let backoff: RetryBackoff

    struct RunState {
        var id: JobID
        var workPerContainer: Double
        var created = 0
        var active = 0
        var succeeded = 0
        var joinCreated = false
        var done = false
    }
    /// What wakes the controller.
    enum Timer { case arrival, stepReady, retry }
    var timers = ControllerTimers<Timer>()

    private var creator: PodCreator!
    private var index: Int32 = -1
    private var cursor = ArrivalCursor()
    private var runs: [RunState] = []
    private var runOfJob: [JobID: Int] = [:]
    private var runOfPod: [PodID: (run: Int, join: Bool)] = [:]
    private var readyQueue: [(at: SimTime, run: Int)] = []
    private var openRuns = 0

    /// A pipeline workload.
    public init(name: String, template: PodSpec, containers: Int, parallelism: Int, totalWork: Distribution,
                perContainerWork: Double, threads: Double?, joinWork: Double, stepLatency: Distribution,
                arrivals: ArrivalProcess, backoff: RetryBackoff = .controllerRuntime) {
        self.name = name
        self.template = template
        self.containers = containers
        self.parallelism = parallelism
        self.totalWork = totalWork
        self.perContainerWork = perContainerWork
        self.threads = threads
        self.joinWork = joinWork
        self.stepLatency = stepLatency
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
        switch timers.fired(timer) {
        case .arrival?:
            let workStream = sim.streams.stream("durations/\(name)")
            let due = cursor.due(timers: &timers, arrival: .arrival, in: sim)
            for i in due {
                let id = sim.submitJob(name: "\(name)-\(i)", kind: "ParallelFor", namespace: template.namespace)
                let w = totalWork.sample(workStream)
                runOfJob[id] = runs.count
                runs.append(RunState(id: id, workPerContainer: w / Double(containers) + perContainerWork))
                openRuns += 1
                stepReady(runs.count - 1, sim)
            }
        case .stepReady?:
            while let first = readyQueue.first, first.at <= sim.now {
                readyQueue.removeFirst()
                sync(first.run, sim)
            }
        default:
            break
        }
        flush(sim)
    }

    /// The run's next step becomes ready after the step latency (the workflow controller's reaction time).
    private func stepReady(_ r: Int, _ sim: ControllerContext) {
        let delay = stepLatency.sample(sim.streams.stream("steps/\(name)"))
        let at = sim.now + Clock.micros(seconds: delay)
        if at <= sim.now {
            sync(r, sim)
        } else {
            readyQueue.append((at, r))
            readyQueue.sort { $0.at != $1.at ? $0.at < $1.at : $0.run < $1.run }
            timers.set(.stepReady, at: at, in: sim)
        }
    }

    private func sync(_ r: Int, _ sim: ControllerContext) {
        guard !runs[r].done else { return }
        let runName = sim.jobs[Int(runs[r].id)].name
        if runs[r].succeeded >= containers {
            guard !runs[r].joinCreated else { return }
            runs[r].joinCreated = true
            var spec = template
            spec.name = "\(runName)-join"
            spec.work = .cpu(coreSeconds: joinWork, threads: threads)
            creator.want(spec, job: runs[r].id)
            return
        }
        let cap = parallelism == 0 ? containers : parallelism
        while runs[r].active < cap && runs[r].created < containers {
            var spec = template
            spec.name = "\(runName)-for-\(runs[r].created)"
            spec.work = .cpu(coreSeconds: runs[r].workPerContainer, threads: threads)
            creator.want(spec, job: runs[r].id)
            runs[r].created += 1
            runs[r].active += 1
        }
    }

    private func flush(_ sim: ControllerContext) {
        creator.flush(in: sim, onCreated: { pod, job in
            let r = runOfJob[job]!
            runOfPod[pod] = (r, runs[r].joinCreated)
        }, onRejected: { job, _ in
            guard let r = runOfJob[job], !runs[r].done else { return }
            runs[r].done = true
            openRuns -= 1
            creator.cancel(job: job)
            sim.finishJob(job, succeeded: false)
        })
    }

    public func podEnded(_ pod: PodID, termination: PodTermination, in sim: ControllerContext) {
        let succeeded = termination == .succeeded
        if let (r, isJoin) = runOfPod.removeValue(forKey: pod), !runs[r].done {
            if isJoin {
                runs[r].done = true
                openRuns -= 1
                sim.finishJob(runs[r].id, succeeded: succeeded)
            } else {
                runs[r].active -= 1
                if succeeded { runs[r].succeeded += 1 } else { runs[r].created -= 1 }
                if runs[r].succeeded >= containers { stepReady(r, sim) } else { sync(r, sim) }
            }
        }
        flush(sim)
    }

    public var isDone: Bool { cursor.exhausted && openRuns == 0 }
    public var waitingCreations: Int { creator?.waiting ?? 0 }
    public func uncreatedPods() -> [UncreatedPod] { creator?.uncreated() ?? [] }
}
