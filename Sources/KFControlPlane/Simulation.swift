import KFCluster
import KFEngine
import KFScheduler

/// The control plane of one run, and nothing more: it wires the engine, the cluster, the scheduler,
/// the kubelets and the recorder, hands timers to their owners, tells owners when their pods end, and
/// stops when every workload is done.
public final class Simulation: SchedulerHost, ControllerContext {
    /// The engine: clock, event queue and stop policy.
    public let engine: Engine<SimEvent>
    /// The cluster.
    public let cluster: ClusterState
    /// The scheduler.
    public let scheduler: Scheduler
    /// Named random streams.
    public let streams: RandomStreams
    /// Run settings.
    public let options: SimulationOptions
    /// What the run recorded.
    public internal(set) var recorder = RunRecorder()
    /// Workload controllers, in registration order.
    public private(set) var workloads: [WorkloadController] = []
    /// Why the run ended (after `run()`).
    public internal(set) var stopReason: StopReason = .completed

    let kubelet: Kubelet
    /// Every timer owner (workload and system controllers), by index.
    private var owners: [TimerOwner] = []
    /// Each owner as a workload controller (nil when it is not one): a pod's end reaches its owner
    /// without a dynamic cast.
    private var workloadOwners: [WorkloadController?] = []
    private var ownerIndex: [ObjectIdentifier: Int32] = [:]
    private var services: [ObjectIdentifier: AnyObject] = [:]
    var podObservers: [(PodID) -> Void] = []
    /// Extra time-series columns controllers added.
    var extraSeries: [(name: String, value: () -> Double)] = []
    /// The current time-series interval (doubles each time the series is thinned).
    var sampleInterval: SimTime = 0

    /// A simulation of `cluster` scheduled by `scheduler`.
    public init(cluster: ClusterState, scheduler: Scheduler, streams: RandomStreams, options: SimulationOptions) {
        self.cluster = cluster
        self.scheduler = scheduler
        self.streams = streams
        self.options = options
        let engine = Engine<SimEvent>(policy: StopPolicy(horizon: options.horizon, stallWindow: options.stallWindow,
                                                                 maxEvents: options.maxEvents))
        self.engine = engine
        kubelet = Kubelet(cluster: cluster, latencies: options.latencies, latencyStream: streams.stream("latencies")) { handle, time, phase in
            engine.schedule(.kubelet(handle), at: time, phase: phase, passive: false)
        }
        scheduler.attach(to: self)
        if options.recordEvents { recordEvents(scores: options.recordScores) }
    }

    deinit {
        // The scheduler and cluster may outlive their run (a caller keeps them): the scheduler stops
        // hearing the cluster and forgets this host.
        scheduler.detach()
    }

    /// Current simulated time.
    public var now: SimTime { engine.now }
    /// Jobs, by `JobID`.
    public var jobs: [JobRecord] { recorder.jobs }
    /// Time-series samples.
    public var samples: [Sample] { recorder.samples }
    /// Events handled (stale ones excluded).
    public var eventCount: Int { recorder.eventCount }
    /// Time-weighted utilisation accumulator.
    public var utilization: UtilizationIntegral { recorder.utilization }

    // MARK: - Controllers

    /// Adds a workload controller; returns its index.
    @discardableResult
    public func add(_ controller: WorkloadController) -> Int32 {
        workloads.append(controller)
        return register(controller, workload: controller)
    }

    public func add(system controller: SystemController) -> Int32 {
        let index = register(controller, workload: controller as? WorkloadController)
        controller.start(in: self)
        return index
    }

    private func register(_ owner: TimerOwner, workload: WorkloadController?) -> Int32 {
        owners.append(owner)
        workloadOwners.append(workload)
        let index = Int32(owners.count - 1)
        ownerIndex[ObjectIdentifier(owner)] = index
        return index
    }

    public func index(of owner: TimerOwner) -> Int32 { ownerIndex[ObjectIdentifier(owner)]! }
    public func owner(at index: Int32) -> TimerOwner { owners[Int(index)] }

