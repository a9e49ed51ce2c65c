import KFCluster
import KFConfig
import KFControlPlane
import KFEngine

extension WorkloadKind {
    /// `kind: Pipeline`: runs of a compiled Kubeflow pipeline or an Argo Workflow (`pipeline:` names the
    /// file, as uploaded or submitted), with what the file cannot say under `steps` (by template or
    /// component name, `default` for the rest: `work`, `failureProbability`, `items`,
    /// `conditionProbability`) and the workflow controller's reaction delay (`controllerDelay`).
    public static let pipeline = WorkloadKind(name: "Pipeline", keys: ["arrivals", "recurring", "pipeline", "steps", "controllerDelay", "taskOverhead", "retry", "storage", "executionCache",
                                                                             "datasets", "dataCache"],
                                              reporter: PipelineReporter()) { (e: WorkloadEntry) throws(ConfigError) in
        let arrivals = try e.arrivals(), retry = try e.retry()
        let c = e.context
        let fileNode = try e.fields.required("pipeline")
        let spec = try c.pipelineSpec(fileNode, namespace: e.namespace)
        var profiles: [String: StepProfile] = [:]
        var defaultProfile = StepProfile()
        for (key, p) in try e.fields["steps"]?.freeMapping() ?? [] {
            let profile = try c.stepProfile(p)
            if key == "default" {
                defaultProfile = profile
            } else {
                guard spec.templates[key] != nil || spec.templates["comp-\(key)"] != nil else {
                    throw p.error("'\(key)' is not a template or component of the pipeline; defined: \(spec.templates.keys.sorted().joined(separator: ", "))")
                }
                profiles[key] = profile
            }
        }
        let delay = try e.fields["controllerDelay"].map { (d: ConfigNode) throws(ConfigError) in try c.distribution(d) } ?? .constant(0)
        // KFP v2 runs a driver before each task's pod (and a launcher in it): its time adds to the delay.
        let overhead = try e.fields["taskOverhead"].map { (d: ConfigNode) throws(ConfigError) in try c.distribution(d) }
        let storage = try e.fields["storage"].map { (s: ConfigNode) throws(ConfigError) -> ObjectStore in
            let m = try s.mapping(["name", "bandwidth", "latency"])
            return ObjectStore(name: try m["name"]?.name() ?? "object-store", bytesPerSecond: try m.required("bandwidth").quantityDouble() / 8,
                               latency: try m["latency"]?.seconds(minimum: 0) ?? 0)
        }
        // KFP's execution caching is on unless turned off (`executionCache: {enabled: false}`).
        var cacheStaleness: Double? = 1e9
        if let ec = e.fields["executionCache"] {
            let m = try ec.mapping(["enabled", "maxCacheStaleness"])
            cacheStaleness = try m["enabled"]?.bool() == false ? nil : (try m["maxCacheStaleness"]?.seconds(minimum: 0) ?? 1e9)
        }
        if storage == nil, let moving = profiles.first(where: { $0.value.movesData }) ?? (defaultProfile.movesData ? ("default", defaultProfile) : nil) {
            throw e.fields["steps"]!.error("step '\(moving.key)' moves data (inputs/outputs) but the workload has no storage: {bandwidth, latency}")
        }
        let templates: [(path: String, spec: PodSpec)] = spec.templates.values.sorted { $0.name < $1.name }.compactMap { t in
            if case .container(let pod) = t.body { return ("\(fileNode.path)[\(t.name)]", pod) }
            return nil
        }
        let name = e.name, namespace = e.namespace
        let recurring = try e.fields["recurring"].map { (r: ConfigNode) throws(ConfigError) -> RecurringSchedule in
            if let a = e.fields["arrivals"] { throw a.error("give arrivals or recurring, not both") }
            return try c.recurringSchedule(r)
        }
        var datasets: [String: (size: Double, variants: Int)] = [:]
        for (d, spec) in try e.fields["datasets"]?.freeMapping() ?? [] {
            if case .scalar = spec.node {
                datasets[d] = (Double(try spec.quantityValue()), 1)
            } else {
                let m = try spec.mapping(["size", "variants"])
                datasets[d] = (Double(try m.required("size").quantityValue()), Int(try m["variants"]?.int(1...1_000_000) ?? 1))
            }
        }
        for (key, p) in try e.fields["steps"]?.freeMapping() ?? [] {
            for d in (key == "default" ? defaultProfile : profiles[key]!).reads where datasets[d] == nil {
                throw p.error("dataset '\(d)' is not under the workload's datasets (name: size)")
            }
        }
        let cache = try e.fields["dataCache"].map { (n: ConfigNode) throws(ConfigError) -> (capacity: Double, eviction: DataCache.Eviction, precache: Bool) in
            let m = try n.mapping(["capacity", "eviction", "policy"])
            guard storage != nil else { throw n.error("a data cache needs the workload's storage") }
            // none: no cache (every read from the store); ondemand: cache what is read; precache: seed paper 4.
            let policy = try m["policy"]?.oneOf(["none", "ondemand", "precache"]) ?? "ondemand"
            // Each node's cache worker requests the capacity as memory (a pod's memory at most).
            return (policy == "none" ? 0 : Double(try m.required("capacity").quantityValue(maximum: InputBounds.podMemory)),
                    DataCache.Eviction(rawValue: try m["eviction"]?.oneOf(DataCache.Eviction.allCases.map(\.rawValue)) ?? "lru")!,
                    policy == "precache")
        }
        let byName = profiles, fallback = defaultProfile, staleness = cacheStaleness, sizes = datasets
        return LoadedWorkload(templates: templates) {
            PipelineController(name: name, spec: spec, profiles: byName, defaultProfile: fallback, namespace: namespace,
                               arrivals: arrivals, controllerDelay: delay, backoff: retry ?? .controllerRuntime, storage: storage,
                               executionCache: staleness, recurring: recurring, datasets: sizes, dataCache: cache, taskOverhead: overhead)
        }
    }
}

