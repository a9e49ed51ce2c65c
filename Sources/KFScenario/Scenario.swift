import KFConfig
import KFCluster
import KFEngine
import KFScheduler
import KFControlPlane
import KFWorkloads

/// A workload of a scenario: what it is, and how to make a fresh controller for one run.
public struct WorkloadSpec: Sendable {
    /// Name, unique in the scenario.
    public var name: String
    /// Kind as written (`Pod`, `Job`, `ParallelFor`, `Trace`).
    public var kind: String
    /// Makes the controller (controllers hold run state, so each run gets new ones).
    public var make: @Sendable () -> WorkloadController
}

/// A validated scenario, ready to build simulations from.
public struct Scenario: Sendable {
    /// The scenario file.
    public var file: String
    /// `metadata.name`.
    public var name: String
    /// The seed (`spec.seed`, overridden by `--seed`).
    public var seed: UInt64
    /// Run settings.
    public var options: SimulationOptions
    /// Nodes.
    public var nodes: [NodeSpec]
    /// Image sizes by name.
    public var imageSizes: [String: Int64]
    /// Namespaces.
    public var namespaces: [NamespaceSpec]
    /// Scheduler configuration.
    public var scheduler: SchedulerConfiguration
    /// Workloads, in file order.
    public var workloads: [WorkloadSpec]
    /// A hash of the scenario text and overrides (FNV-1a 64, hex).
    public var hash: String
    /// Non-fatal findings (e.g. a pod template larger than every node).
    public var warnings: [String]
    /// The file's `sweep:` section, if any.
    public var sweep: SweepDefinition?
    /// The workload kinds, training policies and scheduler plugins it was read with.
    public var registries: Registries
    /// Node groups that can add nodes at run time (set by callers; scenario files have none yet).
    public var nodeGroups: [NodeGroup] = []
    /// The Cluster Autoscaler's settings (nil: node groups keep their size).
    public var clusterAutoscaler: ClusterAutoscalerSpec?
    /// Each zone's uplink in bits per second (`cluster.zoneBandwidth`; nil: zones are no bottleneck).
    public var zoneBandwidth: Double?

    /// A fresh simulation of this scenario under `seed`.
    public func makeSimulation(seed: UInt64? = nil) throws -> Simulation {
        let streams = RandomStreams(seed: seed ?? self.seed)
        let cluster = ClusterState(nodes: nodes, namespaces: namespaces, imageSizes: imageSizes, nodeGroups: nodeGroups,
                                   zoneUplinkBitsPerSecond: zoneBandwidth)
        let scheduler = try Scheduler(configuration: self.scheduler, cluster: cluster, tieStream: streams.stream("tieBreak"),
                                      registry: registries.schedulerPlugins, preemptionStream: streams.stream("preemption"))
        let sim = Simulation(cluster: cluster, scheduler: scheduler, streams: streams, options: options)
        for w in workloads { sim.add(w.make()) }
        if let clusterAutoscaler { _ = sim.add(system: ClusterAutoscaler(spec: clusterAutoscaler)) }
        return sim
    }
}

/// What a scenario can name: workload kinds (each with its loader, controller and reporter; TFJob
/// carries the training policies) and scheduler plugins. Callers extend `builtIn`.
public struct Registries: Sendable {
    /// Workload kinds.
    public var workloadKinds: WorkloadKinds
    /// Scheduler plugins.
    public var schedulerPlugins: PluginRegistry

    /// Registries.
    public init(workloadKinds: WorkloadKinds = .builtIn, schedulerPlugins: PluginRegistry = .builtIn) {
        self.workloadKinds = workloadKinds
        self.schedulerPlugins = schedulerPlugins
    }

    /// kfsim's own.
    public static let builtIn = Registries()
}

/// FNV-1a 64-bit hash as 16 hex digits.
public func fnv1aHex(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
