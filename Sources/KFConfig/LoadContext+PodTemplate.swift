import KFCluster

extension LoadContext {
    /// PodSpec fields kfsim accepts in manifests but does not model.
    static let ignoredPodFields = ["initContainers", "volumes", "serviceAccountName", "serviceAccount", "hostNetwork",
                                   "imagePullSecrets", "securityContext", "dnsPolicy", "terminationGracePeriodSeconds",
                                   "priorityClassName", "automountServiceAccountToken", "hostname", "subdomain",
                                   "shareProcessNamespace", "enableServiceLinks", "runtimeClassName"]
    /// Object metadata kfsim accepts in manifests but does not model.
    public static let ignoredMetadataFields = ["uid", "resourceVersion", "creationTimestamp", "generateName", "generation",
                                               "ownerReferences", "managedFields", "finalizers", "selfLink", "deletionTimestamp"]
    /// Container fields kfsim accepts in manifests but does not model.
    static let ignoredContainerFields = ["envFrom", "ports", "volumeMounts", "imagePullPolicy", "workingDir", "securityContext",
                                         "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "stdin", "tty",
                                         "terminationMessagePath", "terminationMessagePolicy", "volumeDevices"]

    /// A pod template in Kubernetes form: `{metadata: {labels}, spec: {containers, ...}}`. With
    /// `manifest`, fields of real manifests that kfsim does not model (volumes, ports, probes, ...) are
    /// accepted and ignored; unknown keys are still refused.
    public func podTemplate(_ node: ConfigNode, namespace: String, manifest: Bool = false) throws(ConfigError) -> PodSpec {
        let m = try node.mapping(["metadata", "spec"] + (manifest ? ["apiVersion", "kind", "status"] : []))
        var labels: Labels = [:]
        var safeToEvict: Bool?
        if let meta = m["metadata"] {
            let mm = try meta.mapping(["labels", "annotations", "name", "namespace"] + (manifest ? LoadContext.ignoredMetadataFields : []))
            for (k, v) in try mm["labels"]?.freeMapping() ?? [] { labels[k] = try v.string() }
            for (k, v) in try mm["annotations"]?.freeMapping() ?? [] where k == "cluster-autoscaler.kubernetes.io/safe-to-evict" {
                safeToEvict = try v.oneOf(["true", "false"]) == "true"
            }
            if manifest, let ns = mm["namespace"], try ns.string() != namespace {
                throw ns.error("the manifest's namespace '\(try ns.string())' differs from the workload's '\(namespace)'; set namespace: \(try ns.string()) on the workload")
            }
        }
        let s = try m.required("spec").mapping(["containers", "priority", "preemptionPolicy", "schedulerName", "nodeSelector", "affinity",
                                                "tolerations", "topologySpreadConstraints", "restartPolicy"]
                                               + (manifest ? LoadContext.ignoredPodFields : []))
        let containersNode = try s.required("containers")
        let containerNodes = try containersNode.list()
        guard !containerNodes.isEmpty else { throw containersNode.error("a pod needs at least one container") }
        guard containerNodes.count <= 100 else { throw containersNode.error("a pod has at most 100 containers, got \(containerNodes.count)") }
        var containers: [ContainerSpec] = []
        for c in containerNodes {
            let cm = try c.mapping(["name", "image", "resources", "command", "args", "env"] + (manifest ? LoadContext.ignoredContainerFields : []))
            var container = ContainerSpec(name: try cm["name"]?.name() ?? "main", image: try cm["image"]?.string() ?? "")
            guard !containers.contains(where: { $0.name == container.name }) else {
                throw (cm["name"] ?? c).error("container name '\(container.name)' is used twice in this pod")
            }
            if let r = cm["resources"] {
                let rm = try r.mapping(["requests", "limits"])
                if let req = rm["requests"] { container.requests = try resourceList(req) }
                if let lim = rm["limits"] {
                    container.limits = try resourceList(lim)
                    if let lc = container.limits.cpu, let rc = container.requests.cpu, rc > lc {
                        throw lim.error("cpu limit \(lc)m is below the request \(rc)m")
                    }
                    if let lm = container.limits.memory, let rm = container.requests.memory, rm > lm {
                        throw lim.error("memory limit \(lm) is below the request \(rm)")
                    }
                }
            }
            containers.append(container)
        }
        try checkPodTotals(containers, at: containersNode)
        var spec = PodSpec(name: "", namespace: namespace, labels: labels, containers: containers, work: .forever)
        spec.safeToEvict = safeToEvict
        if let p = s["priority"] { spec.priority = Int32(try p.int(Int64(Int32.min)...Int64(Int32.max))) }
        if let p = s["preemptionPolicy"] { spec.preemptionPolicy = PreemptionPolicy(rawValue: try p.oneOf(PreemptionPolicy.allCases.map(\.rawValue)))! }
        if let n = s["schedulerName"] { spec.schedulerName = try n.name() }
        for (k, v) in try s["nodeSelector"]?.freeMapping() ?? [] { spec.nodeSelector[k] = try v.string() }
        spec.tolerations = try (s["tolerations"]?.list() ?? []).map { (t: ConfigNode) throws(ConfigError) in try toleration(t) }
        spec.topologySpreadConstraints = try (s["topologySpreadConstraints"]?.list() ?? []).map { (t: ConfigNode) throws(ConfigError) in
            try spreadConstraint(t)
        }
        if let a = s["affinity"] {
            let am = try a.mapping(["nodeAffinity", "podAffinity", "podAntiAffinity"])
            if let na = am["nodeAffinity"] { spec.nodeAffinity = try nodeAffinity(na) }
            if let pa = am["podAffinity"] { spec.podAffinity = try podAffinity(pa) }
            if let pa = am["podAntiAffinity"] { spec.podAntiAffinity = try podAffinity(pa) }
        }
        return spec
    }