extension LoadContext {
    /// The pipeline in the file `node` names: an Argo Workflow or WorkflowTemplate, or a KFP compiled
    /// pipeline (the first document that is one; KFP may append a platform spec document).
    func pipelineSpec(_ node: ConfigNode, namespace: String) throws(ConfigError) -> PipelineSpec {
        for doc in try manifestDocuments(node) {
            if field(doc, "apiVersion") != nil { return try argoWorkflow(doc, namespace: namespace).entryAsDAG().exitHandlerAsTask() }
            if field(doc, "root") != nil { return try kfpPipeline(doc, namespace: namespace) }
        }
        throw node.error("no pipeline found: expected an Argo Workflow (argoproj.io/v1alpha1) or a compiled Kubeflow pipeline (root, components)")
    }

    /// `{work, failureProbability, items, conditionProbability, inputs, outputs, reads, itemScale}`.
    func stepProfile(_ node: ConfigNode) throws(ConfigError) -> StepProfile {
        let m = try node.mapping(["work", "failureProbability", "items", "conditionProbability", "inputs", "outputs", "reads", "itemScale"])
        var p = StepProfile()
        if let w = m["work"] { p.work = try workSpec(w) }
        if let f = m["failureProbability"] { p.failureProbability = try f.double(0...1) }
        if let i = m["items"] { p.items = Int(try i.int(0...100_000)) }
        if let c = m["conditionProbability"] { p.conditionProbability = try c.double(0...1) }
        if let i = m["inputs"] { p.inputBytes = try bytes(i) }
        if let o = m["outputs"] { p.outputBytes = try bytes(o) }
        if let r = m["reads"] { p.reads = try r.list().map { (x: ConfigNode) throws(ConfigError) in try x.name() } }
        if let scale = m["itemScale"] {
            // A list of factors by item index ({{item}} number i does factor[i mod count] of the work), or a
            // distribution drawn per item.
            if case .sequence = scale.node {
                let factors = try scale.list().map { (x: ConfigNode) throws(ConfigError) in try x.double(0...1e6) }
                guard !factors.isEmpty else { throw scale.error("itemScale needs at least one factor") }
                p.itemScale = .perItem(factors)
            } else {
                p.itemScale = .drawn(try distribution(scale))
            }
        }
        return p
    }

    /// `recurring: {interval | cron, start, count, maxConcurrency, noCatchup}` (KFP recurring runs).
    func recurringSchedule(_ node: ConfigNode) throws(ConfigError) -> RecurringSchedule {
        let m = try node.mapping(["interval", "cron", "start", "count", "maxConcurrency", "noCatchup"])
        let trigger: RecurringSchedule.Trigger
        switch (m["interval"], m["cron"]) {
        case (let i?, nil): trigger = .interval(try i.seconds(minimum: 0.001))
        case (nil, let c?):
            guard let t = RecurringSchedule.parseCron(try c.string()) else {
                throw c.error("'\(try c.string())' is not a five-field cron expression (minute hour day-of-month month day-of-week; *, */n, a-b, lists)")
            }
            trigger = t
        default: throw node.error("give exactly one of interval and cron")
        }
        return RecurringSchedule(trigger: trigger, start: try m["start"]?.seconds(minimum: 0) ?? 0,
                                 count: Int(try m.required("count").int(0...1_000_000)),
                                 maxConcurrency: Int(try m["maxConcurrency"]?.int(1...100_000) ?? 10),
                                 noCatchup: try m["noCatchup"]?.bool() ?? false)
    }

    /// A size: a quantity (`500Mi`) or a distribution of bytes.
    func bytes(_ node: ConfigNode) throws(ConfigError) -> Distribution {
        if case .scalar = node.node { return .constant(Double(try node.quantityValue())) }
        return try distribution(node)
    }
}
