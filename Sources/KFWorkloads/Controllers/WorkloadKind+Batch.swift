import KFConfig
import KFControlPlane

extension WorkloadKind {
    /// `kind: Pod`: bare pods, one per arrival.
    public static let pod = WorkloadKind(name: "Pod", keys: ["arrivals", "template", "work", "retry"]) { (e: WorkloadEntry) throws(ConfigError) in
        let arrivals = try e.arrivals(), retry = try e.retry()
        let template = try e.template()
        let work = try e.context.workSpec(try e.fields.required("work"))
        let name = e.name
        return LoadedWorkload(templates: [template]) {
            SinglePodJobController.pods(name: name, template: template.spec, work: work, arrivals: arrivals,
                                        backoff: retry ?? .controllerRuntime)
        }
    }

    /// `kind: Job`: batch/v1 Jobs of `completions` pods, `parallelism` at a time.
    public static let job = WorkloadKind(name: "Job", keys: ["arrivals", "template", "work", "completions", "parallelism", "retry"]) {
        (e: WorkloadEntry) throws(ConfigError) in
        let arrivals = try e.arrivals(), retry = try e.retry()
        let template = try e.template()
        let work = try e.context.workSpec(try e.fields.required("work"))
        let completions = Int(try e.fields["completions"]?.int(1...100_000) ?? 1)
        let parallelism = Int(try e.fields["parallelism"]?.int(0...100_000) ?? 1)
        let name = e.name
        return LoadedWorkload(templates: [template]) {
            BatchJobController(name: name, template: template.spec, work: work, completions: completions,
                               parallelism: parallelism, arrivals: arrivals, backoff: retry ?? .job)
        }
    }

    /// `kind: ParallelFor`: a Kubeflow Pipelines fan-out step and its join.
    public static let parallelFor = WorkloadKind(name: "ParallelFor", keys: [
        "arrivals", "template", "containers", "parallelism", "totalWork", "perContainerWork", "joinWork", "threads", "stepLatency", "retry",
    ]) { (e: WorkloadEntry) throws(ConfigError) in
        let arrivals = try e.arrivals(), retry = try e.retry()
        let template = try e.template()
        let m = e.fields, c = e.context
        let containers = Int(try m.required("containers").int(1...100_000))
        let parallelism = Int(try m["parallelism"]?.int(0...100_000) ?? 0)
        let total = try c.distribution(try m.required("totalWork"))
        let perContainer = try m["perContainerWork"]?.seconds(minimum: 0) ?? 0
        let join = try m["joinWork"]?.seconds(minimum: 0) ?? 0
        let threads = try m["threads"]?.double(0.001...1e6)
        let step = try m["stepLatency"].map { (s: ConfigNode) throws(ConfigError) in try c.distribution(s) } ?? .constant(0)
        let name = e.name
        return LoadedWorkload(templates: [template]) {
            ParallelForController(name: name, template: template.spec, containers: containers, parallelism: parallelism,
                                  totalWork: total, perContainerWork: perContainer, threads: threads, joinWork: join,
                                  stepLatency: step, arrivals: arrivals, backoff: retry ?? .controllerRuntime)
        }
    }
}
