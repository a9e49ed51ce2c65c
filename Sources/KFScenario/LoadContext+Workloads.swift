import KFCluster
import KFEngine
import KFControlPlane
import KFWorkloads

extension LoadContext {
    /// The accepted workload kinds.
    static let workloadKinds = ["Pod", "Job", "ParallelFor", "Trace", "TFJob"]

    /// Keys each kind accepts (besides `name`, `kind`, `namespace`).
    static let workloadKeys: [String: [String]] = [
        "Pod": ["arrivals", "template", "work", "retry"],
        "Job": ["arrivals", "template", "work", "completions", "parallelism", "retry"],
        "ParallelFor": ["arrivals", "template", "containers", "parallelism", "totalWork", "perContainerWork", "joinWork",
                        "threads", "stepLatency", "retry"],
        "Trace": ["pods", "timeScale", "limit"],
        "TFJob": LoadContext.tfJobKeys,
    ]

    /// `spec.workloads`: the workload specs and their pod templates (for size checks).
    func workloads(_ node: ConfigNode, namespaces: [NamespaceSpec]) throws(ConfigError)
        -> (specs: [WorkloadSpec], templates: [(String, PodSpec)], coscheduling: [ConfigNode]) {
        var coscheduling: [ConfigNode] = []
        var specs: [WorkloadSpec] = []
        var templates: [(String, PodSpec)] = []
        var names = Set<String>()
        for item in try node.list() {
            let head = try item.mapping(["name", "kind", "namespace"] + Array(Set(LoadContext.workloadKeys.values.joined())).sorted())
            let nameNode = try head.required("name")
            let name = try nameNode.name()
            guard names.insert(name).inserted else { throw nameNode.error("workload name '\(name)' is used twice") }
            let kind = try head.required("kind").oneOf(LoadContext.workloadKinds)
            let m = try item.mapping(["name", "kind", "namespace"] + LoadContext.workloadKeys[kind]!)
            var namespace = "default"
            if let n = m["namespace"] {
                namespace = try n.name()
                guard namespaces.contains(where: { $0.name == namespace }) else {
                    throw n.error("namespace '\(namespace)' is not declared; declared: \(namespaces.map(\.name).joined(separator: ", "))")
                }
            }
            let arrivals = try m["arrivals"].map { (a: ConfigNode) throws(ConfigError) in try arrivalProcess(a) } ?? ArrivalProcess()
            let retry = try m["retry"].map { (r: ConfigNode) throws(ConfigError) in try retryBackoff(r) }
            switch kind {
            case "Pod", "Job":
                let template = try podTemplate(try m.required("template"), namespace: namespace)
                templates.append(("\(item.path).template", template))
                let work = try workSpec(try m.required("work"))
                if kind == "Pod" {
                    specs.append(WorkloadSpec(name: name, kind: kind) {
                        SinglePodJobController.pods(name: name, template: template, work: work, arrivals: arrivals,
                                                    backoff: retry ?? .controllerRuntime)
                    })
                } else {
                    let completions = Int(try m["completions"]?.int(1...1_000_000) ?? 1)
                    let parallelism = Int(try m["parallelism"]?.int(0...1_000_000) ?? 1)
                    specs.append(WorkloadSpec(name: name, kind: kind) {
                        BatchJobController(name: name, template: template, work: work, completions: completions,
                                           parallelism: parallelism, arrivals: arrivals, backoff: retry ?? .job)
                    })
                }
            case "ParallelFor":
                let template = try podTemplate(try m.required("template"), namespace: namespace)
                templates.append(("\(item.path).template", template))
                let containers = Int(try m.required("containers").int(1...1_000_000))
                let parallelism = Int(try m["parallelism"]?.int(0...1_000_000) ?? 0)
                let total = try distribution(try m.required("totalWork"))
                let perContainer = try m["perContainerWork"]?.seconds(minimum: 0) ?? 0
                let join = try m["joinWork"]?.seconds(minimum: 0) ?? 0
                let threads = try m["threads"]?.double(0.001...1e6)
                let step = try m["stepLatency"].map { (s: ConfigNode) throws(ConfigError) in try distribution(s) } ?? .constant(0)
                specs.append(WorkloadSpec(name: name, kind: kind) {
                    ParallelForController(name: name, template: template, containers: containers, parallelism: parallelism,
                                          totalWork: total, perContainerWork: perContainer, threads: threads, joinWork: join,
                                          stepLatency: step, arrivals: arrivals, backoff: retry ?? .controllerRuntime)
                })
            case "TFJob":
                let jobs = try tfJobs(m, namespace: namespace)
                for j in jobs { for r in j.replicas { templates.append(("\(item.path).manifests[\(j.name)].\(r.type.rawValue)", r.spec.template)) } }
                let policyNode = m["policy"]
                let policyName = try policyNode?.oneOf(TrainingPolicies.names) ?? "default"
                if policyName == "coscheduling", let policyNode { coscheduling.append(policyNode) }
                let resync = try m["resyncSeconds"]?.seconds(minimum: 0.001) ?? 10
                let pause = try m["checkpointRestartSeconds"]?.seconds(minimum: 0) ?? 30
                let ttf = try m["podTimeToFailure"].map { (d: ConfigNode) throws(ConfigError) in try distribution(d) }
                specs.append(WorkloadSpec(name: name, kind: kind) {
                    TFJobController(name: name, manifests: jobs, arrivals: arrivals, policy: TrainingPolicies.make(policyName)!,
                                    resyncSeconds: resync, checkpointRestartSeconds: pause, podTimeToFailure: ttf)
                })
            default:
                let fileNode = try m.required("pods")
                let path = resolve(try fileNode.name())
                var pods: [TracePod]
                do { pods = try OpenbTrace.pods(file: path) } catch { throw fileNode.error(error.description) }
                if let l = m["limit"] { pods = Array(pods.prefix(Int(try l.int(0...Int64(Int32.max))))) }
                let scale = try m["timeScale"]?.double(1e-9...1e9) ?? 1
                let frozen = pods
                let ns = namespace
                specs.append(WorkloadSpec(name: name, kind: kind) {
                    SinglePodJobController.traceReplay(name: name, pods: frozen, namespace: ns, timeScale: scale)
                })
            }
        }
        return (specs, templates, coscheduling)
    }

