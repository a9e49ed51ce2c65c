/// Plugin factories by name. Every policy is a plugin registered here; nothing else switches on names.
public struct PluginRegistry: Sendable {
    /// Builds a plugin instance from its `pluginConfig` args.
    public typealias Factory = @Sendable (PluginArgs) throws(PluginArgsError) -> SchedulerPlugin

    private var factories: [String: Factory] = [:]

    /// An empty registry.
    public init() {}

    /// The registered names, sorted.
    public var names: [String] { factories.keys.sorted() }

    /// Registers (or replaces) `name`.
    public mutating func register(_ name: String, _ factory: @escaping Factory) {
        factories[name] = factory
    }

    /// The factory for `name`, if registered.
    public func factory(_ name: String) -> Factory? { factories[name] }

    /// The in-tree plugins kfsim implements.
    public static let builtIn: PluginRegistry = {
        var r = PluginRegistry()
        func noArgs(_ name: String, _ make: @escaping @Sendable () -> SchedulerPlugin) {
            r.register(name) { (args: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in
                try args.requireKeys([], at: "")
                return make()
            }
        }
        noArgs("PrioritySort") { PrioritySort() }
        noArgs("NodeUnschedulable") { NodeUnschedulable() }
        noArgs("TaintToleration") { TaintToleration() }
        noArgs("NodeAffinity") { NodeAffinityPlugin() }
        noArgs("ImageLocality") { ImageLocality() }
        noArgs("InterPodAffinity") { InterPodAffinity() }
        noArgs("PodTopologySpread") { PodTopologySpread() }
        r.register("NodeResourcesFit") { (args: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in
            try NodeResourcesFit(args: args)
        }
        r.register("DefaultPreemption") { (args: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in
            try DefaultPreemption(args: args)
        }
        r.register("Coscheduling") { (args: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in
            try Coscheduling(args: args)
        }
        r.register("NodeResourcesBalancedAllocation") { (args: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in
            try NodeResourcesBalancedAllocation(args: args)
        }
        return r
    }()
}
