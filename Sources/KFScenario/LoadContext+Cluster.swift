import KFConfig
import KFCluster
import KFEngine
import KFControlPlane
import KFWorkloads

extension LoadContext {
    /// `spec.cluster`: node pools, an openb node list, image sizes.
    func cluster(_ node: ConfigNode) throws(ConfigError) -> ([NodeSpec], [String: Int64], NodeGroupsConfig) {
        let m = try node.mapping(["nodePools", "trace", "images", "nodeManifests", "nodeGroups", "zoneBandwidth"])
        var images: [String: Int64] = [:]
        for item in try m["images"]?.list() ?? [] {
            let im = try item.mapping(["name", "size"])
            let name = try im.required("name").name()
            guard images[name] == nil else { throw item.error("image '\(name)' is listed twice") }
            images[name] = try im.required("size").quantityValue()
        }
        var nodes: [NodeSpec] = []
        var names = Set<String>()
        if let trace = m["trace"] {
            let t = try trace.mapping(["nodes", "sample"])
            let fileNode = try t.required("nodes")
            let path = resolve(try fileNode.name())
            var all: [NodeSpec]
            do { all = try OpenbTrace.nodes(file: path) } catch { throw error.located(under: fileNode) }
            // `sample: f` keeps round(f x n) nodes evenly spaced in file order (the mix of node shapes kept).
            if let f = try t["sample"]?.double(1e-6...1) {
                let count = max(1, Int((Double(all.count) * f).rounded()))
                all = (0..<count).map { all[$0 * all.count / count] }
            }
            for n in all {
                names.insert(n.name)
                nodes.append(n)
            }
        }
        if let manifests = m["nodeManifests"] {
            for n in try nodesFromManifests(manifests) {
                guard names.insert(n.name).inserted else { throw manifests.error("node name '\(n.name)' is used twice") }
                nodes.append(n)
            }
        }
        for pool in try m["nodePools"]?.list() ?? [] {
            for n in try nodePool(pool) {
                guard names.insert(n.name).inserted else { throw pool.error("node name '\(n.name)' is used twice") }
                nodes.append(n)
            }
        }
        var groups = NodeGroupsConfig()
        if let g = m["nodeGroups"] {
            let parsed = try nodeGroups(g)
            for n in parsed.nodes {
                guard names.insert(n.name).inserted else { throw g.error("node name '\(n.name)' is used twice") }
                nodes.append(n)
            }
            groups = NodeGroupsConfig(groups: parsed.groups, provisioning: parsed.provisioning, cost: parsed.cost, failure: parsed.failure)
        }
        guard !nodes.isEmpty || !groups.groups.isEmpty else {
            throw node.error("the cluster has no nodes; give nodePools (with count > 0), nodeGroups or trace.nodes")
        }
        guard nodes.count <= InputBounds.nodes else {
            throw node.error("the cluster has \(nodes.count) nodes; at most \(InputBounds.nodes) are accepted")
        }
        for n in nodes {
            for image in n.images.sorted() where images[image] == nil {
                throw node.error("node image '\(image)' has no size; list it under cluster.images")
            }
        }
        return (nodes, images, groups)
    }

