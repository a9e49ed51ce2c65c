import KFCluster
import KFConfig

extension LoadContext {
    /// `cluster.nodeManifests`: v1 Node manifests as users have them (`kubectl get nodes -o yaml`, a
    /// NodeList, KWOK node files, one or more documents), read as upstream sees a node: `metadata.name`,
    /// `metadata.labels` (the zone from `topology.kubernetes.io/zone`), `spec.taints`,
    /// `spec.unschedulable`, and `status.allocatable` (else `status.capacity`) for cpu, memory,
    /// `nvidia.com/gpu` and pods. Every other field is ignored; the bandwidths are kfsim's defaults.
    func nodesFromManifests(_ node: ConfigNode) throws(ConfigError) -> [NodeSpec] {
        var out: [NodeSpec] = []
        for doc in try manifestDocuments(node) {
            let m = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"])
            _ = try m.required("apiVersion").oneOf(["v1"])
            _ = try m.required("kind").oneOf(["Node"])
            let meta = try m.required("metadata")
            guard let nameNode = field(meta, "name") else { throw meta.error("missing required key 'name'") }
            let name = try nameNode.name()
            var labels: Labels = [:]
            if let l = field(meta, "labels") { for (k, v) in try l.freeMapping() { labels[k] = try v.string() } }
            var taints: [Taint] = []
            var unschedulable = false
            if let spec = m["spec"] {
                if let t = field(spec, "taints") {
                    for item in try t.list() {
                        guard let key = field(item, "key"), let effect = field(item, "effect") else { throw item.error("a taint needs key and effect") }
                        let e = try effect.oneOf(Taint.Effect.allCases.map(\.rawValue))
                        taints.append(Taint(key: try key.name(), value: try field(item, "value")?.string() ?? "", effect: Taint.Effect(rawValue: e)!))
                    }
                }
                unschedulable = try field(spec, "unschedulable")?.bool() ?? false
            }
            guard let status = m["status"], let resources = field(status, "allocatable") ?? field(status, "capacity") else {
                throw doc.error("node '\(name)' has no status.allocatable or status.capacity: its resources are unknown")
            }
            guard let cpuNode = field(resources, "cpu") else { throw resources.error("missing required key 'cpu'") }
            let cpu = try cpuNode.cpuMilli()
            guard cpu > 0 else { throw cpuNode.error("a node needs some CPU, got 0") }
            guard let memoryNode = field(resources, "memory") else { throw resources.error("missing required key 'memory'") }
            let memory = try memoryNode.quantityValue(maximum: InputBounds.nodeMemory)
            let gpu = try field(resources, "nvidia.com/gpu")?.quantityValue(maximum: InputBounds.gpus) ?? 0
            let pods = try field(resources, "pods")?.quantityValue(maximum: InputBounds.podsPerNode) ?? NodeSpec.defaultMaxPods
            out.append(NodeSpec(name: name, allocatable: Resources(cpu: cpu, memory: memory, gpu: gpu), maxPods: max(pods, 1),
                                labels: labels, taints: taints, unschedulable: unschedulable,
                                zone: labels["topology.kubernetes.io/zone"]))
        }
        guard !out.isEmpty else { throw node.error("no Node manifests found") }
        return out
    }
}
