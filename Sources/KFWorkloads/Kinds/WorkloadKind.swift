import KFCluster
import KFConfig
import KFControlPlane
import KFScheduler

/// One `spec.workloads[]` entry as a kind's loader sees it: its name and namespace (checked), its keys
/// (checked against the kind's `keys`) and the context to read them in.
public struct WorkloadEntry {
    /// The workload's name, unique in the scenario.
    public let name: String
    /// Its namespace (declared in the scenario).
    public let namespace: String
    /// Its keys.
    public let fields: ConfigMap
    /// The entry itself (for errors located at it).
    public let node: ConfigNode
    /// The file being read.
    public let context: LoadContext

    /// An entry.
    public init(name: String, namespace: String, fields: ConfigMap, node: ConfigNode, context: LoadContext) {
        self.name = name
        self.namespace = namespace
        self.fields = fields
        self.node = node
        self.context = context
    }
}

/// A plugin the scheduler must enable for a workload to work (Coscheduling for gang scheduling).
public struct SchedulerRequirement: Sendable {
    /// The plugin.
    public var plugin: String
    /// The extension points it must be enabled at (in some profile).
    public var points: [ExtensionPoint]
    /// The error to report, located at the scenario key that asked for it, when it is missing.
    public var error: ConfigError

    /// A requirement.
    public init(plugin: String, points: [ExtensionPoint], error: ConfigError) {
        self.plugin = plugin
        self.points = points
        self.error = error
    }

    /// Whether some profile of `configuration` enables the plugin at every point (explicitly or through
    /// `multiPoint`).
    public func isMet(by configuration: SchedulerConfiguration, registry: PluginRegistry = .builtIn) -> Bool {
        configuration.profiles.contains { p in
            guard let resolved = p.resolvedPlugins(registry: registry) else { return false }
            return points.allSatisfy { point in resolved[point]?.contains(plugin) ?? false }
        }
    }
}

/// A workload entry read: how to make its controller for each run (controllers hold run state, so
/// every run gets new ones), its pod templates (to warn about pods no node can hold) and what it needs
/// from the scheduler.
public struct LoadedWorkload: Sendable {
    /// Makes a fresh controller.
    public var make: @Sendable () -> WorkloadController
    /// Pod templates with the key path they came from.
    public var templates: [(path: String, spec: PodSpec)]
    /// Scheduler plugins it needs.
    public var requirements: [SchedulerRequirement]

    /// A loaded workload.
    public init(templates: [(path: String, spec: PodSpec)] = [], requirements: [SchedulerRequirement] = [],
                make: @escaping @Sendable () -> WorkloadController) {
        self.make = make
        self.templates = templates
        self.requirements = requirements
    }
}

/// A kind of workload a scenario can name (`kind: Job`): the keys it accepts, how an entry becomes a
/// controller, and what its runs add to the results. A new kind is a folder with its controller and
/// one of these, registered in `WorkloadKinds`.
public struct WorkloadKind: Sendable {
    /// The name scenarios use in `kind:`.
    public var name: String
    /// Keys an entry accepts besides `name`, `kind` and `namespace`.
    public var keys: [String]
    /// Reads an entry.
    public var load: @Sendable (WorkloadEntry) throws(ConfigError) -> LoadedWorkload
    /// What its runs report beyond pods and jobs (nil: nothing).
    public var reporter: RunReporter?

    /// A kind.
    public init(name: String, keys: [String], reporter: RunReporter? = nil,
                load: @escaping @Sendable (WorkloadEntry) throws(ConfigError) -> LoadedWorkload) {
        self.name = name
        self.keys = keys
        self.load = load
        self.reporter = reporter
    }
}
