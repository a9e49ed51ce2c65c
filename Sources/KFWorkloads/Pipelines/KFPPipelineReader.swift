import Foundation
import KFCluster
import KFConfig

/// Kubeflow Pipelines v2 compiled pipelines (the PipelineSpec IR YAML the SDK writes and users upload):
/// `root.dag.tasks` with `dependentTasks` and `componentRef`, nested DAG components, `parameterIterator`
/// and `artifactIterator` (ParallelFor, `iteratorPolicy.parallelismLimit`), `triggerPolicy` conditions
/// and `ALL_UPSTREAM_TASKS_COMPLETED` (exit handlers), `retryPolicy`, and the executors' images and
/// resources. Everything else (parameters, artifacts' types, caching options, platform specs) changes
/// no timing here and is ignored.
extension LoadContext {
    /// The pipeline of a compiled KFP document.
    func kfpPipeline(_ doc: ConfigNode, namespace: String) throws(ConfigError) -> PipelineSpec {
        guard let components = field(doc, "components"), let root = field(doc, "root") else {
            throw doc.error("not a compiled Kubeflow pipeline: it needs components and root")
        }
        let executors = field(doc, "deploymentSpec").flatMap { field($0, "executors") }
        let name = try field(doc, "pipelineInfo").flatMap { field($0, "name") }?.string() ?? "pipeline"
        let rootDefaults = kfpListDefaults(root)
        var templates: [String: PipelineTemplate] = [:]
        for (componentName, c) in try components.freeMapping() {
            if let dag = field(c, "dag") {
                templates[componentName] = PipelineTemplate(name: componentName, body: .dag(try kfpTasks(dag, listDefaults: [:])), parallelism: nil, retry: nil)
            } else if let label = field(c, "executorLabel") {
                let labelName = try label.string()
                guard let executor = executors.flatMap({ field($0, labelName) }) else {
                    throw label.error("executor '\(labelName)' is not in deploymentSpec.executors")
                }
                templates[componentName] = PipelineTemplate(name: componentName, body: .container(try kfpContainer(executor, component: componentName, namespace: namespace)),
                                                            parallelism: nil, retry: nil)
            } else {
                throw c.error("component '\(componentName)' has neither a dag nor an executorLabel")
            }
        }
        guard let rootDag = field(root, "dag") else { throw root.error("missing required key 'dag'") }
        templates["root"] = PipelineTemplate(name: "root", body: .dag(try kfpTasks(rootDag, listDefaults: rootDefaults)), parallelism: nil, retry: nil)
        let pipeline = PipelineSpec(name: name, templates: templates, entry: "root", parallelism: nil)
        try checkPipeline(pipeline, at: rootDag)
        return pipeline
    }

    /// Root input parameters whose default is a list: their item counts (ParallelFor over a pipeline input).
    func kfpListDefaults(_ root: ConfigNode) -> [String: Int] {
        guard let inputs = field(root, "inputDefinitions"), let params = field(inputs, "parameters"),
              let pairs = try? params.freeMapping() else { return [:] }
        var out: [String: Int] = [:]
        for (name, p) in pairs {
            if let d = field(p, "defaultValue"), case .sequence(let s) = d.node { out[name] = s.count }
        }
        return out
    }

    func kfpTasks(_ dag: ConfigNode, listDefaults: [String: Int]) throws(ConfigError) -> [PipelineTask] {
        guard let tasksNode = field(dag, "tasks") else { throw dag.error("missing required key 'tasks'") }
        return try tasksNode.freeMapping().map { (taskName, t) throws(ConfigError) -> PipelineTask in
            guard let ref = field(t, "componentRef").flatMap({ field($0, "name") }) else { throw t.error("missing required key 'componentRef.name'") }
            var task = PipelineTask(name: taskName, template: try ref.string(), dependencies: [], loop: nil, loopParallelism: nil,
                                    conditional: false, retry: nil, location: t.path)
            task.line = t.node.mark?.line ?? 0
            task.column = t.node.mark?.column ?? 0
            if let c = field(t, "cachingOptions"), let e = field(c, "enableCache") { task.cacheEnabled = try e.bool() }
            if let d = field(t, "dependentTasks") { task.dependencies = try d.list().map { (x: ConfigNode) throws(ConfigError) in try x.string() } }
            if let it = field(t, "parameterIterator") {
                task.loop = try kfpLoop(it, task: t, listDefaults: listDefaults)
            } else if field(t, "artifactIterator") != nil {
                task.loop = .runtime
            }
            if let policy = field(t, "iteratorPolicy"), let limit = field(policy, "parallelismLimit") {
                let l = Int(try limit.int(0...100_000))
                task.loopParallelism = l == 0 ? nil : l
            }
            if let trigger = field(t, "triggerPolicy") {
                task.conditional = field(trigger, "condition") != nil
                if let s = field(trigger, "strategy"), try s.string() == "ALL_UPSTREAM_TASKS_COMPLETED" { task.runsAfterFailure = true }
            }
            if let r = field(t, "retryPolicy") {
                task.retry = PipelineRetry(limit: Int(try field(r, "maxRetryCount")?.int(0...1_000) ?? 0),
                                           backoff: try field(r, "backoffDuration").map { (d: ConfigNode) throws(ConfigError) in try d.seconds(minimum: 0) } ?? 0,
                                           factor: try field(r, "backoffFactor")?.double(1...1000) ?? 2,
                                           maxBackoff: try field(r, "backoffMaxDuration").map { (d: ConfigNode) throws(ConfigError) in try d.seconds(minimum: 0) } ?? 3600)
            }
            return task
        }
    }

