import KFCluster
import KFControlPlane

/// The replica types of a kubeflow.org/v1 TFJob.
public enum ReplicaType: String, Sendable, CaseIterable {
    case ps = "PS"
    case worker = "Worker"
    case chief = "Chief"
    case master = "Master"
    case evaluator = "Evaluator"
    /// MPIJob's launcher (runs mpirun; does not train).
    case launcher = "Launcher"

    /// Whether replicas of this type compute gradients (workers, and the chief/master).
    public var trains: Bool { self == .worker || self == .chief || self == .master }
}

/// One `tfReplicaSpecs` entry.
public struct ReplicaSpec: Equatable, Sendable {
    /// Replicas.
    public var replicas: Int
    /// The pod template (name and work are filled per pod).
    public var template: PodSpec
    /// `restartPolicy` as written (Always, OnFailure, Never, ExitCode).
    public var restartPolicy: String
    /// A replica spec.
    public init(replicas: Int, template: PodSpec, restartPolicy: String = "Never") {
        self.replicas = replicas
        self.template = template
        self.restartPolicy = restartPolicy
    }
}

/// A TFJob's `runPolicy`.
public struct RunPolicy: Equatable, Sendable {
    /// `cleanPodPolicy`: which pods are deleted when the job ends (All, Running, None).
    public var cleanPodPolicy = "Running"
    /// `backoffLimit`.
    public var backoffLimit: Int?
    /// `activeDeadlineSeconds`.
    public var activeDeadlineSeconds: Double?
    /// `schedulingPolicy.minAvailable` (gang size; nil: all replicas).
    public var minAvailable: Int?
    /// `schedulingPolicy.queue`.
    public var queue: String?
    /// `schedulingPolicy.priorityClass`.
    public var priorityClass: String?
    /// `schedulingPolicy.scheduleTimeoutSeconds`.
    public var scheduleTimeoutSeconds: Double?
    /// A run policy.
    public init() {}
}

/// How training traffic is modelled: flows only while their transfers last (`phased`, the default), or
/// every flow of a running job on its links all the time (`continuous`, faster, the worst case).
public enum TrainingNetworkMode: String, Sendable, CaseIterable {
    case phased, continuous
}

/// A training job as submitted (TFJob, PyTorchJob, MPIJob or TrainJob): its replicas, run policy and
/// training profile.
public struct TFJobSpec: Equatable, Sendable {
    /// The manifest's kind (`TFJob`, `PyTorchJob`, `MPIJob`, `TrainJob`).
    public var kind = "TFJob"
    /// How its traffic is modelled.
    public var network = TFJobSpec.defaultNetwork
    /// The network model when the workload does not say.
    public static let defaultNetwork = TrainingNetworkMode.phased
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`.
    public var namespace: String
    /// Replica specs in a fixed order (PS, Worker, Chief, Master, Evaluator, Launcher).
    public var replicas: [(type: ReplicaType, spec: ReplicaSpec)]
    /// `runPolicy`.
    public var runPolicy: RunPolicy
    /// What the manifest cannot say.
    public var profile: TrainingProfile

    /// A job.
    public init(name: String, namespace: String, replicas: [(type: ReplicaType, spec: ReplicaSpec)], runPolicy: RunPolicy = RunPolicy(),
                profile: TrainingProfile) {
        self.name = name
        self.namespace = namespace
        self.replicas = replicas.sorted { a, b in
            ReplicaType.allCases.firstIndex(of: a.type)! < ReplicaType.allCases.firstIndex(of: b.type)!
        }
        self.runPolicy = runPolicy
        self.profile = profile
    }

    public static func == (a: TFJobSpec, b: TFJobSpec) -> Bool {
        a.kind == b.kind && a.network == b.network && a.name == b.name && a.namespace == b.namespace && a.runPolicy == b.runPolicy && a.profile == b.profile
            && a.replicas.count == b.replicas.count && zip(a.replicas, b.replicas).allSatisfy { $0.type == $1.type && $0.spec == $1.spec }
    }

    /// The spec of replica type `type`, if present.
    public func spec(_ type: ReplicaType) -> ReplicaSpec? { replicas.first { $0.type == type }?.spec }

    /// PS replicas.
    public var psCount: Int { spec(.ps)?.replicas ?? 0 }
    /// Whether gradients go through parameter servers (else: allreduce among the trainers).
    public var usesParameterServers: Bool { psCount > 0 }
    /// Replicas that compute (workers plus chief/master).
    public var trainerCount: Int { replicas.filter { $0.type.trains }.reduce(0) { $0 + $1.spec.replicas } }
}
