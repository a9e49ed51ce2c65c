import KFCluster
import KFConfig

/// Argo Workflows (`argoproj.io/v1alpha1` Workflow and WorkflowTemplate) as users write them: `dag`
/// tasks with `dependencies` or `depends` expressions (`&&`, `||`, `!`, task results), `continueOn`,
/// `failFast`, `steps`, `withItems` / `withParam` / `withSequence`, `when`, `parallelism` (workflow and
/// template), `retryStrategy` with backoff, the workflow's `onExit`, container and script templates with
/// resources. Fields that change no timing are ignored; what kfsim cannot run (`resource`, `suspend`,
/// `http`, `plugin`, `data`, `containerSet` templates, `templateRef`, task hooks, DAG targets) is
/// refused with its location.
extension LoadContext {
    /// The pipeline of an Argo Workflow or WorkflowTemplate document.
    func argoWorkflow(_ doc: ConfigNode, namespace: String) throws(ConfigError) -> PipelineSpec {
        let m = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"])
        _ = try m.required("apiVersion").oneOf(["argoproj.io/v1alpha1"])
        _ = try m.required("kind").oneOf(["Workflow", "WorkflowTemplate"])
        let meta = try m.required("metadata")
        let name = try (field(meta, "name") ?? field(meta, "generateName"))?.string() ?? "workflow"
        let spec = try m.required("spec")
        guard let entryNode = field(spec, "entrypoint") else { throw spec.error("missing required key 'entrypoint'") }
        guard let templatesNode = field(spec, "templates") else { throw spec.error("missing required key 'templates'") }
        var templates: [String: PipelineTemplate] = [:]
        for t in try templatesNode.list() {
            let template = try argoTemplate(t, namespace: namespace)
            guard templates[template.name] == nil else { throw t.error("template '\(template.name)' is defined twice") }
            templates[template.name] = template
        }
        var pipeline = PipelineSpec(name: name.hasSuffix("-") ? String(name.dropLast()) : name, templates: templates,
                                    entry: try entryNode.name(), parallelism: try field(spec, "parallelism").map { (p: ConfigNode) throws(ConfigError) in Int(try p.int(1...100_000)) })
        try checkPipeline(pipeline, at: entryNode)
        if let onExit = field(spec, "onExit") {
            let exit = try onExit.name()
            guard templates[exit] != nil else { throw onExit.error("exit handler template '\(exit)' is not defined; defined: \(templates.keys.sorted().joined(separator: ", "))") }
            pipeline.onExit = exit
        }
        return pipeline
    }

    func argoTemplate(_ t: ConfigNode, namespace: String) throws(ConfigError) -> PipelineTemplate {
        guard let nameNode = field(t, "name") else { throw t.error("missing required key 'name'") }
        let name = try nameNode.name()
        for kind in ["resource", "suspend", "http", "plugin", "data", "containerSet"] {
            if let n = field(t, kind) { throw n.error("'\(kind)' templates are not simulated; kfsim runs container, script, dag and steps templates") }
        }
        let parallelism = try field(t, "parallelism").map { (p: ConfigNode) throws(ConfigError) in Int(try p.int(1...100_000)) }
        let retry = try field(t, "retryStrategy").map { (r: ConfigNode) throws(ConfigError) in try argoRetry(r) }
        if let dag = field(t, "dag") {
            guard let tasks = field(dag, "tasks") else { throw dag.error("missing required key 'tasks'") }
            var template = PipelineTemplate(name: name, body: .dag(try tasks.list().map { (n: ConfigNode) throws(ConfigError) in try argoTask(n, steps: false) }),
                                            parallelism: parallelism, retry: retry)
            if let target = field(dag, "target") { throw target.error("DAG targets (running a subset of the tasks) are not simulated; remove 'target'") }
            template.failFast = try field(dag, "failFast")?.bool() ?? true
            return template
        }
        if let steps = field(t, "steps") {
            // Each group of parallel steps waits for the whole previous group.
            var tasks: [PipelineTask] = []
            var previous: [String] = []
            for group in try steps.list() {
                let items = try group.list()
                let groupTasks = try items.map { (n: ConfigNode) throws(ConfigError) in try argoTask(n, steps: true) }
                tasks += groupTasks.map { var task = $0; task.dependencies = previous; return task }
                previous = groupTasks.map(\.name)
            }
            return PipelineTemplate(name: name, body: .dag(tasks), parallelism: parallelism, retry: retry)
        }
        guard let container = field(t, "container") ?? field(t, "script") else {
            throw t.error("template '\(name)' has no container, script, dag or steps")
        }
        var c = ContainerSpec(name: try field(container, "name")?.name() ?? "main", image: try field(container, "image")?.string() ?? "")
        if let r = field(container, "resources") {
            if let req = field(r, "requests") { c.requests = try resourceList(req) }
            if let lim = field(r, "limits") { c.limits = try resourceList(lim) }
        }
        var labels: Labels = [:]
        if let meta = field(t, "metadata"), let l = field(meta, "labels") { for (k, v) in try l.freeMapping() { labels[k] = try v.string() } }
        labels["workflows.argoproj.io/template"] = name
        let pod = PodSpec(name: "", namespace: namespace, labels: labels, containers: [c], work: .forever)
        var template = PipelineTemplate(name: name, body: .container(pod), parallelism: parallelism, retry: retry)
        template.cacheEnabled = field(t, "memoize") != nil
        return template
    }

