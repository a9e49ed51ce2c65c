/// A container as written in a pod template.
public struct ContainerSpec: Equatable, Sendable {
    /// Container name.
    public var name: String
    /// Image reference.
    public var image: String
    /// Requests as written (absent values may be filled by a LimitRange).
    public var requests: OptionalResources
    /// Limits as written.
    public var limits: OptionalResources

    /// A container.
    public init(name: String = "main", image: String = "", requests: OptionalResources = .init(),
                limits: OptionalResources = .init()) {
        self.name = name
        self.image = image
        self.requests = requests
        self.limits = limits
    }
}

/// What a pod does once running.
public enum PodWork: Equatable, Sendable {
    /// Runs for a fixed time, whatever its CPU share (trace replay, sleeps).
    case duration(SimTimeSeconds)
    /// CPU-bound work in core-seconds, progressing at the pod's fluid CPU rate.
    /// `threads` is the CPU the pod can use at most in cores (nil: its limit, or its request when unlimited).
    case cpu(coreSeconds: Double, threads: Double?)
    /// Runs until deleted by its owner (services, parameter servers).
    case forever
}

/// Seconds as a floating-point value, before rounding to `SimTime`.
public typealias SimTimeSeconds = Double

/// The pod template a controller creates pods from.
public struct PodSpec: Equatable, Sendable {
    /// Pod name, unique in its namespace.
    public var name: String
    /// Namespace.
    public var namespace: String
    /// Labels.
    public var labels: Labels
    /// Priority (higher first).
    public var priority: Int32
    /// Whether the pod may preempt lower-priority pods when it fits nowhere.
    public var preemptionPolicy: PreemptionPolicy = .preemptLowerPriority
    /// Which scheduler profile schedules it.
    public var schedulerName: String
    /// Containers.
    public var containers: [ContainerSpec]
    /// The Cluster Autoscaler's `cluster-autoscaler.kubernetes.io/safe-to-evict` annotation (nil: absent).
    public var safeToEvict: Bool?
    /// `nodeSelector`.
    public var nodeSelector: Labels
    /// Node affinity.
    public var nodeAffinity: NodeAffinity?
    /// Pod affinity.
    public var podAffinity: PodAffinity
    /// Pod anti-affinity.
    public var podAntiAffinity: PodAffinity
    /// Tolerations.
    public var tolerations: [Toleration]
    /// Topology spread constraints.
    public var topologySpreadConstraints: [TopologySpreadConstraint]
    /// The selector of the owning ReplicaSet-like controller, which system-default spreading uses
    /// (nil for pods of Jobs and bare pods, as in Kubernetes where no Service or ReplicaSet selects them).
    public var ownerSelector: LabelSelector?
    /// What the pod does when running.
    public var work: PodWork
    /// A share of one GPU in thousandths (openb's `gpu_milli`, Alibaba's `alibabacloud.com/gpu-milli`
    /// annotation): the pod needs 1..999 milli-GPU on a single device and requests no whole GPU. 0: none.
    public var gpuMilli: Int32 = 0

    /// A pod template.
    public init(name: String, namespace: String = "default", labels: Labels = [:], priority: Int32 = 0,
                schedulerName: String = "default-scheduler", containers: [ContainerSpec], nodeSelector: Labels = [:],
                nodeAffinity: NodeAffinity? = nil, podAffinity: PodAffinity = .init(),
                podAntiAffinity: PodAffinity = .init(), tolerations: [Toleration] = [],
                topologySpreadConstraints: [TopologySpreadConstraint] = [], ownerSelector: LabelSelector? = nil,
                work: PodWork) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.priority = priority
        self.schedulerName = schedulerName
        self.containers = containers
        self.nodeSelector = nodeSelector
        self.nodeAffinity = nodeAffinity
        self.podAffinity = podAffinity
        self.podAntiAffinity = podAntiAffinity
        self.tolerations = tolerations
        self.topologySpreadConstraints = topologySpreadConstraints
        self.ownerSelector = ownerSelector
        self.work = work
    }
}

/// `spec.preemptionPolicy`.
public enum PreemptionPolicy: String, Sendable, CaseIterable {
    /// The default: lower-priority pods may be preempted to make room.
    case preemptLowerPriority = "PreemptLowerPriority"
    /// Never preempt.
    case never = "Never"
}
