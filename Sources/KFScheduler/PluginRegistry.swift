/// An upstream plugin whose inputs kfsim does not model (see `PluginRegistry.registerInert`).
public final class InertPlugin: SchedulerPlugin {
    public let name: String
    init(name: String) { self.name = name }
}

/// Plugin factories by name. Every policy is a plugin registered here; nothing else switches on names.
public struct PluginRegistry: Sendable {
    /// Builds a plugin instance from its `pluginConfig` args.
    public typealias Factory = @Sendable (PluginArgs) throws(PluginArgsError) -> SchedulerPlugin

    private var factories: [String: Factory] = [:]
    private var inert: Set<String> = []

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

    /// Registers an upstream plugin that acts only on what kfsim does not model (scheduling gates,
    /// `spec.nodeName`, host ports, volumes, binding): a configuration may name it and give it args
    /// (accepted as written), and it takes part in no scheduling decision.
    public mutating func registerInert(_ name: String) {
        inert.insert(name)
        register(name) { (_: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in InertPlugin(name: name) }
    }

    /// Whether `name` is an inert plugin.
    public func isInert(_ name: String) -> Bool { inert.contains(name) }

    /// Whether plugin `name` (built with default args) implements extension point `point`.
    public func implements(_ name: String, _ point: ExtensionPoint) -> Bool {
        guard !inert.contains(name), let make = factories[name], let p = try? make(.empty) else { return false }
        return p.role(at: point) != nil
    }

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
        r.register("NodeAffinity") { (args: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in
            NodeAffinityPlugin(addedAffinity: try args.addedAffinity())
        }
        noArgs("ImageLocality") { ImageLocality() }
        noArgs("InterPodAffinity") { InterPodAffinity() }
        r.register("PodTopologySpread") { (args: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in
            try args.checkTopologySpreadArgs()
            return PodTopologySpread()
        }
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
        // GPU sharing (the openb trace's simulator, Weng et al. ATC 2023).
        r.register("Open-Gpu-Share") { (args: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in try OpenGpuShare(args: args) }
        noArgs("FGDScore") { FGDScore() }
        noArgs("BestFitScore") { BestFitScore() }
        noArgs("DotProductScore") { DotProductScore() }
        noArgs("GpuPackingScore") { GpuPackingScore() }
        noArgs("GpuClusteringScore") { GpuClusteringScore() }
        noArgs("RandomScore") { RandomScore() }
        for name in ["SchedulingGates", "NodeName", "NodePorts", "VolumeRestrictions", "NodeVolumeLimits", "VolumeBinding",
                     "VolumeZone", "DefaultBinder", "DynamicResources", "PodGroupPodsCount"] {
            r.registerInert(name)
        }
        return r
    }()
}