    func arrivalProcess(_ node: ConfigNode) throws(ConfigError) -> ArrivalProcess {
        let m = try node.mapping(["count", "start", "interArrival"])
        return ArrivalProcess(count: Int(try m["count"]?.int(0...10_000_000) ?? 1), start: try m["start"]?.seconds(minimum: 0) ?? 0,
                              interArrival: try m["interArrival"].map { (d: ConfigNode) throws(ConfigError) in try distribution(d) })
    }

    func retryBackoff(_ node: ConfigNode) throws(ConfigError) -> RetryBackoff {
        let m = try node.mapping(["initialSeconds", "maxSeconds"])
        let initial = try m.required("initialSeconds").double(0.000001...1e6)
        let maxNode = try m.required("maxSeconds")
        let maxSeconds = try maxNode.double(0.000001...1e6)
        guard maxSeconds >= initial else { throw maxNode.error("must be at least initialSeconds (\(initial))") }
        return RetryBackoff(initialSeconds: initial, maxSeconds: maxSeconds)
    }

    /// `work`: `{duration: DIST}`, `{cpu: DIST, threads: N}` (core-seconds) or `{forever: true}`.
    func workSpec(_ node: ConfigNode) throws(ConfigError) -> WorkSpec {
        let m = try node.mapping(["duration", "cpu", "threads", "forever"])
        let given = ["duration", "cpu", "forever"].filter { m.has($0) }
        guard given.count == 1 else { throw node.error("give exactly one of duration, cpu, forever") }
        if let d = m["duration"] {
            if let t = m["threads"] { throw t.error("threads applies to cpu work only") }
            return .duration(try distribution(d))
        }
        if let c = m["cpu"] { return .cpu(try distribution(c), threads: try m["threads"]?.double(0.001...1e6)) }
        guard try m.required("forever").bool() else { throw m["forever"]!.error("forever: false means nothing; use duration or cpu") }
        return .forever
    }
}
