import KFControlPlane

/// The workload kinds a scenario can name, in registration order (the order errors list them in).
/// Callers extend it: `var kinds = WorkloadKinds.builtIn; kinds.register(myKind)`.
public struct WorkloadKinds: Sendable {
    private var kinds: [WorkloadKind] = []
    /// Reporters of system controllers (the Cluster Autoscaler), after the kinds'.
    public var systemReporters: [RunReporter] = []

    /// No kinds.
    public init() {}

    /// Registers `kind` (replacing one of the same name in place).
    public mutating func register(_ kind: WorkloadKind) {
        if let i = kinds.firstIndex(where: { $0.name == kind.name }) { kinds[i] = kind } else { kinds.append(kind) }
    }

    /// The kind called `name`.
    public func kind(named name: String) -> WorkloadKind? { kinds.first { $0.name == name } }

    /// Registered names, in order.
    public var names: [String] { kinds.map(\.name) }

    /// Every key some kind accepts, sorted.
    public var allKeys: [String] { Array(Set(kinds.flatMap(\.keys))).sorted() }

    /// The kinds' reporters, in order.
    public var reporters: [RunReporter] { kinds.compactMap(\.reporter) + systemReporters }

    /// kfsim's kinds: bare pods, batch Jobs, ParallelFor fan-outs, trace replay, TFJobs, pipelines and services.
    public static let builtIn: WorkloadKinds = {
        var k = WorkloadKinds()
        k.register(.pod)
        k.register(.job)
        k.register(.parallelFor)
        k.register(.trace)
        k.register(.tfJob())
        // One training runtime serves all four names: the TFJob kind's reporter reports them all.
        for name in ["PyTorchJob", "MPIJob", "TrainJob"] { k.register(.tfJob(name: name, reporter: nil)) }
        k.register(.pipeline)
        k.register(.deployment)
        k.register(.inferenceService)
        k.register(.experiment)
        k.systemReporters = [ClusterAutoscalerReporter()]
        return k
    }()
}