    public func toleration(_ node: ConfigNode) throws(ConfigError) -> Toleration {
        let m = try node.mapping(["key", "operator", "value", "effect", "tolerationSeconds"])
        let op = Toleration.Operator(rawValue: try m["operator"]?.oneOf(Toleration.Operator.allCases.map(\.rawValue)) ?? "Equal")!
        let effect = try m["effect"].map { (e: ConfigNode) throws(ConfigError) in Taint.Effect(rawValue: try e.oneOf(Taint.Effect.allCases.map(\.rawValue)))! }
        return Toleration(key: try m["key"]?.string() ?? "", op: op, value: try m["value"]?.string() ?? "", effect: effect)
    }

    public func requirement(_ node: ConfigNode, allowNumeric: Bool) throws(ConfigError) -> LabelRequirement {
        let m = try node.mapping(["key", "operator", "values"])
        let ops = LabelRequirement.Operator.allCases.filter { allowNumeric || ($0 != .gt && $0 != .lt) }.map(\.rawValue)
        let opNode = try m.required("operator")
        let op = LabelRequirement.Operator(rawValue: try opNode.oneOf(ops))!
        let values = try (m["values"]?.list() ?? []).map { (v: ConfigNode) throws(ConfigError) in try v.string() }
        switch op {
        case .in, .notIn: if values.isEmpty { throw opNode.error("\(op.rawValue) needs at least one value") }
        case .exists, .doesNotExist: if !values.isEmpty { throw opNode.error("\(op.rawValue) takes no values") }
        case .gt, .lt:
            if values.count != 1 || Int64(values[0]) == nil { throw opNode.error("\(op.rawValue) needs exactly one integer value") }
        }
        return LabelRequirement(key: try m.required("key").name(), op: op, values: values)
    }

    public func labelSelector(_ node: ConfigNode) throws(ConfigError) -> LabelSelector {
        let m = try node.mapping(["matchLabels", "matchExpressions"])
        var pairs: [LabelPair] = []
        for (k, v) in try m["matchLabels"]?.freeMapping() ?? [] { pairs.append(LabelPair(key: k, value: try v.string())) }
        let exprs = try (m["matchExpressions"]?.list() ?? []).map { (e: ConfigNode) throws(ConfigError) in try requirement(e, allowNumeric: false) }
        return LabelSelector(matchLabels: pairs, matchExpressions: exprs)
    }

    public func nodeSelectorTerm(_ node: ConfigNode) throws(ConfigError) -> NodeSelectorTerm {
        let m = try node.mapping(["matchExpressions", "matchFields"])
        return NodeSelectorTerm(
            matchExpressions: try (m["matchExpressions"]?.list() ?? []).map { (e: ConfigNode) throws(ConfigError) in try requirement(e, allowNumeric: true) },
            matchFields: try (m["matchFields"]?.list() ?? []).map { (e: ConfigNode) throws(ConfigError) in try requirement(e, allowNumeric: false) })
    }