    /// A DAG task or a step.
    func argoTask(_ n: ConfigNode, steps: Bool) throws(ConfigError) -> PipelineTask {
        guard let nameNode = field(n, "name") else { throw n.error("missing required key 'name'") }
        if let ref = field(n, "templateRef") { throw ref.error("templateRef (templates of another WorkflowTemplate) is not resolved; inline the template") }
        guard let templateNode = field(n, "template") else { throw n.error("missing required key 'template'") }
        var task = PipelineTask(name: try nameNode.name(), template: try templateNode.name(), dependencies: [], loop: nil,
                                loopParallelism: nil, conditional: field(n, "when") != nil, retry: nil, location: n.path)
        task.line = n.node.mark?.line ?? 0
        task.column = n.node.mark?.column ?? 0

        for hook in ["onExit", "hooks"] {
            if let h = field(n, hook) { throw h.error("task-level '\(hook)' is not simulated; kfsim runs the workflow's spec.onExit") }
        }
        if !steps {
            if let d = field(n, "dependencies") { task.dependencies = try d.list().map { (x: ConfigNode) throws(ConfigError) in try x.name() } }
            if let d = field(n, "depends") {
                if let other = field(n, "dependencies") { throw other.error("give 'dependencies' or 'depends', not both (as Argo requires)") }
                let expression = try argoDepends(d)
                task.depends = expression
                task.dependencies = expression.tasks
            }
        }
        if let c = field(n, "continueOn") {
            let m = try c.mapping(["failed", "error"])
            let failed = try m["failed"]?.bool() ?? false, errored = try m["error"]?.bool() ?? false
            task.continueOnFailure = failed || errored
        }
        if let items = field(n, "withItems") { task.loop = .fixed(try items.list().count) }
        if field(n, "withParam") != nil { task.loop = .runtime }
        if let seq = field(n, "withSequence") {
            if let count = field(seq, "count") {
                task.loop = .fixed(Int(try count.int(0...100_000)))
            } else {
                let start = try field(seq, "start")?.int(-1_000_000...1_000_000) ?? 0
                let end = try field(seq, "end")?.int(-1_000_000...1_000_000) ?? 0
                task.loop = .fixed(Int(abs(end - start) + 1))
            }
        }
        return task
    }

    /// A `depends` expression: task results joined by `&&`, `||`, `!` and parentheses.
    func argoDepends(_ node: ConfigNode) throws(ConfigError) -> DependsExpression {
        let text = try node.string()
        switch DependsExpression.parse(text) {
        case .success(let e): return e
        case .failure(let error):
            throw node.error("'\(text)': \(error.message); a depends expression joins task names, optionally with a result "
                             + "(.\(DependsExpression.results.joined(separator: ", ."))), by &&, || and !, with parentheses")
        }
    }

    /// `retryStrategy: {limit, backoff: {duration, factor, cap, maxDuration}}` (strings or numbers).
    func argoRetry(_ r: ConfigNode) throws(ConfigError) -> PipelineRetry {
        let limit = try field(r, "limit").map { (l: ConfigNode) throws(ConfigError) in Int(try l.int(0...1_000)) } ?? 1_000
        var retry = PipelineRetry(limit: limit, backoff: 0, factor: 1, maxBackoff: nil)
        if let b = field(r, "backoff") {
            retry.backoff = try field(b, "duration")?.seconds(minimum: 0) ?? 0
            retry.factor = try field(b, "factor")?.double(1...1000) ?? 1
            retry.maxBackoff = try field(b, "cap")?.seconds(minimum: 0)
        }
        return retry
    }
}
