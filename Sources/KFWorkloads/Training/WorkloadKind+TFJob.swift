import KFEngine
import KFCluster
import KFConfig
import KFControlPlane
import KFScheduler

extension WorkloadKind {
    /// `kind: TFJob` (and `PyTorchJob`, `MPIJob`, `TrainJob`, the same loader under the other names):
    /// training job manifests submitted at the arrivals, run by the training operator under a policy from
    /// `policies`. Every name accepts every training kind's manifests; one of them (with `reporter`)
    /// reports them all.
    public static func tfJob(policies: TrainingPolicies = .builtIn, name kindName: String = "TFJob",
                             reporter: RunReporter? = TrainingReporter()) -> WorkloadKind {
        WorkloadKind(name: kindName, keys: LoadContext.tfJobKeys, reporter: reporter) { (e: WorkloadEntry) throws(ConfigError) in
            let arrivals = try e.arrivals()
            let m = e.fields
            let jobs = try e.context.tfJobs(m, namespace: e.namespace)
            var templates: [(path: String, spec: PodSpec)] = []
            for j in jobs { for r in j.replicas { templates.append(("\(e.node.path).manifests[\(j.name)].\(r.type.rawValue)", r.spec.template)) } }
            let (policy, requirements) = try trainingPolicy(m["policy"], policies)
            let resync = try m["resyncSeconds"]?.seconds(minimum: 0.001) ?? 10
            let pause = try m["checkpointRestartSeconds"]?.seconds(minimum: 0) ?? 30
            let ttf = try m["podTimeToFailure"].map { (d: ConfigNode) throws(ConfigError) -> Distribution in
                let dist = try e.context.distribution(d)
                // A pod that fails as soon as it restarts would restart forever at one instant.
                guard dist.mean >= 1 else { throw d.error("the mean time to failure must be at least 1 s, got \(dist.mean) s") }
                return dist
            }
            let name = e.name
            return LoadedWorkload(templates: templates, requirements: requirements) {
                TFJobController(name: name, manifests: jobs, arrivals: arrivals, policy: policy(),
                                resyncSeconds: resync, checkpointRestartSeconds: pause, podTimeToFailure: ttf)
            }
        }
    }

    /// `policy: NAME` or `policy: {name: NAME, <parameters>}` (default: `default`).
    static func trainingPolicy(_ node: ConfigNode?, _ policies: TrainingPolicies) throws(ConfigError)
        -> (make: @Sendable () -> TrainingPolicy, requirements: [SchedulerRequirement]) {
        guard let node else { return (try policies.kind(named: "default")!.make(nil), []) }
        var nameNode = node
        var parameters: ConfigMap?
        if case .mapping = node.node {
            let head = try node.mapping(["name"] + Array(Set(policies.names.flatMap { policies.kind(named: $0)!.parameters })).sorted())
            nameNode = try head.required("name")
            let kind = policies.kind(named: try nameNode.oneOf(policies.names))!
            parameters = try node.mapping(["name"] + kind.parameters)
        }
        let kind = policies.kind(named: try nameNode.oneOf(policies.names))!
        let requirements = kind.requires.map { r in
            SchedulerRequirement(plugin: r.plugin, points: r.points, error: nameNode.error(
                "policy \(kind.name) needs the scheduler's \(r.plugin) plugin: enable it in spec.scheduler.profiles[].plugins at "
                    + r.points.map(\.rawValue).joined(separator: " and ")))
        }
        return (try kind.make(parameters), requirements)
    }
}
