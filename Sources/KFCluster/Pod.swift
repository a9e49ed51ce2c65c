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

/// A pod that exists (was admitted), with its runtime state.
public struct Pod: Sendable {
    /// Its index.
    public let id: PodID
    /// The template it was created from.
    public var spec: PodSpec
    /// Effective resources after LimitRange defaults.
    public let resources: PodResources
    /// Owner.
    public let owner: OwnerRef
    /// Namespace index.
    public let namespaceIndex: Int32
    /// Phase.
    public var phase: PodPhase = .pending
    /// Node index once bound (-1 before).
    public var node: Int32 = -1
    /// Creation (admission) time.
    public var createdAt: SimTime
    /// Binding time (-1 before).
    public var scheduledAt: SimTime = -1
    /// Running since (-1 before).
    public var startedAt: SimTime = -1
    /// End time (-1 before).
    public var finishedAt: SimTime = -1
    /// Scheduling attempts so far.
    public var attempts: Int32 = 0
    /// Bumped on every change that invalidates queued events for this pod.
    public var version: UInt32 = 0
    /// The most recent reason it could not be scheduled or why it ended.
    public var reason: String = ""
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
    /// Bound but held by a Permit plugin (gang scheduling): resources reserved, not starting yet.
    public var permitWaiting = false

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
        cpuCap = demand
        cpuWeight = max(Double(resources.requests.cpu), CPUSharing.minimumWeight)
        if case .cpu(let work, _) = spec.work { remainingWork = work } else { remainingWork = 0 }
    }
}
