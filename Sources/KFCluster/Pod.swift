import KFEngine

/// Index of a pod in the cluster's pod table.
public typealias PodID = Int32

/// Where a pod is in its life.
public enum PodPhase: String, Sendable, CaseIterable {
    /// Admitted, waiting in the scheduling queue.
    case pending = "Pending"
    /// Bound to a node, pulling its image and starting its containers.
    case starting = "Starting"
    /// Running.
    case running = "Running"
    /// Finished successfully.
    case succeeded = "Succeeded"
    /// Finished unsuccessfully.
    case failed = "Failed"

    /// Whether the pod has ended.
    public var isTerminal: Bool { self == .succeeded || self == .failed }
}

/// Who created a pod: a controller and one of its jobs.
public struct OwnerRef: Equatable, Sendable {
    /// The controller's index in the simulation.
    public var controller: Int32
    /// The job's index in the simulation's job table (-1: none).
    public var job: Int32
    /// An owner.
    public init(controller: Int32, job: Int32) {
        self.controller = controller
        self.job = job
    }
}

/// Why a pod ended.
public enum PodTermination: String, Sendable {
    /// Its containers completed successfully.
    case succeeded = "Succeeded"
    /// Its containers failed.
    case failed = "Failed"
    /// Its owner (or a user) deleted it before it completed.
    case deleted = "Deleted"
    /// It was evicted (a node drain, preemption) before it completed.
    case evicted = "Evicted"
}

/// What the API server reports of a pod: its phase, node and times.
public struct PodStatus: Sendable {
    /// Phase.
    public var phase: PodPhase = .pending
    /// Node index once bound (-1 before).
    public var node: Int32 = -1
    /// Binding time (-1 before).
    public var scheduledAt: SimTime = -1
    /// Running since (-1 before).
    public var startedAt: SimTime = -1
    /// End time (-1 before).
    public var finishedAt: SimTime = -1
    /// Why it ended (nil while it lives).
    public var termination: PodTermination?
    /// The most recent reason it could not be scheduled or why it ended.
    public var reason: String = ""
}

/// What the scheduler records on a pod.
public struct PodSchedulingState: Sendable {
    /// Scheduling attempts so far.
    public var attempts: Int32 = 0
    /// Bound but held by a Permit plugin (gang scheduling): resources reserved, not starting yet.
    public var permitWaiting = false
    /// The node a preemption made room on (-1: none), kube-scheduler's `status.nominatedNodeName`.
    public var nominatedNode: Int32 = -1
    /// Why its first failed attempt failed (empty: none failed); kept after binding.
    public var firstFailure = ""
    /// Why its last failed attempt failed (empty: none failed); kept after binding.
    public var lastFailure = ""
}

/// The kubelet's view of a running pod: its CPU share and the progress of its work.
public struct PodRunState: Sendable {
    /// Most CPU the pod can use, in cores: min(demand, limit).
    public let cpuCap: Double
    /// Its `cpu.shares` weight (request in millicores, at least 2).
    public let cpuWeight: Double
    /// Current CPU rate in cores while running.
    public var rate: Double = 0
    /// Fraction of the time the pod actually uses its rate (1 for CPU-bound work; a PS training
    /// worker computes only between its transfers).
    public var duty: Double = 1
    /// Remaining CPU work in core-seconds (for `.cpu` work).
    public var remainingWork: Double
    /// When `remainingWork` was last brought up to date.
    public var lastUpdate: SimTime = 0
    /// Projected end of the current run segment (-1: none).
    public var projectedEnd: SimTime = -1
    /// Whether its work is CPU work (`PodWork.cpu`), kept here beside the rates that drive it.
    public let isCPUWork: Bool
    /// GPUs it uses while running: whole GPUs plus its share of one (`gpuMilli / 1000`).
    public let gpuDemand: Double
}

/// A pod that exists (was admitted): its spec apart from its status, the scheduler's notes and the
/// kubelet's run state. Only `ClusterState` changes a pod.
public struct Pod: Sendable {
    /// Its index.
    public let id: PodID
    /// The template it was created from.
    public let spec: PodSpec
    /// Effective resources after LimitRange defaults.
    public let resources: PodResources
    /// Owner.
    public let owner: OwnerRef
    /// Namespace index.
    public let namespaceIndex: Int32
    /// Creation (admission) time.
    public let createdAt: SimTime
    /// Status.
    public internal(set) var status = PodStatus()
    /// Scheduler's notes.
    public internal(set) var scheduling = PodSchedulingState()
    /// Kubelet's state.
    public internal(set) var run: PodRunState

    /// Phase.
    @inlinable public var phase: PodPhase { status.phase }
    /// Node index once bound (-1 before).
    @inlinable public var node: Int32 { status.node }
    /// Binding time (-1 before).
    public var scheduledAt: SimTime { status.scheduledAt }
    /// Running since (-1 before).
    public var startedAt: SimTime { status.startedAt }
    /// End time (-1 before).
    public var finishedAt: SimTime { status.finishedAt }
    /// The most recent reason it could not be scheduled or why it ended.
    public var reason: String { status.reason }
    /// Scheduling attempts so far.
    public var attempts: Int32 { scheduling.attempts }
    /// Bound but held by a Permit plugin.
    public var permitWaiting: Bool { scheduling.permitWaiting }
    /// Current CPU rate in cores while running.
    public var rate: Double { run.rate }
    /// Duty cycle of the rate.
    public var duty: Double { run.duty }
    /// Projected end of the current run segment (-1: none).
    public var projectedEnd: SimTime { run.projectedEnd }
    /// Most CPU the pod can use, in cores.
    public var cpuCap: Double { run.cpuCap }

    /// A freshly admitted pod.
    public init(id: PodID, spec: PodSpec, resources: PodResources, owner: OwnerRef, namespaceIndex: Int32, createdAt: SimTime) {
        self.id = id
        self.spec = spec
        self.resources = resources
        self.owner = owner
        self.namespaceIndex = namespaceIndex
        self.createdAt = createdAt
        let requestCores = Double(resources.requests.cpu) / 1000
        let limitCores = resources.limitCPU.map { Double($0) / 1000 }
        var demand: Double
        switch spec.work {
        case .cpu(_, let threads?): demand = threads
        default: demand = limitCores ?? (requestCores > 0 ? requestCores : 1)
        }
        if let limitCores { demand = min(demand, limitCores) }
        var work = 0.0
        if case .cpu(let w, _) = spec.work { work = w }
        var isCPUWork = false
        if case .cpu = spec.work { isCPUWork = true }
        run = PodRunState(cpuCap: demand, cpuWeight: max(Double(resources.requests.cpu), CPUSharing.minimumWeight), remainingWork: work,
                          isCPUWork: isCPUWork, gpuDemand: Double(resources.requests.gpu) + Double(spec.gpuMilli) / 1000)
    }
}
