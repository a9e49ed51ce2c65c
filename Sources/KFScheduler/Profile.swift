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
    /// Whether some scorer reads only node state (`ScorePlugin.scoresByNodeState`).
    public let scoresByNodeState: Bool
    /// Whether some scorer must score a single feasible node (`ScorePlugin.scoresSingleNode`).
    public let scoresSingleNode: Bool
    /// The first 64 scorers that read only node state, and those that read only usage and requests
    /// (`scoresByNodeState`, `scoresByRequests`), as bits by position.
    let nodeStateScorers: UInt64, requestScorers: UInt64
    /// Reserve plugins.
    public let reservers: [ReservePlugin]
    /// Permit plugins.
    public let permits: [PermitPlugin]
    /// Every plugin instance of the profile, by name.
    public let plugins: [SchedulerPlugin]
    /// The profile's own `percentageOfNodesToScore` (nil: the configuration's).
    public let percentageOfNodesToScore: Int64?

    /// Builds `config` with plugins from `registry`, validating names, stages, weights and args.
    public init(_ config: ProfileConfiguration, registry: PluginRegistry = .builtIn) throws(ProfileError) {
        schedulerName = config.schedulerName
        percentageOfNodesToScore = config.percentageOfNodesToScore
        if let p = config.percentageOfNodesToScore, !(0...100).contains(p) {
            throw ProfileError(path: "percentageOfNodesToScore", message: "must be in 0...100, got \(p)")
        }
        let resolved = try Profile.resolve(config, registry)
        var factory = try PluginFactory(config, registry)
        func stage<T>(_ point: ExtensionPoint, _ role: (SchedulerPlugin) -> T?, _ what: String) throws(ProfileError) -> [T] {
            var out: [T] = []
            for (i, ref) in (resolved[point] ?? []).enumerated() where !registry.isInert(ref.name) {
                guard let p = role(try factory.instance(ref.name)) else {
                    throw ProfileError(path: "plugins.\(point.rawValue).enabled[\(max(0, i))].name",
                                       message: "plugin '\(ref.name)' does not implement \(what)")
                }
                out.append(p)
            }
            return out
        }
        let sorts = try stage(.queueSort, { $0.asQueueSort }, "QueueSort")
        guard sorts.count == 1 else {
            throw ProfileError(path: "plugins.queueSort", message: "exactly one queue sort plugin is required, found \(sorts.count)")
        }
        queueSort = sorts[0]
        preFilters = try stage(.preFilter, { $0.asPreFilter }, "PreFilter")
        filters = try stage(.filter, { $0.asFilter }, "Filter")
        postFilters = try stage(.postFilter, { $0.asPostFilter }, "PostFilter")
        preScores = try stage(.preScore, { $0.asPreScore }, "PreScore")
        let scorePlugins = try stage(.score, { $0.asScore }, "Score")
        // A weight of 0 (or none) counts as 1, as kube-scheduler's getScoreWeights.
        scorers = zip(scorePlugins, (resolved[.score] ?? []).filter { !registry.isInert($0.name) }).map { ($0, max($1.weight ?? 1, 1)) }
        scoresByNodeState = scorers.contains { $0.plugin.scoresByNodeState }
        scoresSingleNode = scorers.contains { $0.plugin.scoresSingleNode }
        var nodeState: UInt64 = 0, requests: UInt64 = 0
        for (i, s) in scorers.prefix(64).enumerated() {
            if s.plugin.scoresByNodeState { nodeState |= 1 << UInt64(i) }
            if s.plugin.scoresByRequests { requests |= 1 << UInt64(i) }
        }
        nodeStateScorers = nodeState
        requestScorers = requests
        reservers = try stage(.reserve, { $0.asReserve }, "Reserve")
        permits = try stage(.permit, { $0.asPermit }, "Permit")
        plugins = factory.instances.keys.sorted().map { factory.instances[$0]! }
        // Plugins configured but used nowhere would be silently ignored: refuse them.
        for (index, pc) in config.pluginConfig.enumerated() where factory.instances[pc.name] == nil && !registry.isInert(pc.name) {
            throw ProfileError(path: "pluginConfig[\(index)].name", message: "plugin '\(pc.name)' is configured but not enabled at any extension point")
        }
    }

    /// The plugins per extension point, as kube-scheduler's v1 configuration resolves them: the
    /// default multi-point plugins merged with the profile's `multiPoint` (`mergePluginSet`), then, at
    /// each extension point not disabled with `*`, the explicitly enabled plugins that are also
    /// multi-point first, the other multi-point plugins implementing the point (unless disabled there),
    /// then the remaining explicit ones (`expandMultiPointPlugins`).
    static func resolve(_ config: ProfileConfiguration, _ registry: PluginRegistry) throws(ProfileError) -> [ExtensionPoint: [PluginRef]] {
        let multi = try mergeMultiPoint(config.multiPoint, registry)
        for set in config.unmodelledPoints { try check(set, at: "plugins", registry, weights: true) }
        var resolved: [ExtensionPoint: [PluginRef]] = [:]
        for point in ExtensionPoint.allCases {
            let set = config.plugins[point] ?? PluginSet()
            try check(set, at: "plugins.\(point.rawValue)", registry, weights: point == .score)
            if set.disabled.contains(where: { $0.name == "*" }) {
                resolved[point] = set.enabled
                continue
            }
            let disabled = Set(set.disabled.map(\.name))
            let explicit = Set(set.enabled.map(\.name))
            let multiNames = Set(multi.map(\.name))
            let overrides = set.enabled.filter { multiNames.contains($0.name) }
            let expanded = multi.filter { registry.implements($0.name, point) && !disabled.contains($0.name) && !explicit.contains($0.name) }
            // A multi-point weight only counts at the score point; elsewhere it is dropped.
            let fromMulti = expanded.map { point == .score ? $0 : PluginRef(name: $0.name) }
            resolved[point] = overrides + fromMulti + set.enabled.filter { !multiNames.contains($0.name) }
        }
        return resolved
    }

    /// kube-scheduler's `mergePluginSet` of the default multi-point plugins and the profile's.
    static func mergeMultiPoint(_ custom: PluginSet, _ registry: PluginRegistry) throws(ProfileError) -> [PluginRef] {
        try check(custom, at: "plugins.multiPoint", registry, weights: true)
        let disabled = Set(custom.disabled.map(\.name))
        var replaced = Set<Int>()
        var out: [PluginRef] = []
        if !disabled.contains("*") {
            for d in ProfileConfiguration.defaultMultiPoint where !disabled.contains(d.name) {
                if let i = custom.enabled.firstIndex(where: { $0.name == d.name }) {
                    out.append(custom.enabled[i])
                    replaced.insert(i)
                } else {
                    out.append(d)
                }
            }
        }
        for (i, e) in custom.enabled.enumerated() where !replaced.contains(i) { out.append(e) }
        return out
    }

    /// Names known, weights positive and only where accepted, no plugin enabled twice.
    static func check(_ set: PluginSet, at base: String, _ registry: PluginRegistry, weights: Bool) throws(ProfileError) {
        for (i, d) in set.disabled.enumerated() where d.name != "*" && registry.factory(d.name) == nil {
            throw ProfileError(path: "\(base).disabled[\(i)].name",
                               message: "unknown plugin '\(d.name)'; accepted: \(registry.names.joined(separator: ", ")), *")
        }
        var seen = Set<String>()
        for (i, e) in set.enabled.enumerated() {
            let path = "\(base).enabled[\(i)]"
            guard registry.factory(e.name) != nil else {
                throw ProfileError(path: "\(path).name", message: "unknown plugin '\(e.name)'; accepted: \(registry.names.joined(separator: ", "))")
            }
            guard seen.insert(e.name).inserted else { throw ProfileError(path: "\(path).name", message: "plugin '\(e.name)' is enabled twice") }
            if let w = e.weight {
                guard weights else { throw ProfileError(path: "\(path).weight", message: "weight is only accepted at the score and multiPoint extension points") }
                guard w >= 0 else { throw ProfileError(path: "\(path).weight", message: "score weight must not be negative, got \(w)") }
            }
        }
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

extension ProfileConfiguration {
    /// The plugin names at each extension point once the multi-point plugins are expanded (nil when the
    /// configuration is invalid).
    public func resolvedPlugins(registry: PluginRegistry = .builtIn) -> [ExtensionPoint: [String]]? {
        guard let resolved = try? Profile.resolve(self, registry) else { return nil }
        return resolved.mapValues { $0.map(\.name) }
    }
}
