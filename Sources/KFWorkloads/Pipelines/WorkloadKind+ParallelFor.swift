import KFCluster
import KFConfig
import KFControlPlane
import KFEngine

extension WorkloadKind {
    /// `kind: ParallelFor`: a Kubeflow Pipelines fan-out step and its join, written in a few keys. It is
    /// a one-loop pipeline: a DAG whose task `for` loops over `containers` items (at most `parallelism`
    /// at once, 0: all) and whose task `join` runs after it. A run's CPU work `totalWork` (core-seconds)
    /// is split over the items, each `totalWork / containers + perContainerWork`; the join does
    /// `joinWork`; the workflow controller reacts after `stepLatency`. A failed item is created again.
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
            PipelineController.parallelFor(name: name, template: template.spec, containers: containers, parallelism: parallelism,
                                           totalWork: total, perContainerWork: perContainer, threads: threads, joinWork: join,
                                           stepLatency: step, arrivals: arrivals, backoff: retry ?? .controllerRuntime)
        }
    }
}

extension PipelineController {
    /// The controller of a ParallelFor workload (see `WorkloadKind.parallelFor`).
    public static func parallelFor(name: String, template: PodSpec, containers: Int, parallelism: Int, totalWork: Distribution,
                                   perContainerWork: Double, threads: Double?, joinWork: Double, stepLatency: Distribution,
                                   arrivals: ArrivalProcess, backoff: RetryBackoff = .controllerRuntime) -> PipelineController {
        var forProfile = StepProfile()
        forProfile.splitWork = StepProfile.SplitWork(total: totalWork, perItem: perContainerWork, threads: threads)
        let joinProfile = StepProfile(work: .cpu(.constant(joinWork), threads: threads))
        return PipelineController(name: name, spec: .parallelFor(template: template, containers: containers, parallelism: parallelism),
                                  profiles: ["for": forProfile, "join": joinProfile], defaultProfile: joinProfile, namespace: template.namespace,
                                  arrivals: arrivals, controllerDelay: stepLatency, backoff: backoff, executionCache: nil,
                                  jobKind: "ParallelFor")
    }
}

extension PipelineSpec {
    /// The pipeline of the ParallelFor kind: `for` over `containers` items of `template` (at most
    /// `parallelism` at once; 0: all), then `join`. Failed items are created again at once.
    static func parallelFor(template: PodSpec, containers: Int, parallelism: Int) -> PipelineSpec {
        let again = PipelineRetry(limit: Int(Int32.max), backoff: 0, factor: 1, maxBackoff: nil)
        let step = PipelineTemplate(name: "for", body: .container(template), parallelism: nil, retry: again)
        let join = PipelineTemplate(name: "join", body: .container(template), parallelism: nil, retry: nil)
        let tasks = [
            PipelineTask(name: "for", template: "for", dependencies: [], loop: .fixed(containers), loopParallelism: parallelism == 0 ? nil : parallelism,
                         conditional: false, retry: nil, location: "containers"),
            PipelineTask(name: "join", template: "join", dependencies: ["for"], loop: nil, loopParallelism: nil, conditional: false, retry: nil, location: "joinWork"),
        ]
        let dag = PipelineTemplate(name: "parallel-for", body: .dag(tasks), parallelism: nil, retry: nil)
        return PipelineSpec(name: "parallel-for", templates: ["for": step, "join": join, "parallel-for": dag], entry: "parallel-for", parallelism: nil)
    }
}
