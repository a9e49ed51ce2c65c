import KFConfig
import KFScheduler
import Yams

extension LoadContext {
    /// `spec.scheduler` in KubeSchedulerConfiguration terms, or `configFile:` naming a
    /// KubeSchedulerConfiguration file as given to kube-scheduler `--config` (kfsim-only keys may sit
    /// beside it); reference mode replaces it.
    ///
    /// Plugins kfsim does not know (out-of-tree ones) are refused, unless `unknownPlugins: inert` makes
    /// them inert (named, configured, deciding nothing; listed in a warning); the registry returned
    /// includes them.
    func schedulerConfiguration(_ node: ConfigNode?, reference: Bool, plugins registry: PluginRegistry)
        throws(ConfigError) -> (SchedulerConfiguration, PluginRegistry, [String]) {
        if reference {
            if let node { throw node.error("reference mode fixes the scheduler configuration; remove 'scheduler' or 'reference'") }
            return (.reference, registry, [])
        }
        var config = SchedulerConfiguration()
        guard let node else { return (config, registry, []) }
        let upstreamKeys = ["percentageOfNodesToScore", "podInitialBackoffSeconds", "podMaxBackoffSeconds", "profiles"]
        let m = try node.mapping(upstreamKeys + ["unschedulableFlushSeconds", "popFromBackoffQ", "tieBreak", "configFile", "unknownPlugins",
                                                    "retryShortcuts"])
        var source = node
        if let fileNode = m["configFile"] {
            if let both = upstreamKeys.first(where: { m.has($0) }) {
                throw m[both]!.error("'\(both)' comes from the configFile; give it there, not both")
            }
            source = try kubeSchedulerConfigurationFile(fileNode)
            try upstreamSettings(try source.mapping(LoadContext.kubeSchedulerConfigurationKeys), into: &config)
        } else {
            try upstreamSettings(m, into: &config)
        }
        if let f = m["unschedulableFlushSeconds"] { config.unschedulableFlushSeconds = try f.double(1...86400) }
        if let g = m["popFromBackoffQ"] { config.popFromBackoffQ = try g.bool() }
        if let r = m["retryShortcuts"] { config.retryShortcuts = try r.bool() }
        if let t = m["tieBreak"] { config.tieBreak = TieBreak(rawValue: try t.oneOf(TieBreak.allCases.map(\.rawValue)))! }
        var plugins = registry
        var warnings: [String] = []
        if try m["unknownPlugins"]?.oneOf(["refuse", "inert"]) == "inert" {
            let unknown = config.profiles.flatMap(\.pluginNames).filter { $0 != "*" && registry.factory($0) == nil }
            for name in Set(unknown).sorted() { plugins.registerInert(name) }
            if !unknown.isEmpty {
                warnings.append("\(file): spec.scheduler: plugins kfsim does not know are inert (they decide nothing): "
                                + Set(unknown).sorted().joined(separator: ", "))
            }
        }
        // Build every profile once so plugin names, stages, weights and args are checked now.
        for (i, p) in config.profiles.enumerated() {
            do { _ = try Profile(p, registry: plugins) } catch {
                throw locate(source, "profiles[\(i)].\(error.path)", error.message)
            }
        }
        let names = config.profiles.map(\.schedulerName)
        if let dup = names.enumerated().first(where: { names.firstIndex(of: $0.element) != $0.offset }) {
            throw locate(source, "profiles[\(dup.offset)].schedulerName", "duplicate schedulerName '\(dup.element)'")
        }
        return (config, plugins, warnings)
    }

    /// The settings KubeSchedulerConfiguration and the scenario share.
    func upstreamSettings(_ m: ConfigMap, into config: inout SchedulerConfiguration) throws(ConfigError) {
        if let p = m["percentageOfNodesToScore"] { config.percentageOfNodesToScore = try p.int(0...100) }
        if let b = m["podInitialBackoffSeconds"] { config.podInitialBackoffSeconds = try b.double(0...86400) }
        if let b = m["podMaxBackoffSeconds"] {
            config.podMaxBackoffSeconds = try b.double(0...86400)
            guard config.podMaxBackoffSeconds >= config.podInitialBackoffSeconds else {
                throw b.error("must be at least podInitialBackoffSeconds (\(config.podInitialBackoffSeconds))")
            }
        }
        if let profiles = m["profiles"] {
            let items = try profiles.list()
            guard !items.isEmpty else { throw profiles.error("at least one profile is required") }
            config.profiles = try items.map { (p: ConfigNode) throws(ConfigError) -> ProfileConfiguration in try profile(p) }
        }
    }

