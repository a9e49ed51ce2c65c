import KFConfig
import KFCluster
import KFEngine
import KFWorkloads

extension LoadContext {
    /// `cluster.nodeGroups`: groups the Cluster Autoscaler resizes, each `{name, minSize, maxSize, size,
    /// provisioningDelay, costPerHour}` plus the node pool keys of its template (`allocatable`, `labels`,
    /// `taints`, `zones`, ...). `size` nodes (default `minSize`) exist at the start, named `<name>-<k>`.
    func nodeGroups(_ node: ConfigNode) throws(ConfigError) -> (groups: [NodeGroup], nodes: [NodeSpec], provisioning: [String: Distribution],
                                                                 cost: [String: Double], failure: [String: Double]) {
        var groups: [NodeGroup] = [], nodes: [NodeSpec] = []
        var provisioning: [String: Distribution] = [:], cost: [String: Double] = [:], failure: [String: Double] = [:]
        for item in try node.list() {
            let m = try item.mapping(["name", "minSize", "maxSize", "size", "provisioningDelay", "provisioningFailureProbability", "costPerHour",
                                      "allocatable", "labels", "taints", "zones", "unschedulable", "nicBandwidth", "imagePullBandwidth", "images"])
            let name = try m.required("name").name()
            guard !groups.contains(where: { $0.name == name }) else { throw item.error("node group '\(name)' is listed twice") }
            let minSize = Int(try m["minSize"]?.int(0...100_000) ?? 0)
            let maxNode = try m.required("maxSize")
            let maxSize = Int(try maxNode.int(1...100_000))
            guard maxSize >= minSize else { throw maxNode.error("maxSize (\(maxSize)) is below minSize (\(minSize))") }
            let sizeNode = m["size"]
            let size = Int(try sizeNode?.int(0...100_000) ?? Int64(minSize))
            if let sizeNode, size < minSize || size > maxSize { throw sizeNode.error("size \(size) is outside minSize...maxSize (\(minSize)...\(maxSize))") }
            // The template is a node pool of one node with the group's keys removed.
            let template = try nodePool(item, allowExtra: ["minSize", "maxSize", "size", "provisioningDelay", "provisioningFailureProbability", "costPerHour"],
                                        count: 1, group: name)[0]
            groups.append(NodeGroup(name: name, template: template, minSize: minSize, maxSize: maxSize))
            for k in 0..<size {
                var n = template
                n.name = "\(name)-\(k)"
                n.labels[WellKnownLabels.hostname] = n.name
                nodes.append(n)
            }
            if let p = m["provisioningDelay"] { provisioning[name] = try distribution(p) }
            if let c = m["costPerHour"] { cost[name] = try c.double(0...1e6) }
            if let f = m["provisioningFailureProbability"] { failure[name] = try f.double(0...1) }
        }
        return (groups, nodes, provisioning, cost, failure)
    }

    /// `spec.clusterAutoscaler`: `{enabled, scanInterval, expander, priorities: {N: [pattern]}, scaleDown: {enabled,
    /// utilizationThreshold, unneededTime, delayAfterAdd, delayAfterDelete}, maxNodesTotal}` (the
    /// cluster-autoscaler flags of the same names; defaults as upstream's).
    /// nil when `enabled: false` (node groups then keep their size: a sweep can compare both).
    func clusterAutoscaler(_ node: ConfigNode, groups: [NodeGroup]) throws(ConfigError) -> ClusterAutoscalerSpec? {
        guard !groups.isEmpty else { throw node.error("the Cluster Autoscaler needs cluster.nodeGroups to resize") }
        let m = try node.mapping(["enabled", "scanInterval", "expander", "priorities", "scaleDown", "maxNodesTotal", "maxNodeProvisionTime",
                                  "podDisruptionBudgets"])
        if try m["enabled"]?.bool() == false { return nil }
        var spec = ClusterAutoscalerSpec()
        if let s = m["scanInterval"] { spec.scanInterval = try s.seconds(minimum: 0.1) }
        if let e = m["expander"] { spec.expander = ClusterAutoscalerSpec.Expander(rawValue: try e.oneOf(ClusterAutoscalerSpec.Expander.allCases.map(\.rawValue)))! }
        if let p = m["priorities"] {
            for (key, list) in try p.freeMapping() {
                guard let priority = Int(key) else { throw list.error("priority '\(key)' is not an integer") }
                let patterns = try list.list().map { (x: ConfigNode) throws(ConfigError) -> String in
                    let pattern = try x.string()
                    guard (try? Regex(pattern)) != nil else { throw x.error("'\(pattern)' is not a regular expression") }
                    return pattern
                }
                spec.priorities.append((priority, patterns))
            }
            spec.priorities.sort { $0.priority > $1.priority }
        } else if spec.expander == .priority {
            throw node.error("the priority expander needs priorities: {N: [node group pattern, ...]}")
        }
        if let d = m["scaleDown"] {
            let dm = try d.mapping(["enabled", "utilizationThreshold", "unneededTime", "delayAfterAdd", "delayAfterDelete"])
            if let e = dm["enabled"] { spec.scaleDownEnabled = try e.bool() }
            if let t = dm["utilizationThreshold"] { spec.utilizationThreshold = try t.double(0...1) }
            if let t = dm["unneededTime"] { spec.unneededTime = try t.seconds(minimum: 0) }
            if let t = dm["delayAfterAdd"] { spec.delayAfterAdd = try t.seconds(minimum: 0) }
            if let t = dm["delayAfterDelete"] { spec.delayAfterDelete = try t.seconds(minimum: 0) }
        }
        if let t = m["maxNodesTotal"] { spec.maxNodesTotal = Int(try t.int(0...Int64(InputBounds.nodes))) }
        if let t = m["maxNodeProvisionTime"] { spec.maxNodeProvisionTime = try t.seconds(minimum: 1) }
        if let p = m["podDisruptionBudgets"] { spec.budgets = try disruptionBudgets(p) }
        return spec
    }

    /// PodDisruptionBudget manifests (`policy/v1`) as written: namespace, selector, minAvailable or
    /// maxUnavailable (a count or a percentage).
    func disruptionBudgets(_ node: ConfigNode) throws(ConfigError) -> [DisruptionBudget] {
        try manifestDocuments(node).map { (doc: ConfigNode) throws(ConfigError) -> DisruptionBudget in
            let m = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"])
            _ = try m.required("apiVersion").oneOf(["policy/v1"])
            _ = try m.required("kind").oneOf(["PodDisruptionBudget"])
            let meta = try m.required("metadata")
            let name = try field(meta, "name")?.name() ?? "pdb"
            let namespace = try field(meta, "namespace")?.name() ?? "default"
            let spec = try m.required("spec").mapping(["selector", "minAvailable", "maxUnavailable", "unhealthyPodEvictionPolicy"])
            func amount(_ n: ConfigNode) throws(ConfigError) -> DisruptionBudget.Amount {
                let text = try n.string()
                if text.hasSuffix("%"), let p = Int(text.dropLast()), (0...100).contains(p) { return .percent(p) }
                return .count(Int(try n.int(0...1_000_000)))
            }
            let minAvailable = try spec["minAvailable"].map(amount), maxUnavailable = try spec["maxUnavailable"].map(amount)
            if minAvailable != nil && maxUnavailable != nil { throw doc.error("a PodDisruptionBudget gives minAvailable or maxUnavailable, not both") }
            return DisruptionBudget(name: name, namespace: namespace, selector: try labelSelector(try spec.required("selector")),
                                    minAvailable: minAvailable, maxUnavailable: maxUnavailable)
        }
    }
}