    /// A node pool: `count` nodes named `<name>-<i>` (or `<name>` alone). Node groups read their
    /// template through it (`allowExtra` their keys, `count` 1, `group` their name).
    func nodePool(_ node: ConfigNode, allowExtra: [String] = [], count fixedCount: Int? = nil, group fixedGroup: String? = nil) throws(ConfigError) -> [NodeSpec] {
        let m = try node.mapping(["name", "count", "allocatable", "labels", "taints", "zones", "unschedulable",
                                  "nicBandwidth", "imagePullBandwidth", "images", "nodeGroup"] + allowExtra)
        let name = try m.required("name").name()
        var count = fixedCount ?? 1
        if fixedCount == nil, let c = m["count"] { count = Int(try c.int(0...100_000)) }
        let alloc = try m.required("allocatable").mapping(["cpu", "memory", "nvidia.com/gpu", "pods"])
        let cpuNode = try alloc.required("cpu")
        let cpu = try cpuNode.cpuMilli()
        guard cpu > 0 else { throw cpuNode.error("a node needs some CPU, got 0") }
        let memory = try alloc.required("memory").quantityValue(maximum: InputBounds.nodeMemory)
        let gpu = try alloc["nvidia.com/gpu"]?.quantityValue(maximum: InputBounds.gpus) ?? 0
        let pods = try alloc["pods"]?.int(1...100_000) ?? NodeSpec.defaultMaxPods
        var labels: Labels = [:]
        for (k, v) in try m["labels"]?.freeMapping() ?? [] { labels[k] = try v.string() }
        let taints = try (m["taints"]?.list() ?? []).map { (t: ConfigNode) throws(ConfigError) -> Taint in try taint(t) }
        let zones = try (m["zones"]?.list() ?? []).map { (z: ConfigNode) throws(ConfigError) -> String in try z.name() }
        let unschedulable = try m["unschedulable"]?.bool() ?? false
        let nic = try m["nicBandwidth"]?.quantityDouble() ?? 10e9
        let pull = try m["imagePullBandwidth"]?.quantityDouble() ?? 100e6
        let images = Set(try (m["images"]?.list() ?? []).map { (i: ConfigNode) throws(ConfigError) -> String in try i.name() })
        var group = fixedGroup
        if fixedGroup == nil, let g = m["nodeGroup"] { group = try g.name() }
        return (0..<count).map { i in
            NodeSpec(name: count == 1 ? name : "\(name)-\(i)", allocatable: Resources(cpu: cpu, memory: memory, gpu: gpu), maxPods: pods,
                     labels: labels, taints: taints, unschedulable: unschedulable,
                     zone: zones.isEmpty ? nil : zones[i % zones.count], nicBandwidth: nic, imagePullBandwidth: pull,
                     images: images, nodeGroup: group)
        }
    }

    func taint(_ node: ConfigNode) throws(ConfigError) -> Taint {
        let m = try node.mapping(["key", "value", "effect"])
        let effect = try m.required("effect").oneOf(Taint.Effect.allCases.map(\.rawValue))
        return Taint(key: try m.required("key").name(), value: try m["value"]?.string() ?? "", effect: Taint.Effect(rawValue: effect)!)
    }

    /// `spec.namespaces`; `default` exists even when not listed.
    func namespaces(_ node: ConfigNode?) throws(ConfigError) -> [NamespaceSpec] {
        var out: [NamespaceSpec] = []
        for item in try node?.list() ?? [] {
            let m = try item.mapping(["name", "resourceQuota", "limitRange"])
            let nameNode = try m.required("name")
            let name = try nameNode.name()
            guard !out.contains(where: { $0.name == name }) else { throw nameNode.error("namespace '\(name)' is listed twice") }
            var ns = NamespaceSpec(name: name)
            if let q = m["resourceQuota"] { ns.quota = try quota(q) }
            if let l = m["limitRange"] { ns.limitRange = try limitRange(l) }
            out.append(ns)
        }
        if !out.contains(where: { $0.name == "default" }) { out.insert(NamespaceSpec(name: "default"), at: 0) }
        return out
    }

    func quota(_ node: ConfigNode) throws(ConfigError) -> ResourceQuota {
        let m = try node.mapping(["hard"])
        var q = ResourceQuota()
        for (key, v) in try m.required("hard").freeMapping() {
            switch key {
            case "requests.cpu", "cpu": q.requestsCPU = try v.cpuMilli()
            case "requests.memory", "memory": q.requestsMemory = try v.quantityValue()
            case "limits.cpu": q.limitsCPU = try v.cpuMilli()
            case "limits.memory": q.limitsMemory = try v.quantityValue()
            case "requests.nvidia.com/gpu": q.requestsGPU = try v.quantityValue()
            case "pods": q.pods = try v.quantityValue()
            default:
                throw v.error("unknown quota resource '\(key)'; accepted: \(ResourceQuota.acceptedKeys.joined(separator: ", "))")
            }
        }
        return q
    }

    func limitRange(_ node: ConfigNode) throws(ConfigError) -> LimitRange {
        let m = try node.mapping(["default", "defaultRequest"])
        return LimitRange(defaultLimits: try m["default"].map { (n: ConfigNode) throws(ConfigError) in try resourceList(n) } ?? .init(),
                          defaultRequests: try m["defaultRequest"].map { (n: ConfigNode) throws(ConfigError) in try resourceList(n) } ?? .init())
    }
}

/// The node groups of `cluster.nodeGroups`, with their provisioning delays and prices.
struct NodeGroupsConfig {
    var groups: [NodeGroup] = []
    var provisioning: [String: Distribution] = [:]
    var cost: [String: Double] = [:]
    var failure: [String: Double] = [:]
}
