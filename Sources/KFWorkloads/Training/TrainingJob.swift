import KFCluster
import KFControlPlane
import KFEngine

/// One submitted TFJob and its training state.
public final class TrainingJob {
    /// Where a job is.
    public enum State: String, Sendable {
        /// Submitted; the policy has not started it.
        case waiting
        /// Pods created; not all running yet.
        case starting
        /// Training (or paused for a checkpoint-restart after a rescale).
        case running
        /// Finished.
        case done
    }

    /// The manifest and profile.
    public let spec: TFJobSpec
    /// Its row in the simulation's job table.
    public let id: JobID
    /// Index in its controller.
    let local: Int
    /// The owning controller's index.
    let controller: Int32
    /// Submission time.
    public let submittedAt: SimTime
    /// State.
    public internal(set) var state: State = .waiting
    /// PS pods (created ones).
    public internal(set) var psPods: [PodID] = []
    /// Worker pods (created ones; Chief/Master included).
    public internal(set) var workerPods: [PodID] = []
    /// Evaluator and other non-training pods.
    public internal(set) var otherPods: [PodID] = []
    /// Pods asked for but not created yet.
    var pendingCreations = 0
    /// Worker replicas the policy currently wants (trainers).
    public internal(set) var targetWorkers: Int
    /// Smallest and largest worker counts the autoscaling policy may use.
    public let minWorkers: Int, maxWorkers: Int
    /// Training progress.
    public internal(set) var iterationsDone = 0.0
    /// Current iterations per second.
    public internal(set) var rate = 0.0
    var lastUpdate: SimTime = 0
    /// No progress before this time (checkpoint-restart after a rescale).
    var resumeAt: SimTime = 0
    /// The checkpoint-restart pause due once the pods of a scale-out are running.
    var pendingPause: SimTime = 0
    var version = 0
    var scheduledVersion = -1
    /// Rescales so far.
    public internal(set) var rescales = 0
    /// Container restarts after failures so far.
    public internal(set) var restarts = 0
    /// Why the job failed, if it did.
    public internal(set) var failureReason: String?
    /// Bytes sent across nodes so far.
    public internal(set) var crossNodeBytes = 0.0
    /// The last iteration plan, for the pods and CPU rates it was made for.
    var planCache: (workers: [PodID], ps: [PodID], rates: [Double], plan: IterationPlan)?
    /// GPUs busy computing, on average, while it trains (sum over workers of GPUs x compute share).
    var gpuDuty = 0.0
    /// GPU-seconds spent computing so far.
    public internal(set) var gpuBusySeconds = 0.0
    /// Bytes one iteration sends across nodes with the current placement.
    var crossBytesPerIteration = 0.0
    /// Time spent training (rate > 0), seconds, and iterations over it: mean iterations/s.
    public internal(set) var trainingSeconds = 0.0
    /// When the job first started training.
    public internal(set) var trainingStartedAt: SimTime = -1
    /// The PodGroup its pods carry (gang scheduling by the scheduler's Coscheduling plugin), if any.
    public internal(set) var podGroup: String?
    /// Pod name counter per replica type, so that new pods get fresh names.
    var created: [ReplicaType: Int] = [:]

    init(spec: TFJobSpec, id: JobID, local: Int, controller: Int32, submittedAt: SimTime) {
        self.spec = spec
        self.id = id
        self.local = local
        self.controller = controller
        self.submittedAt = submittedAt
        let workers = spec.spec(.worker)?.replicas ?? 0
        targetWorkers = workers
        minWorkers = min(max(1, spec.profile.minWorkers ?? 1), max(workers, 1))
        maxWorkers = max(workers, spec.profile.maxWorkers ?? workers)
    }

    /// Its Worker-type pods (the resizable ones; Chief/Master excluded).
    public func resizableWorkers(_ cluster: ClusterState) -> [PodID] {
        workerPods.filter { cluster.pods[Int($0)].spec.labels["training.kubeflow.org/replica-type"] == "worker" }
    }

    /// All pods the job holds.
    public var pods: [PodID] { psPods + workerPods + otherPods }

    /// Iterations still to train.
    public var remaining: Double { max(0, spec.profile.iterations - iterationsDone) }
}
