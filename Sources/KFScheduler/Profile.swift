/// A problem in a scheduler profile, located by a key path below the profile.
public struct ProfileError: Error, Equatable, Sendable {
    /// Path below `profiles[i]`, e.g. `plugins.score.enabled[0].name`.
    public var path: String
    /// What is wrong and what would be accepted.
    public var message: String
}

/// A built and validated scheduler profile: plugin instances per extension point.
public final class Profile {
    /// `schedulerName`.
    public let schedulerName: String
    /// Queue sort.
    public let queueSort: QueueSortPlugin
    /// PreFilter plugins, in order.
    public let preFilters: [PreFilterPlugin]
    /// Filter plugins, in order.
    public let filters: [FilterPlugin]
    /// PostFilter plugins.
    public let postFilters: [PostFilterPlugin]
    /// PreScore plugins.
    public let preScores: [PreScorePlugin]
    /// Score plugins with weights.
    public let scorers: [(plugin: ScorePlugin, weight: Int64)]
    /// Reserve plugins.
    public let reservers: [ReservePlugin]
    /// Permit plugins.
    public let permits: [PermitPlugin]
    /// Every plugin instance of the profile, by name.
    public let plugins: [SchedulerPlugin]

    /// Builds `config` with plugins from `registry`, validating names, stages, weights and args.
    public init(_ config: ProfileConfiguration, registry: PluginRegistry = .builtIn) throws(ProfileError) {
        schedulerName = config.schedulerName
        let resolved = try Profile.resolve(config, registry)
        var factory = try PluginFactory(config, registry)
        func stage<T>(_ point: ExtensionPoint, _ type: T.Type, _ what: String) throws(ProfileError) -> [T] {
            var out: [T] = []
            for (i, ref) in (resolved[point] ?? []).enumerated() {
                guard let p = try factory.instance(ref.name) as? T else {
                    throw ProfileError(path: "plugins.\(point.rawValue).enabled[\(max(0, i))].name",
                                       message: "plugin '\(ref.name)' does not implement \(what)")
                }
                out.append(p)
            }
            return out
        }
        let sorts = try stage(.queueSort, QueueSortPlugin.self, "QueueSort")
        guard sorts.count == 1 else {
            throw ProfileError(path: "plugins.queueSort", message: "exactly one queue sort plugin is required, found \(sorts.count)")
        }
        queueSort = sorts[0]
        preFilters = try stage(.preFilter, PreFilterPlugin.self, "PreFilter")
        filters = try stage(.filter, FilterPlugin.self, "Filter")
        postFilters = try stage(.postFilter, PostFilterPlugin.self, "PostFilter")
        preScores = try stage(.preScore, PreScorePlugin.self, "PreScore")
        let scorePlugins = try stage(.score, ScorePlugin.self, "Score")
        scorers = zip(scorePlugins, resolved[.score] ?? []).map { ($0, $1.weight ?? 1) }
        reservers = try stage(.reserve, ReservePlugin.self, "Reserve")
        permits = try stage(.permit, PermitPlugin.self, "Permit")
        plugins = factory.instances.keys.sorted().map { factory.instances[$0]! }
        // Plugins configured but used nowhere would be silently ignored: refuse them.
        for (index, pc) in config.pluginConfig.enumerated() where factory.instances[pc.name] == nil {
            throw ProfileError(path: "pluginConfig[\(index)].name", message: "plugin '\(pc.name)' is configured but not enabled at any extension point")
        }
    }

    /// The plugin names per extension point: the defaults minus the disabled, plus the enabled.
    static func resolve(_ config: ProfileConfiguration, _ registry: PluginRegistry) throws(ProfileError) -> [ExtensionPoint: [PluginRef]] {
        var resolved: [ExtensionPoint: [PluginRef]] = [:]
        for point in ExtensionPoint.allCases {
            var list = ProfileConfiguration.defaultPlugins[point] ?? []
            let set = config.plugins[point] ?? PluginSet()
            for (i, d) in set.disabled.enumerated() {
                if d.name == "*" { list.removeAll(); continue }
                guard registry.factory(d.name) != nil else {
                    throw ProfileError(path: "plugins.\(point.rawValue).disabled[\(i)].name",
                                       message: "unknown plugin '\(d.name)'; accepted: \(registry.names.joined(separator: ", ")), *")
                }
                list.removeAll { $0.name == d.name }
            }
            for (i, e) in set.enabled.enumerated() {
                let path = "plugins.\(point.rawValue).enabled[\(i)]"
                guard registry.factory(e.name) != nil else {
                    throw ProfileError(path: "\(path).name", message: "unknown plugin '\(e.name)'; accepted: \(registry.names.joined(separator: ", "))")
                }
                if let w = e.weight {
                    guard point == .score else { throw ProfileError(path: "\(path).weight", message: "weight is only accepted at the score extension point") }
                    guard w > 0 else { throw ProfileError(path: "\(path).weight", message: "score weight must be positive, got \(w)") }
                }
                list.removeAll { $0.name == e.name }
                list.append(e)
            }
            resolved[point] = list
        }
        return resolved
    }
}

/// One instance per plugin name, built with its `pluginConfig` args on first use.
struct PluginFactory {
    let registry: PluginRegistry
    var argsByName: [String: (Int, PluginArgs)] = [:]
    var instances: [String: SchedulerPlugin] = [:]

    init(_ config: ProfileConfiguration, _ registry: PluginRegistry) throws(ProfileError) {
        self.registry = registry
        for (i, pc) in config.pluginConfig.enumerated() {
            guard registry.factory(pc.name) != nil else {
                throw ProfileError(path: "pluginConfig[\(i)].name", message: "unknown plugin '\(pc.name)'; accepted: \(registry.names.joined(separator: ", "))")
            }
            guard argsByName[pc.name] == nil else {
                throw ProfileError(path: "pluginConfig[\(i)].name", message: "plugin '\(pc.name)' is configured twice")
            }
            argsByName[pc.name] = (i, pc.args)
        }
    }

    mutating func instance(_ name: String) throws(ProfileError) -> SchedulerPlugin {
        if let existing = instances[name] { return existing }
        let (index, args) = argsByName[name] ?? (-1, .empty)
        do {
            let plugin = try registry.factory(name)!(args)
            instances[name] = plugin
            return plugin
        } catch {
            let base = index >= 0 ? "pluginConfig[\(index)].args" : "pluginConfig"
            throw ProfileError(path: error.path.isEmpty ? base : "\(base).\(error.path)", message: error.message)
        }
    }
}
