import KFCluster
import KFConfig
import KFControlPlane

extension WorkloadKind {
    /// `kind: Pod`: bare pods, one per arrival.
    public static let pod = WorkloadKind(name: "Pod", keys: ["arrivals", "template", "manifest", "work", "retry"]) { (e: WorkloadEntry) throws(ConfigError) in
        let arrivals = try e.arrivals(), retry = try e.retry()
        let template = try e.templateOrManifest(kind: "Pod")
        let work = try e.context.workSpec(try e.fields.required("work"))
        let name = e.name
        return LoadedWorkload(templates: [template]) {
            SinglePodJobController.pods(name: name, template: template.spec, work: work, arrivals: arrivals,
                                        backoff: retry ?? .controllerRuntime)
        }
    }

    /// `kind: Job`: batch/v1 Jobs of `completions` pods, `parallelism` at a time.
    public static let job = WorkloadKind(name: "Job", keys: ["arrivals", "template", "manifest", "work", "completions", "parallelism", "retry"]) {
        (e: WorkloadEntry) throws(ConfigError) in
        let arrivals = try e.arrivals(), retry = try e.retry()
        let work = try e.context.workSpec(try e.fields.required("work"))
        let template: (path: String, spec: PodSpec)
        let completions: Int, parallelism: Int
        if let manifest = e.fields["manifest"] {
            // A batch/v1 Job as written: its pod template, completions and parallelism (defaults 1).
            for key in ["template", "completions", "parallelism"] where e.fields.has(key) {
                throw e.fields[key]!.error("'\(key)' comes from the Job manifest; give it there, not both")
            }
            let doc = try e.context.singleManifest(manifest, kind: "Job", versions: ["batch/v1"])
            let spec = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"]).required("spec")
            let sm = try spec.mapping(["template", "completions", "parallelism", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes",
                                       "completionMode", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "suspend", "selector",
                                       "manualSelector", "podFailurePolicy", "podReplacementPolicy", "successPolicy", "managedBy"])
            let t = try sm.required("template")
            template = (t.path, try e.context.podTemplate(t, namespace: e.namespace, manifest: true))
            completions = Int(try sm["completions"]?.int(1...100_000) ?? 1)
            parallelism = Int(try sm["parallelism"]?.int(0...100_000) ?? 1)
        } else {
            template = try e.template()
            completions = Int(try e.fields["completions"]?.int(1...100_000) ?? 1)
            parallelism = Int(try e.fields["parallelism"]?.int(0...100_000) ?? 1)
        }
        let name = e.name
        return LoadedWorkload(templates: [template]) {
            BatchJobController(name: name, template: template.spec, work: work, completions: completions,
                               parallelism: parallelism, arrivals: arrivals, backoff: retry ?? .job)
        }
    }
}