    public func nodeAffinity(_ node: ConfigNode) throws(ConfigError) -> NodeAffinity {
        let m = try node.mapping(["requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"])
        var a = NodeAffinity()
        if let r = m["requiredDuringSchedulingIgnoredDuringExecution"] {
            let rm = try r.mapping(["nodeSelectorTerms"])
            let termsNode = try rm.required("nodeSelectorTerms")
            let terms = try termsNode.list().map { (t: ConfigNode) throws(ConfigError) in try nodeSelectorTerm(t) }
            guard !terms.isEmpty else { throw termsNode.error("needs at least one term") }
            a.required = terms
        }
        for p in try m["preferredDuringSchedulingIgnoredDuringExecution"]?.list() ?? [] {
            let pm = try p.mapping(["weight", "preference"])
            a.preferred.append(PreferredSchedulingTerm(weight: try pm.required("weight").int(1...100),
                                                       preference: try nodeSelectorTerm(try pm.required("preference"))))
        }
        return a
    }

    public func podAffinityTerm(_ node: ConfigNode) throws(ConfigError) -> PodAffinityTerm {
        let m = try node.mapping(["labelSelector", "namespaces", "topologyKey"])
        return PodAffinityTerm(labelSelector: try m["labelSelector"].map { (s: ConfigNode) throws(ConfigError) in try labelSelector(s) } ?? LabelSelector(),
                               namespaces: try (m["namespaces"]?.list() ?? []).map { (n: ConfigNode) throws(ConfigError) in try n.name() },
                               topologyKey: try m.required("topologyKey").name())
    }

    public func podAffinity(_ node: ConfigNode) throws(ConfigError) -> PodAffinity {
        let m = try node.mapping(["requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"])
        var a = PodAffinity()
        a.required = try (m["requiredDuringSchedulingIgnoredDuringExecution"]?.list() ?? []).map { (t: ConfigNode) throws(ConfigError) in
            try podAffinityTerm(t)
        }
        for p in try m["preferredDuringSchedulingIgnoredDuringExecution"]?.list() ?? [] {
            let pm = try p.mapping(["weight", "podAffinityTerm"])
            a.preferred.append(WeightedPodAffinityTerm(weight: try pm.required("weight").int(1...100),
                                                       term: try podAffinityTerm(try pm.required("podAffinityTerm"))))
        }
        return a
    }

    public func spreadConstraint(_ node: ConfigNode) throws(ConfigError) -> TopologySpreadConstraint {
        let m = try node.mapping(["maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector"])
        let when = try m.required("whenUnsatisfiable").oneOf(TopologySpreadConstraint.WhenUnsatisfiable.allCases.map(\.rawValue))
        return TopologySpreadConstraint(maxSkew: try m.required("maxSkew").int(1...Int64(Int32.max)),
                                        topologyKey: try m.required("topologyKey").name(),
                                        whenUnsatisfiable: .init(rawValue: when)!,
                                        labelSelector: try m["labelSelector"].map { (s: ConfigNode) throws(ConfigError) in try labelSelector(s) } ?? LabelSelector())
    }

    /// `{cpu, memory, nvidia.com/gpu}` with optional entries, each within a pod's bounds.
    public func resourceList(_ node: ConfigNode) throws(ConfigError) -> OptionalResources {
        let m = try node.mapping(["cpu", "memory", "nvidia.com/gpu"])
        return OptionalResources(cpu: try m["cpu"]?.cpuMilli(), memory: try m["memory"]?.quantityValue(maximum: InputBounds.podMemory),
                                 gpu: try m["nvidia.com/gpu"]?.quantityValue(maximum: InputBounds.gpus))
    }

    /// A pod's requests and limits summed over its containers stay within `InputBounds` (a pod
    /// larger than any node could be is refused, not overflowed).
    func checkPodTotals(_ containers: [ContainerSpec], at node: ConfigNode) throws(ConfigError) {
        let lists = [("requests", containers.map(\.requests)), ("limits", containers.map(\.limits))]
        for (what, list) in lists {
            let cpu = list.reduce(0.0) { $0 + Double($1.cpu ?? 0) }
            let memory = list.reduce(0.0) { $0 + Double($1.memory ?? 0) }
            let gpu = list.reduce(0.0) { $0 + Double($1.gpu ?? 0) }
            if cpu > Double(InputBounds.cpuMilli) { throw node.error("the containers' cpu \(what) sum to more than 1000000 cores") }
            if memory > Double(InputBounds.podMemory) { throw node.error("the containers' memory \(what) sum to more than 4Ti") }
            if gpu > Double(InputBounds.gpus) { throw node.error("the containers' nvidia.com/gpu \(what) sum to more than \(InputBounds.gpus)") }
        }
    }
}
