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
    /// Per extension point changes (explicit `enabled` and `disabled` lists).
    public var plugins: [ExtensionPoint: PluginSet]
    /// `plugins.multiPoint`: merged with kube-scheduler's default multi-point plugins, then expanded to
    /// every extension point each plugin implements.
    public var multiPoint: PluginSet
    /// The profile's `percentageOfNodesToScore` (nil: the configuration's).
    public var percentageOfNodesToScore: Int64?
    /// `pluginConfig`: args by plugin name, in file order.
    public var pluginConfig: [(name: String, args: PluginArgs)]
    /// Plugin sets of upstream extension points kfsim has no stage for (preEnqueue, bind, ...): their
    /// names are checked, nothing else.
    public var unmodelledPoints: [PluginSet] = []

    /// Every plugin name the profile mentions (enabled, disabled, configured).
    public var pluginNames: [String] {
        let sets = Array(plugins.values) + [multiPoint] + unmodelledPoints
        return sets.flatMap { $0.enabled.map(\.name) + $0.disabled.map(\.name) } + pluginConfig.map(\.name)
    }

    /// A profile.
    public init(schedulerName: String = "default-scheduler", plugins: [ExtensionPoint: PluginSet] = [:],
                multiPoint: PluginSet = PluginSet(), percentageOfNodesToScore: Int64? = nil,
                pluginConfig: [(name: String, args: PluginArgs)] = []) {
        self.schedulerName = schedulerName
        self.plugins = plugins
        self.multiPoint = multiPoint
        self.percentageOfNodesToScore = percentageOfNodesToScore
        self.pluginConfig = pluginConfig
    }

    public static func == (a: ProfileConfiguration, b: ProfileConfiguration) -> Bool {
        a.schedulerName == b.schedulerName && a.plugins == b.plugins && a.multiPoint == b.multiPoint
            && a.percentageOfNodesToScore == b.percentageOfNodesToScore && a.pluginConfig.count == b.pluginConfig.count
            && zip(a.pluginConfig, b.pluginConfig).allSatisfy { $0.name == $1.name && $0.args == $1.args }
    }

    /// kube-scheduler's default plugins (KubeSchedulerConfiguration v1: all at `multiPoint`, score
    /// weights given), in upstream order (`pkg/scheduler/apis/config/v1/default_plugins.go`). Those
    /// that act on what kfsim does not model (gates, node names, ports, volumes, binding) are inert here.
    public static let defaultMultiPoint: [PluginRef] = [
        PluginRef(name: "SchedulingGates"), PluginRef(name: "PrioritySort"), PluginRef(name: "NodeUnschedulable"),
        PluginRef(name: "NodeName"), PluginRef(name: "TaintToleration", weight: 3), PluginRef(name: "NodeAffinity", weight: 2),
        PluginRef(name: "NodePorts"), PluginRef(name: "NodeResourcesFit", weight: 1), PluginRef(name: "VolumeRestrictions"),
        PluginRef(name: "NodeVolumeLimits"), PluginRef(name: "VolumeBinding"), PluginRef(name: "VolumeZone"),
        PluginRef(name: "PodTopologySpread", weight: 2), PluginRef(name: "InterPodAffinity", weight: 2),
        PluginRef(name: "DefaultPreemption"), PluginRef(name: "NodeResourcesBalancedAllocation", weight: 1),
        PluginRef(name: "ImageLocality", weight: 1), PluginRef(name: "DefaultBinder"),
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
    /// Whether retries known to fail are counted without being evaluated (`Scheduler+FutileRetry`,
    /// `SchedulingQueue+Tentative`, `SchedulingQueue+Parked`). Off: every retry is evaluated, as
    /// kube-scheduler does; slower, the same placements, times and attempt counts (only a waiting pod's
    /// diagnosis text may differ). For checking the shortcuts.
    public var retryShortcuts = true
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
