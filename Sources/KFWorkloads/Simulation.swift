import HeapModule
import KFCluster
import KFEngine
import KFScheduler

/// The one owner of a run's mutable state: the clock, the event queue, the cluster, the scheduler and
/// its queue, the controllers and the records they produce.
public final class Simulation: SchedulerHost {
    /// The engine: clock, event queue and stop policy.
    public let engine: Engine<SimEvent>
    /// Current simulated time.
    public var now: SimTime { engine.now }
    /// The cluster.
    public let cluster: ClusterState
    /// The scheduler.
    public let scheduler: Scheduler
    /// Named random streams.
    public let streams: RandomStreams
    /// Run settings.
    public let options: SimulationOptions
    /// Controllers, by index.
    public private(set) var controllers: [WorkloadController] = []
    /// Jobs, by `JobID`.
    public private(set) var jobs: [JobRecord] = []
    /// Time-series samples.
    public private(set) var samples: [Sample] = []
    /// Events handled (stale ones excluded).
    public private(set) var eventCount = 0
    /// Why the run ended (after `run()`).
    public private(set) var stopReason: StopReason = .completed
    /// Time-weighted utilisation accumulator.
    public private(set) var utilization = UtilizationIntegral()

    let latencyStream: RandomStream

    private var services: [ObjectIdentifier: AnyObject] = [:]
    private var podObservers: [(PodID) -> Void] = []

    /// A simulation of `cluster` scheduled by `scheduler`.
    public init(cluster: ClusterState, scheduler: Scheduler, streams: RandomStreams, options: SimulationOptions) {
        self.cluster = cluster
        self.scheduler = scheduler
        self.streams = streams
        self.options = options
        self.latencyStream = streams.stream("latencies")
        self.engine = Engine(policy: StopPolicy(horizon: options.horizon, stallWindow: options.stallWindow))
        scheduler.attach(to: self)
    }

    /// Adds a controller; returns its index.
    @discardableResult
    public func add(_ controller: WorkloadController) -> Int32 {
        controllers.append(controller)
        return Int32(controllers.count - 1)
    }

    /// The index of `controller`.
    public func index(of controller: WorkloadController) -> Int32 {
        Int32(controllers.firstIndex { $0 === controller }!)
    }

    // MARK: - Services for controllers

    /// Registers a job submitted now.
    public func submitJob(name: String, kind: String, namespace: String) -> JobID {
        jobs.append(JobRecord(name: name, kind: kind, namespace: namespace, submittedAt: now))
        utilization.noteSubmission(at: now)
        return JobID(jobs.count - 1)
    }

    /// Marks a job finished now.
    public func finishJob(_ job: JobID, succeeded: Bool) {
        jobs[Int(job)].finishedAt = now
        jobs[Int(job)].succeeded = succeeded
        utilization.noteCompletion(at: now)
        engine.noteProgress()
    }

    /// Asks the API server to create a pod for `job` of `controller`; admitted pods enter the
    /// scheduling queue at once.
    public func createPod(_ spec: PodSpec, controller: Int32, job: JobID) -> Result<PodID, Admission.Refusal> {
        let result = cluster.create(spec, owner: OwnerRef(controller: controller, job: job), now: now)
        if case .success(let id) = result {
            engine.noteProgress()
            if job >= 0 { jobs[Int(job)].pods += 1 }
            scheduler.enqueue(id)
        }
        return result
    }

    public func setSchedulerTimer(_ handle: Scheduled, at time: SimTime, phase: EventPhase, passive: Bool) {
        push(.scheduler(handle), at: time, phase: phase, passive: passive)
    }

    public func noteProgress() { engine.noteProgress() }

    /// Queues the timer `handle` of controller `owner` at `time` (now, if earlier). Passive timers
    /// (retries, resyncs) do not keep a run alive.
    public func schedule(timer handle: Scheduled, owner: Int32, at time: SimTime, passive: Bool) {
        push(.timer(owner, handle), at: max(time, now), phase: .arrival, passive: passive)
    }

    /// Deletes a live pod (its owner no longer needs it).
    public func deletePod(_ id: PodID) {
        guard !cluster.pods[Int(id)].phase.isTerminal else { return }
        // Reported as success until the owners tell deletion apart (the next commit).
        end(id, termination: .succeeded, reason: "Deleted")
    }