    /// The item count of a `parameterIterator`: raw items, a pipeline input's default list, or runtime.
    func kfpLoop(_ it: ConfigNode, task: ConfigNode, listDefaults: [String: Int]) throws(ConfigError) -> PipelineLoop {
        guard let items = field(it, "items") else { throw it.error("missing required key 'items'") }
        if let raw = field(items, "raw") {
            let text = try raw.string()
            guard let data = text.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
                throw raw.error("raw items must be a JSON list")
            }
            return .fixed(list.count)
        }
        if let input = field(items, "inputParameter"), let params = field(task, "inputs").flatMap({ field($0, "parameters") }),
           let source = field(params, try input.string()).flatMap({ field($0, "componentInputParameter") }),
           let count = listDefaults[try source.string()] {
            return .parameter(count)
        }
        return .runtime
    }

    /// An executor's container as a pod template: image and resources (`resourceCpuRequest/Limit`,
    /// `resourceMemoryRequest/Limit` quantities, the older `cpuLimit` cores and `memoryLimit` GB, and an
    /// NVIDIA `accelerator`).
    func kfpContainer(_ executor: ConfigNode, component: String, namespace: String) throws(ConfigError) -> PodSpec {
        guard let c = field(executor, "container") else { throw executor.error("only container executors are simulated (importers and resolvers are not)") }
        var container = ContainerSpec(name: "main", image: try field(c, "image")?.string() ?? "")
        if let r = field(c, "resources") {
            func cpu(_ quantity: String, _ cores: String) throws(ConfigError) -> Int64? {
                if let q = field(r, quantity) { return try q.cpuMilli() }
                return try field(r, cores).map { (n: ConfigNode) throws(ConfigError) in Int64((try n.double(0...1e6) * 1000).rounded()) }
            }
            func memory(_ quantity: String, _ gigabytes: String) throws(ConfigError) -> Int64? {
                if let q = field(r, quantity) { return try q.quantityValue(maximum: InputBounds.podMemory) }
                return try field(r, gigabytes).map { (n: ConfigNode) throws(ConfigError) in Int64((try n.double(0...4398) * 1e9).rounded()) }
            }
            container.requests = OptionalResources(cpu: try cpu("resourceCpuRequest", "cpuRequest"), memory: try memory("resourceMemoryRequest", "memoryRequest"))
            container.limits = OptionalResources(cpu: try cpu("resourceCpuLimit", "cpuLimit"), memory: try memory("resourceMemoryLimit", "memoryLimit"))
            if let a = field(r, "accelerator") {
                let type = try (field(a, "resourceType") ?? field(a, "type"))?.string() ?? ""
                let count = try (field(a, "resourceCount") ?? field(a, "count")).map { (n: ConfigNode) throws(ConfigError) in try n.quantityValue(maximum: InputBounds.gpus) } ?? 1
                guard type.isEmpty || type.lowercased().contains("nvidia") || type.lowercased().contains("gpu") else {
                    throw a.error("accelerator '\(type)' is not modelled; kfsim schedules nvidia.com/gpu")
                }
                container.limits.gpu = count
                container.requests.gpu = count
            }
        }
        return PodSpec(name: "", namespace: namespace, labels: ["pipelines.kubeflow.org/component": component], containers: [container], work: .forever)
    }
}
