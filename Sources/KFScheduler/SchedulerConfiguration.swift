/// How ties between equally scored nodes are broken.
public enum TieBreak: String, Sendable, CaseIterable {
    /// Uniformly at random (reservoir sampling on the seeded `tieBreak` stream), as kube-scheduler.
    case random
    /// The lowest node index (reference runs).
    case first
}

/// The extension points a profile configures.
public enum ExtensionPoint: String, Sendable, CaseIterable {
    case queueSort, preFilter, filter, postFilter, preScore, score, reserve, permit
}

/// A plugin named at an extension point (weight only for `score`).
public struct PluginRef: Equatable, Sendable {
    /// Plugin name, or `*` in `disabled`.
    public var name: String
    /// Score weight (nil: the default weight, 1 for plugins without one).
    public var weight: Int64?
    /// A reference.
    public init(name: String, weight: Int64? = nil) {
        self.name = name
        self.weight = weight
    }
}

/// `enabled` and `disabled` lists of one extension point.
public struct PluginSet: Equatable, Sendable {
    /// Added after the defaults that remain.
    public var enabled: [PluginRef] = []
    /// Removed from the defaults (`*`: all).
    public var disabled: [PluginRef] = []
    /// A set.
    public init(enabled: [PluginRef] = [], disabled: [PluginRef] = []) {
        self.enabled = enabled
        self.disabled = disabled
    }
}

/// One scheduler profile as configured (KubeSchedulerConfiguration `profiles[]`).
public struct ProfileConfiguration: Equatable, Sendable {
    /// `schedulerName`.
    public var schedulerName: String
    /// Per extension point changes to the default plugins.
    public var plugins: [ExtensionPoint: PluginSet]
    /// `pluginConfig`: args by plugin name, in file order.
    public var pluginConfig: [(name: String, args: PluginArgs)]

    /// A profile.
    public init(schedulerName: String = "default-scheduler", plugins: [ExtensionPoint: PluginSet] = [:],
                pluginConfig: [(name: String, args: PluginArgs)] = []) {
        self.schedulerName = schedulerName
        self.plugins = plugins
        self.pluginConfig = pluginConfig
    }

    public static func == (a: ProfileConfiguration, b: ProfileConfiguration) -> Bool {
        a.schedulerName == b.schedulerName && a.plugins == b.plugins
            && a.pluginConfig.count == b.pluginConfig.count
            && zip(a.pluginConfig, b.pluginConfig).allSatisfy { $0.name == $1.name && $0.args == $1.args }
    }

    /// kube-scheduler's default plugins per extension point (score with weights).
    public static let defaultPlugins: [ExtensionPoint: [PluginRef]] = [
        .queueSort: [PluginRef(name: "PrioritySort")],
        .preFilter: [PluginRef(name: "NodeResourcesFit"), PluginRef(name: "PodTopologySpread"), PluginRef(name: "InterPodAffinity")],
        .filter: [PluginRef(name: "NodeUnschedulable"), PluginRef(name: "TaintToleration"), PluginRef(name: "NodeAffinity"),
                  PluginRef(name: "NodeResourcesFit"), PluginRef(name: "PodTopologySpread"), PluginRef(name: "InterPodAffinity")],
        .postFilter: [PluginRef(name: "DefaultPreemption")],
        .preScore: [PluginRef(name: "InterPodAffinity"), PluginRef(name: "PodTopologySpread")],
        .score: [PluginRef(name: "TaintToleration", weight: 3), PluginRef(name: "NodeAffinity", weight: 2),
                 PluginRef(name: "PodTopologySpread", weight: 2), PluginRef(name: "InterPodAffinity", weight: 2),
                 PluginRef(name: "NodeResourcesFit", weight: 1), PluginRef(name: "NodeResourcesBalancedAllocation", weight: 1),
                 PluginRef(name: "ImageLocality", weight: 1)],
        .reserve: [],
        .permit: [],
    ]

    /// The reference-mode profile: default filters, scoring by NodeResourcesFit (LeastAllocated) and
    /// NodeResourcesBalancedAllocation only.
    public static var reference: ProfileConfiguration {
        ProfileConfiguration(plugins: [.score: PluginSet(
            enabled: [PluginRef(name: "NodeResourcesFit", weight: 1), PluginRef(name: "NodeResourcesBalancedAllocation", weight: 1)],
            disabled: [PluginRef(name: "*")])])
    }
}

/// The scheduler's configuration (KubeSchedulerConfiguration terms).
public struct SchedulerConfiguration: Equatable, Sendable {
    /// `percentageOfNodesToScore`; 0 means the adaptive default `max(5, 50 - N/125)`.
    public var percentageOfNodesToScore: Int64
    /// `podInitialBackoffSeconds` (0 allowed).
    public var podInitialBackoffSeconds: Double
    /// `podMaxBackoffSeconds` (0 allowed).
    public var podMaxBackoffSeconds: Double
    /// `podMaxInUnschedulablePodsDuration` in seconds: a pod in the unschedulable pool longer than this is
    /// retried at the next 30 s flush without a cluster event.
    public var unschedulableFlushSeconds: Double
    /// The `SchedulerPopFromBackoffQ` feature gate (on by default since 1.33, KEP-5142): the scheduler
    /// pops the backoff queue when the active queue is empty, and backoffs end on whole-second windows.
    /// Off: kube-scheduler 1.32 (backoff pods wait for the 1 s flush after their backoff ends).
    public var popFromBackoffQ: Bool
    /// Tie-breaking between equal scores.
    public var tieBreak: TieBreak
    /// Profiles, by scheduler name.
    public var profiles: [ProfileConfiguration]

    /// A configuration; the defaults are kube-scheduler's.
    public init(percentageOfNodesToScore: Int64 = 0, podInitialBackoffSeconds: Double = 1, podMaxBackoffSeconds: Double = 10,
                unschedulableFlushSeconds: Double = 300, popFromBackoffQ: Bool = true, tieBreak: TieBreak = .random,
                profiles: [ProfileConfiguration] = [ProfileConfiguration()]) {
        self.popFromBackoffQ = popFromBackoffQ
        self.percentageOfNodesToScore = percentageOfNodesToScore
        self.podInitialBackoffSeconds = podInitialBackoffSeconds
        self.podMaxBackoffSeconds = podMaxBackoffSeconds
        self.unschedulableFlushSeconds = unschedulableFlushSeconds
        self.tieBreak = tieBreak
        self.profiles = profiles
    }

    /// Reference mode: every node scored, ties to the lowest index, no backoff, reference profile.
    public static var reference: SchedulerConfiguration {
        SchedulerConfiguration(percentageOfNodesToScore: 100, podInitialBackoffSeconds: 0, podMaxBackoffSeconds: 0,
                               tieBreak: .first, profiles: [.reference])
    }

    /// Backoff after `attempts` failed attempts: `initial * 2^(attempts-1)` capped at max.
    public func backoffSeconds(attempts: Int) -> Double {
        guard attempts > 0, podInitialBackoffSeconds > 0 else { return 0 }
        var d = podInitialBackoffSeconds
        for _ in 1..<attempts {
            d *= 2
            if d >= podMaxBackoffSeconds { return podMaxBackoffSeconds }
        }
        return min(d, podMaxBackoffSeconds)
    }
}