    /// The workload controller registered at `index` (nil: not one).
    func workload(at index: Int32) -> WorkloadController? { workloadOwners[Int(index)] }

    public func service<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        if let existing = services[ObjectIdentifier(type)] as? T { return existing }
        let made = make()
        services[ObjectIdentifier(type)] = made
        return made
    }

    /// Whether `pod` would fit a new node made from `template`.
    public func fitsNewNode(_ pod: PodID, like template: NodeSpec) -> Bool { scheduler.whyNotFit(pod, onNewNode: template) == nil }
    /// Whether `pod` passes every filter on `node` as it is now.
    public func passesFilters(_ pod: PodID, onNode node: Int32) -> Bool { scheduler.passesFilters(pod, onNode: node) }

    /// The run's instance of `T`, if one was made.
    public func existingService<T: AnyObject>(_ type: T.Type) -> T? {
        services[ObjectIdentifier(type)] as? T
    }

    public func observePods(_ observer: @escaping (PodID) -> Void) { podObservers.append(observer) }
    public func addSeries(_ name: String, _ value: @escaping () -> Double) { extraSeries.append((name, value)) }
    /// The names of the extra time-series columns, in order.
    public var extraSeriesNames: [String] { extraSeries.map(\.name) }
    public func subscribe(_ handler: @escaping (ClusterEvent) -> Void) { cluster.subscribe(handler) }

    // MARK: - Jobs and pods

    public func submitJob(name: String, kind: String, namespace: String) -> JobID {
        recorder.submit(name: name, kind: kind, namespace: namespace, now: now)
    }

    public func finishJob(_ job: JobID, succeeded: Bool) {
        recorder.finish(job, succeeded: succeeded, now: now)
        engine.noteProgress()
    }

    public func createPod(_ spec: PodSpec, controller: Int32, job: JobID) -> Result<PodID, Admission.Refusal> {
        let result = cluster.create(spec, owner: OwnerRef(controller: controller, job: job), now: now)
        if case .failure(let refusal) = result, options.recordEvents { recordRefusal(spec, refusal) }
        if case .success(let id) = result {
            engine.noteProgress()
            if job >= 0 { recorder.jobs[Int(job)].pods += 1 }
            scheduler.enqueue(id)
        }
        return result
    }

    public func deletePod(_ id: PodID, reason: String) {
        guard !cluster.pods[Int(id)].phase.isTerminal else { return }
        end(id, termination: .deleted, reason: reason)
    }

    public func completePod(_ id: PodID, succeeded: Bool) {
        guard cluster.pods[Int(id)].phase == .running else { return }
        end(id, termination: succeeded ? .succeeded : .failed, reason: "")
    }

    public func evictPod(_ id: PodID, reason: String) {
        guard !cluster.pods[Int(id)].phase.isTerminal else { return }
        end(id, termination: .evicted, reason: reason)
    }

    public func createPodGroup(namespace: String, name: String, minMember: Int) {
        cluster.createPodGroup(namespace: namespace, name: name, minMember: minMember, now: now)
    }

    public func schedule(timer handle: Scheduled, owner: Int32, at time: SimTime, passive: Bool) {
        engine.schedule(.timer(owner, handle), at: max(time, now), phase: .arrival, passive: passive)
    }

    // MARK: - Scheduler host

    public func setSchedulerTimer(_ handle: Scheduled, at time: SimTime, phase: EventPhase, passive: Bool) {
        engine.schedule(.scheduler(handle), at: time, phase: phase, passive: passive)
    }

    public func launch(_ pod: PodID) { kubelet.launch(pod, now: now) }

    public func noteProgress() { engine.noteProgress() }

    public func preempt(_ victims: [PodID], by preemptor: PodID) {
        let p = cluster.pods[Int(preemptor)].spec
        for v in victims { evictPod(v, reason: "Preempted by \(p.namespace)/\(p.name)") }
    }
}
