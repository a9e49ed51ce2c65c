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

/// The pod template a controller creates pods from. Its fields are shared between copies until one
/// copy changes them (copy-on-write): a pod is copied into the pod table and into each scheduling
/// cycle's context at the cost of one reference, not one per field.
public struct PodSpec: Equatable, Sendable {
    struct Fields: Equatable, Sendable {
        var name: String
        var namespace: String
        var labels: Labels
        var priority: Int32
        var preemptionPolicy: PreemptionPolicy = .preemptLowerPriority
        var schedulerName: String
        var containers: [ContainerSpec]
        var safeToEvict: Bool? = nil
        var nodeSelector: Labels
        var nodeAffinity: NodeAffinity?
        var podAffinity: PodAffinity
        var podAntiAffinity: PodAffinity
        var tolerations: [Toleration]
        var topologySpreadConstraints: [TopologySpreadConstraint]
        var ownerSelector: LabelSelector?
        var work: PodWork
        var gpuMilli: Int32 = 0
    }

    /// The fields' box; never changed while shared (`unique`).
    final class Storage: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    /// The box, made this copy's own first if shared.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        return storage
    }

    public static func == (a: PodSpec, b: PodSpec) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }

    /// Pod name, unique in its namespace.
    public var name: String {
        get { storage.fields.name }
        _modify { yield &unique().fields.name }
    }

    /// Namespace.
    public var namespace: String {
        get { storage.fields.namespace }
        _modify { yield &unique().fields.namespace }
    }

    /// Labels.
    public var labels: Labels {
        get { storage.fields.labels }
        _modify { yield &unique().fields.labels }
    }

    /// Priority (higher first).
    public var priority: Int32 {
        get { storage.fields.priority }
        _modify { yield &unique().fields.priority }
    }

    /// Whether the pod may preempt lower-priority pods when it fits nowhere.
    public var preemptionPolicy: PreemptionPolicy {
        get { storage.fields.preemptionPolicy }
        _modify { yield &unique().fields.preemptionPolicy }
    }

    /// Which scheduler profile schedules it.
    public var schedulerName: String {
        get { storage.fields.schedulerName }
        _modify { yield &unique().fields.schedulerName }
    }

    /// Containers.
    public var containers: [ContainerSpec] {
        get { storage.fields.containers }
        _modify { yield &unique().fields.containers }
    }

    /// The Cluster Autoscaler's `cluster-autoscaler.kubernetes.io/safe-to-evict` annotation (nil: absent).
    public var safeToEvict: Bool? {
        get { storage.fields.safeToEvict }
        _modify { yield &unique().fields.safeToEvict }
    }

    /// `nodeSelector`.
    public var nodeSelector: Labels {
        get { storage.fields.nodeSelector }
        _modify { yield &unique().fields.nodeSelector }
    }

    /// Node affinity.
    public var nodeAffinity: NodeAffinity? {
        get { storage.fields.nodeAffinity }
        _modify { yield &unique().fields.nodeAffinity }
    }

    /// Pod affinity.
    public var podAffinity: PodAffinity {
        get { storage.fields.podAffinity }
        _modify { yield &unique().fields.podAffinity }
    }

    /// Pod anti-affinity.
    public var podAntiAffinity: PodAffinity {
        get { storage.fields.podAntiAffinity }
        _modify { yield &unique().fields.podAntiAffinity }
    }

    /// Tolerations.
    public var tolerations: [Toleration] {
        get { storage.fields.tolerations }
        _modify { yield &unique().fields.tolerations }
    }

    /// Topology spread constraints.
    public var topologySpreadConstraints: [TopologySpreadConstraint] {
        get { storage.fields.topologySpreadConstraints }
        _modify { yield &unique().fields.topologySpreadConstraints }
    }

    /// The selector of the owning ReplicaSet-like controller, which system-default spreading uses
    /// (nil for pods of Jobs and bare pods, as in Kubernetes where no Service or ReplicaSet selects them).
    public var ownerSelector: LabelSelector? {
        get { storage.fields.ownerSelector }
        _modify { yield &unique().fields.ownerSelector }
    }

    /// What the pod does when running.
    public var work: PodWork {
        get { storage.fields.work }
        _modify { yield &unique().fields.work }
    }

    /// A share of one GPU in thousandths (openb's `gpu_milli`, Alibaba's `alibabacloud.com/gpu-milli`
    /// annotation): the pod needs 1..999 milli-GPU on a single device and requests no whole GPU. 0: none.
    public var gpuMilli: Int32 {
        get { storage.fields.gpuMilli }
        _modify { yield &unique().fields.gpuMilli }
    }

    /// A pod template.
    public init(name: String, namespace: String = "default", labels: Labels = [:], priority: Int32 = 0,
                schedulerName: String = "default-scheduler", containers: [ContainerSpec], nodeSelector: Labels = [:],
                nodeAffinity: NodeAffinity? = nil, podAffinity: PodAffinity = .init(),
                podAntiAffinity: PodAffinity = .init(), tolerations: [Toleration] = [],
                topologySpreadConstraints: [TopologySpreadConstraint] = [], ownerSelector: LabelSelector? = nil,
                work: PodWork) {
        storage = Storage(Fields(name: name, namespace: namespace, labels: labels, priority: priority, schedulerName: schedulerName,
                                 containers: containers, nodeSelector: nodeSelector, nodeAffinity: nodeAffinity,
                                 podAffinity: podAffinity, podAntiAffinity: podAntiAffinity, tolerations: tolerations,
                                 topologySpreadConstraints: topologySpreadConstraints, ownerSelector: ownerSelector, work: work))
    }
}

/// `spec.preemptionPolicy`.
public enum PreemptionPolicy: String, Sendable, CaseIterable {
    /// The default: lower-priority pods may be preempted to make room.
    case preemptLowerPriority = "PreemptLowerPriority"
    /// Never preempt.
    case never = "Never"
}
