import KFCluster
import KFConfig
import KFControlPlane
import KFScheduler

/// How training jobs are admitted, placed and resized: one plugin per policy, chosen per workload,
/// registered by name. The engine never branches on a policy's name.
public protocol TrainingPolicy: AnyObject {
    /// The registered name.
    var name: String { get }
    /// Called whenever something may let a decision change (an arrival, a job ending, pods starting or
    /// ending, the operator's periodic resync): starts waiting jobs and resizes running ones through `ctx`.
    func decide(_ ctx: TrainingContext)
}

/// A training policy a TFJob workload can name (`policy: NAME` or `policy: {name: NAME, <parameters>}`):
/// its parameters, the scheduler plugins it relies on, and how to make it.
public struct TrainingPolicyKind: Sendable {
    /// The registered name.
    public var name: String
    /// Parameter keys it accepts.
    public var parameters: [String]
    /// Scheduler plugins it needs, with the extension points they must be enabled at.
    public var requires: [(plugin: String, points: [ExtensionPoint])]
    /// Reads its parameters (nil: none given) into a factory of fresh instances (one per run).
    public var make: @Sendable (ConfigMap?) throws(ConfigError) -> @Sendable () -> TrainingPolicy

    /// A policy kind.
    public init(name: String, parameters: [String] = [], requires: [(plugin: String, points: [ExtensionPoint])] = [],
                make: @escaping @Sendable (ConfigMap?) throws(ConfigError) -> @Sendable () -> TrainingPolicy) {
        self.name = name
        self.parameters = parameters
        self.requires = requires
        self.make = make
    }

    /// A policy without parameters.
    public static func simple(_ name: String, requires: [(plugin: String, points: [ExtensionPoint])] = [],
                              _ make: @escaping @Sendable () -> TrainingPolicy) -> TrainingPolicyKind {
        TrainingPolicyKind(name: name, requires: requires) { (_: ConfigMap?) throws(ConfigError) in make }
    }
}

/// The training policies TFJob workloads can name. Callers extend it and register the TFJob kind made
/// with it: `var p = TrainingPolicies.builtIn; p.register(mine); kinds.register(.tfJob(policies: p))`.
public struct TrainingPolicies: Sendable {
    private var kinds: [String: TrainingPolicyKind] = [:]

    /// No policies.
    public init() {}

    /// Registers (or replaces) a policy.
    public mutating func register(_ kind: TrainingPolicyKind) { kinds[kind.name] = kind }

    /// The registered names, sorted.
    public var names: [String] { kinds.keys.sorted() }

    /// The policy called `name`.
    public func kind(named name: String) -> TrainingPolicyKind? { kinds[name] }

    /// kfsim's policies: default, gang, coscheduling, affinity, topology, autoscaling, optimus.
    public static let builtIn: TrainingPolicies = {
        var r = TrainingPolicies()
        r.register(.simple("default") { DefaultTrainingPolicy() })
        r.register(.simple("gang") { GangTrainingPolicy() })
        r.register(.simple("topology") { TopologyTrainingPolicy() })
        r.register(.simple("coscheduling", requires: [("Coscheduling", [.preFilter, .permit])]) { CoschedulingTrainingPolicy() })
        r.register(.simple("affinity") { AffinityTrainingPolicy() })
        r.register(AutoscalingTrainingPolicy.kind)
        r.register(.simple("optimus") { OptimusTrainingPolicy() })
        return r
    }()
}
