import KFCluster
import KFConfig
import KFControlPlane
import KFEngine
import KFWorkloads

extension LoadContext {
    /// `spec.workloads`: each entry read by its kind (from `kinds`); with the pod templates (for size
    /// checks) and what the entries need from the scheduler.
    func workloads(_ node: ConfigNode, namespaces: [NamespaceSpec], kinds: WorkloadKinds) throws(ConfigError)
        -> (specs: [WorkloadSpec], templates: [(String, PodSpec)], requirements: [SchedulerRequirement]) {
        var specs: [WorkloadSpec] = []
        var templates: [(String, PodSpec)] = []
        var requirements: [SchedulerRequirement] = []
        var names = Set<String>()
        for item in try node.list() {
            let head = try item.mapping(["name", "kind", "namespace"] + kinds.allKeys)
            let nameNode = try head.required("name")
            let name = try nameNode.name()
            guard names.insert(name).inserted else { throw nameNode.error("workload name '\(name)' is used twice") }
            let kind = kinds.kind(named: try head.required("kind").oneOf(kinds.names))!
            let m = try item.mapping(["name", "kind", "namespace"] + kind.keys)
            var namespace = "default"
            if let n = m["namespace"] {
                namespace = try n.name()
                guard namespaces.contains(where: { $0.name == namespace }) else {
                    throw n.error("namespace '\(namespace)' is not declared; declared: \(namespaces.map(\.name).joined(separator: ", "))")
                }
            }
            let loaded = try kind.load(WorkloadEntry(name: name, namespace: namespace, fields: m, node: item, context: self))
            templates += loaded.templates.map { ($0.path, $0.spec) }
            requirements += loaded.requirements
            specs.append(WorkloadSpec(name: name, kind: kind.name, make: loaded.make))
        }
        return (specs, templates, requirements)
    }
}