    /// The upstream extension points kfsim's model has no stage for (their plugins act on what kfsim
    /// does not model); their lists are checked and otherwise ignored.
    static let unmodelledPoints = ["preEnqueue", "preBind", "bind", "postBind", "placementScore"]

    func profile(_ node: ConfigNode) throws(ConfigError) -> ProfileConfiguration {
        let m = try node.mapping(["schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig"])
        var p = ProfileConfiguration(schedulerName: try m["schedulerName"]?.name() ?? "default-scheduler")
        if let n = m["percentageOfNodesToScore"] { p.percentageOfNodesToScore = try n.int(0...100) }
        if let plugins = m["plugins"] {
            let pm = try plugins.mapping(ExtensionPoint.allCases.map(\.rawValue) + ["multiPoint"] + LoadContext.unmodelledPoints)
            for point in ExtensionPoint.allCases {
                if let set = pm[point.rawValue] { p.plugins[point] = try pluginSet(set) }
            }
            if let set = pm["multiPoint"] { p.multiPoint = try pluginSet(set) }
            for name in LoadContext.unmodelledPoints { if let set = pm[name] { p.unmodelledPoints.append(try pluginSet(set)) } }
        }
        for item in try m["pluginConfig"]?.list() ?? [] {
            let c = try item.mapping(["name", "args"])
            p.pluginConfig.append((try c.required("name").name(), try c["args"].map { (a: ConfigNode) throws(ConfigError) in try pluginArgs(a, top: true) } ?? .empty))
        }
        return p
    }

    /// `{enabled: [{name, weight}], disabled: [{name}]}`.
    func pluginSet(_ node: ConfigNode) throws(ConfigError) -> PluginSet {
        let sm = try node.mapping(["enabled", "disabled"])
        func refs(_ n: ConfigNode?) throws(ConfigError) -> [PluginRef] {
            try (n?.list() ?? []).map { (item: ConfigNode) throws(ConfigError) -> PluginRef in
                let r = try item.mapping(["name", "weight"])
                return PluginRef(name: try r.required("name").name(), weight: try r["weight"]?.int(Int64(Int32.min)...Int64(Int32.max)))
            }
        }
        return PluginSet(enabled: try refs(sm["enabled"]), disabled: try refs(sm["disabled"]))
    }

    /// A plugin's args as a value tree; at the top, the `apiVersion` and `kind` upstream args carry
    /// (`kind: NodeResourcesFitArgs`) are checked and dropped.
    func pluginArgs(_ node: ConfigNode, top: Bool = false) throws(ConfigError) -> PluginArgs {
        switch node.node {
        case .scalar(let s): return .scalar(s.string)
        case .sequence: return .list(try node.list().map { (n: ConfigNode) throws(ConfigError) in try pluginArgs(n) })
        case .mapping:
            var pairs = try node.freeMapping()
            if top {
                if let v = pairs.first(where: { $0.0 == "apiVersion" })?.1 {
                    _ = try v.oneOf([LoadContext.kubeSchedulerAPIVersion])
                }
                if let k = pairs.first(where: { $0.0 == "kind" })?.1, !(try k.string()).hasSuffix("Args") {
                    throw k.error("expected a plugin args kind such as NodeResourcesFitArgs, got '\(try k.string())'")
                }
                pairs.removeAll { $0.0 == "apiVersion" || $0.0 == "kind" }
            }
            return .map(try pairs.map { (k, v) throws(ConfigError) in (k, try pluginArgs(v)) })
        case .alias: throw node.error("YAML aliases are not supported here")
        }
    }

    /// An error at the node reached from `base` by `relative` (`a.b[2].c`), or at the deepest node reached.
    func locate(_ base: ConfigNode, _ relative: String, _ message: String) -> ConfigError {
        var current = base.node
        var path = base.path
        for part in Overrides.components(relative) {
            let next: Yams.Node?
            if let i = Int(part), case .sequence(let s) = current { next = i < s.count ? s[i] : nil } else { next = current[part] }
            guard let n = next else { break }
            current = n
            path += Int(part) != nil ? "[\(part)]" : ".\(part)"
        }
        var e = ConfigNode(node: current, path: path, file: base.file).error(message)
        e.path = base.path.isEmpty ? relative : "\(base.path).\(relative)"
        return e
    }
}
