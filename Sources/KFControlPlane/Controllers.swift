import KFCluster
import KFEngine

/// Anything that owns timers in a run: it is handed its timers back when they fire.
public protocol TimerOwner: AnyObject {
    /// One of its timers fires (it may have been cancelled: `ControllerTimers.fired` then returns nil).
    func fire(_ timer: Scheduled, in context: ControllerContext)
}

/// A workload controller: submits its jobs, creates their pods and reacts to their ends.
///
/// Controllers are registered with a `Simulation` before it runs; each gets an index, which owns its
/// pods (`OwnerRef.controller`) and its timers (`ControllerTimers`).
public protocol WorkloadController: TimerOwner {
    /// The workload's name (from the scenario).
    var name: String { get }
    /// Called once at time 0: schedule arrivals.
    func start(in context: ControllerContext)
    /// One of this controller's pods ended: succeeded, failed, deleted or evicted.
    func podEnded(_ pod: PodID, termination: PodTermination, in context: ControllerContext)
    /// Whether all of its work is finished (no more pods will be created).
    var isDone: Bool { get }
    /// Pods it still wants but could not create.
    func uncreatedPods() -> [UncreatedPod]
    /// How many pods it is waiting to create right now (cheap; sampled often).
    var waitingCreations: Int { get }
    /// How many pods it plans to create over the run, as far as it knows once started (0: unknown). A
    /// hint: the cluster reserves room for them at once rather than growing its pod table step by step.
    var plannedPods: Int { get }
    /// How many jobs it plans to submit over the run, likewise (0: unknown), for the job table.
    var plannedJobs: Int { get }
}

extension WorkloadController {
    public var plannedPods: Int { 0 }
    public var plannedJobs: Int { 0 }
}

/// A controller of the system rather than of a workload (the training runtime; the HPA and the
/// Cluster Autoscaler): it owns no jobs, and never keeps a run alive by itself. It reacts to cluster
/// events it subscribes to and to its timers.
public protocol SystemController: TimerOwner {
    /// Its name.
    var name: String { get }
    /// Called when it is added to a run.
    func start(in context: ControllerContext)
}

/// What a controller sees of the run: the clock, the cluster (read it; change it only through these
/// calls), random streams, its jobs, pods, timers and events. Never the whole `Simulation`.
public protocol ControllerContext: AnyObject {
    /// Current simulated time.
    var now: SimTime { get }
    /// The cluster.
    var cluster: ClusterState { get }
    /// Named random streams.
    var streams: RandomStreams { get }
    /// Jobs, by `JobID`.
    var jobs: [JobRecord] { get }
    /// Registers a job submitted now.
    func submitJob(name: String, kind: String, namespace: String) -> JobID
    /// Marks a job finished now.
    func finishJob(_ job: JobID, succeeded: Bool)
    /// Asks the API server to create a pod for `job` of controller `controller`; admitted pods enter
    /// the scheduling queue at once.
    func createPod(_ spec: PodSpec, controller: Int32, job: JobID) -> Result<PodID, Admission.Refusal>
    /// Deletes a live pod (its owner no longer needs it): it ends `Deleted`, with `reason`.
    func deletePod(_ id: PodID, reason: String)
    /// A running pod's containers exit now, successfully or not (its work decides when: a training
    /// worker whose job has trained its iterations).
    func completePod(_ id: PodID, succeeded: Bool)
    /// Evicts a live pod (a drain, the Eviction API): it ends `Evicted`.
    func evictPod(_ id: PodID, reason: String)
    /// Creates (or updates) the PodGroup `namespace/name` with `minMember`.
    func createPodGroup(namespace: String, name: String, minMember: Int)
    /// Adds a node now; returns its index.
    @discardableResult
    func addNode(_ spec: NodeSpec) -> Int32
    /// Adds a node to group `name` from its template (nil at the group's maximum size).
    func addNode(toGroup name: String) -> Int32?
    /// Cordons (`true`) or uncordons a node.
    func cordon(_ node: Int32, _ unschedulable: Bool)
    /// Cordons a node and evicts its pods (`kubectl drain`).
    func drain(_ node: Int32)
    /// Deletes a node after deleting its pods.
    func deleteNode(_ node: Int32)
    /// Queues timer `handle` of owner `owner` at `time` (now, if earlier). Passive timers (retries,
    /// resyncs) do not keep a run alive.
    func schedule(timer handle: Scheduled, owner: Int32, at time: SimTime, passive: Bool)
    /// Calls `observer` after any pod starts running or ends (after its owner heard).
    func observePods(_ observer: @escaping (PodID) -> Void)
    /// Adds a column to `timeseries.csv`: `value` read at every sample (a cache's hits, say).
    func addSeries(_ name: String, _ value: @escaping () -> Double)
    /// Calls `handler` after every change of nodes and pods.
    func subscribe(_ handler: @escaping (ClusterEvent) -> Void)
    /// The index of a registered controller.
    func index(of owner: TimerOwner) -> Int32
    /// The controller registered at `index`.
    func owner(at index: Int32) -> TimerOwner
    /// Adds a system controller (started at once); returns its index.
    func add(system controller: SystemController) -> Int32
    /// Whether pod `pod` would pass the scheduler's filters on a new node like `template` (the Cluster
    /// Autoscaler's question about a node group).
    func fitsNewNode(_ pod: PodID, like template: NodeSpec) -> Bool
    /// Whether pod `pod` passes the scheduler's filters on existing node `node` now.
    func passesFilters(_ pod: PodID, onNode node: Int32) -> Bool
    /// The run's single instance of `T`, made on first use (state shared by cooperating controllers).
    func service<T: AnyObject>(_ type: T.Type, make: () -> T) -> T
}
