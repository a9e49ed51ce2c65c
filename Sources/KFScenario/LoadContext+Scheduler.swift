import KFConfig
import KFScheduler
import Yams

extension LoadContext {
    /// `spec.scheduler` in KubeSchedulerConfiguration terms; reference mode replaces it.
    func schedulerConfiguration(_ node: ConfigNode?, reference: Bool, plugins: PluginRegistry) throws(ConfigError) -> SchedulerConfiguration {
        if reference {
            if let node { throw node.error("reference mode fixes the scheduler configuration; remove 'scheduler' or 'reference'") }
            return .reference
        }
        var config = SchedulerConfiguration()
        guard let node else { return config }
        let m = try node.mapping(["percentageOfNodesToScore", "podInitialBackoffSeconds", "podMaxBackoffSeconds",
                                  "unschedulableFlushSeconds", "popFromBackoffQ", "tieBreak", "profiles"])
        if let p = m["percentageOfNodesToScore"] { config.percentageOfNodesToScore = try p.int(0...100) }
        if let b = m["podInitialBackoffSeconds"] { config.podInitialBackoffSeconds = try b.double(0...86400) }
        if let b = m["podMaxBackoffSeconds"] {
            config.podMaxBackoffSeconds = try b.double(0...86400)
            guard config.podMaxBackoffSeconds >= config.podInitialBackoffSeconds else {
                throw b.error("must be at least podInitialBackoffSeconds (\(config.podInitialBackoffSeconds))")
            }
        }
        if let f = m["unschedulableFlushSeconds"] { config.unschedulableFlushSeconds = try f.double(1...86400) }
        if let g = m["popFromBackoffQ"] { config.popFromBackoffQ = try g.bool() }
        if let t = m["tieBreak"] { config.tieBreak = TieBreak(rawValue: try t.oneOf(TieBreak.allCases.map(\.rawValue)))! }
        if let profiles = m["profiles"] {
            let items = try profiles.list()
            guard !items.isEmpty else { throw profiles.error("at least one profile is required") }
            config.profiles = try items.map { (p: ConfigNode) throws(ConfigError) -> ProfileConfiguration in try profile(p) }
        }
        // Build every profile once so plugin names, stages, weights and args are checked now.
        for (i, p) in config.profiles.enumerated() {
            do { _ = try Profile(p, registry: plugins) } catch {
                throw locate(ConfigNode(node: node.node, path: node.path, file: node.file), "profiles[\(i)].\(error.path)", error.message)
            }
        }
        let names = config.profiles.map(\.schedulerName)
        if let dup = names.enumerated().first(where: { names.firstIndex(of: $0.element) != $0.offset }) {
            throw locate(node, "profiles[\(dup.offset)].schedulerName", "duplicate schedulerName '\(dup.element)'")
        }
        return config
    }

    func profile(_ node: ConfigNode) throws(ConfigError) -> ProfileConfiguration {
        let m = try node.mapping(["schedulerName", "plugins", "pluginConfig"])
        var p = ProfileConfiguration(schedulerName: try m["schedulerName"]?.name() ?? "default-scheduler")
        if let plugins = m["plugins"] {
            let pm = try plugins.mapping(ExtensionPoint.allCases.map(\.rawValue))
            for point in ExtensionPoint.allCases {
                guard let set = pm[point.rawValue] else { continue }
                let sm = try set.mapping(["enabled", "disabled"])
                func refs(_ n: ConfigNode?) throws(ConfigError) -> [PluginRef] {
                    try (n?.list() ?? []).map { (item: ConfigNode) throws(ConfigError) -> PluginRef in
                        let r = try item.mapping(["name", "weight"])
                        return PluginRef(name: try r.required("name").name(), weight: try r["weight"]?.int())
                    }
                }
                p.plugins[point] = PluginSet(enabled: try refs(sm["enabled"]), disabled: try refs(sm["disabled"]))
            }
        }
        for item in try m["pluginConfig"]?.list() ?? [] {
            let c = try item.mapping(["name", "args"])
            p.pluginConfig.append((try c.required("name").name(), try c["args"].map { (a: ConfigNode) throws(ConfigError) in try pluginArgs(a) } ?? .empty))
        }
        return p
    }

    func pluginArgs(_ node: ConfigNode) throws(ConfigError) -> PluginArgs {
        switch node.node {
        case .scalar(let s): return .scalar(s.string)
        case .sequence: return .list(try node.list().map { (n: ConfigNode) throws(ConfigError) in try pluginArgs(n) })
        case .mapping: return .map(try node.freeMapping().map { (k, v) throws(ConfigError) in (k, try pluginArgs(v)) })
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