    /// The run's single instance of `T`, made on first use (shared state of cooperating controllers,
    /// such as the network of training jobs).
    public func service<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        if let existing = services[ObjectIdentifier(type)] as? T { return existing }
        let made = make()
        services[ObjectIdentifier(type)] = made
        return made
    }

    /// The run's instance of `T`, if one was made.
    public func existingService<T: AnyObject>(_ type: T.Type) -> T? {
        services[ObjectIdentifier(type)] as? T
    }

    /// Calls `observer` after any pod starts running or ends (CPU shares may have changed on its node).
    public func observePods(_ observer: @escaping (PodID) -> Void) {
        podObservers.append(observer)
    }

    // MARK: - Running

    /// Runs to completion, the horizon or a stall.
    public func run() {
        for c in controllers { c.start(in: self) }
        if options.sampleInterval > 0 { push(.sample, at: 0, phase: .sample, passive: true) }
        // Done as soon as every workload is (stale completion events may still be queued).
        stopReason = engine.run(isFinished: { liveDemand() == 0 && controllers.allSatisfy(\.isDone) },
                                willAdvance: { utilization.integrate(to: $0, cluster: cluster) },
                                handle: { handle($0) })
    }

    /// Non-terminal pods.
    func liveDemand() -> Int { cluster.liveCount }

    func push(_ event: SimEvent, at time: SimTime, phase: EventPhase, passive: Bool) {
        engine.schedule(event, at: time, phase: phase, passive: passive)
    }

    func handle(_ event: SimEvent) {
        switch event {
        case .podStarted(let id, let version):
            guard cluster.pods[Int(id)].version == version, cluster.pods[Int(id)].phase == .starting else { return }
            eventCount += 1
            cluster.start(id, now: now)
            engine.noteProgress()
            let job = cluster.pods[Int(id)].owner.job
            if job >= 0 && jobs[Int(job)].startedAt < 0 { jobs[Int(job)].startedAt = now }
            drainRescheduled()
            for observer in podObservers { observer(id) }
        case .podFinished(let id, let version):
            guard cluster.pods[Int(id)].version == version, cluster.pods[Int(id)].phase == .running else { return }
            eventCount += 1
            end(id, termination: .succeeded, reason: "")
        case .scheduler(let handle):
            if scheduler.fire(handle) { eventCount += 1 }
        case .timer(let owner, let handle):
            eventCount += 1
            controllers[Int(owner)].fire(handle, in: self)
        case .sample:
            eventCount += 1
            takeSample()
            push(.sample, at: now + options.sampleInterval, phase: .sample, passive: true)
        }
    }

    /// A pod ends: the cluster releases it, pending pods that may now fit are requeued, its owner hears.
    func end(_ id: PodID, termination: PodTermination, reason: String) {
        let succeeded = termination == .succeeded
        cluster.finish(id, now: now, termination: termination, reason: reason)
        engine.noteProgress()
        drainRescheduled()
        let owner = cluster.pods[Int(id)].owner
        if owner.controller >= 0 { controllers[Int(owner.controller)].podEnded(id, succeeded: succeeded, in: self) }
        for observer in podObservers { observer(id) }
    }

    func drainRescheduled() {
        for id in cluster.rescheduled {
            let p = cluster.pods[Int(id)]
            if p.projectedEnd >= 0 && p.phase == .running {
                push(.podFinished(id, p.version), at: max(p.projectedEnd, now), phase: .release, passive: false)
            }
        }
        cluster.rescheduled.removeAll(keepingCapacity: true)
    }

    /// Sends a bound pod on its way: binding and kubelet sync, then image pulls, then container start.
    public func launch(_ id: PodID) {
        let version = cluster.bumpVersion(id)
        let synced = now + Clock.micros(seconds: options.latencies.scheduling.sample(latencyStream))
        let pulled = cluster.pullImages(id, from: synced)
        let startAt = pulled + Clock.micros(seconds: options.latencies.containerStart.sample(latencyStream))
        push(.podStarted(id, version), at: startAt, phase: .arrival, passive: false)
    }

    func takeSample() {
        let cap = cluster.capacity
        var waiting = 0
        for c in controllers { waiting += c.waitingCreations }
        func frac(_ a: Int64, _ b: Int64) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        samples.append(Sample(time: now,
                              cpuAllocated: frac(cluster.allocated.cpu, cap.cpu),
                              memoryAllocated: frac(cluster.allocated.memory, cap.memory),
                              gpuAllocated: frac(cluster.allocated.gpu, cap.gpu),
                              cpuUsed: cap.cpu == 0 ? 0 : cluster.cpuUsed * 1000 / Double(cap.cpu),
                              pendingPods: cluster.pendingCount, startingPods: cluster.startingCount, runningPods: cluster.runningCount, waitingCreations: waiting))
    }
}
