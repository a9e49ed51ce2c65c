import KFCluster
import KFConfig

extension LoadContext {
    /// A Kubeflow Trainer runtime (`trainer.kubeflow.org/v1alpha1` ClusterTrainingRuntime or
    /// TrainingRuntime) as TrainJobs use it: its node count (`mlPolicy.numNodes`) and the pod template of
    /// its trainer nodes (the JobSet's replicated job named `node`).
    struct TrainerRuntime {
        var numNodes: Int
        var template: ConfigNode?
    }

    /// The runtimes among a workload's manifests, by name.
    func trainerRuntimes(_ documents: [ConfigNode]) throws(ConfigError) -> [String: TrainerRuntime] {
        var out: [String: TrainerRuntime] = [:]
        for doc in documents {
            guard let kind = try field(doc, "kind")?.string(), kind == "ClusterTrainingRuntime" || kind == "TrainingRuntime" else { continue }
            let top = try doc.mapping(["apiVersion", "kind", "metadata", "spec"])
            _ = try top.required("apiVersion").oneOf(["trainer.kubeflow.org/v1alpha1"])
            let name = try top.required("metadata").mapping(Self.metadataKeys).required("name").name()
            let spec = try top.required("spec")
            let numNodes = try field(spec, "mlPolicy").flatMap { field($0, "numNodes") }?.int(1...10_000) ?? 1
            var template: ConfigNode?
            if let jobs = field(spec, "template").flatMap({ field($0, "spec") }).flatMap({ field($0, "replicatedJobs") }) {
                for job in try jobs.list() where try field(job, "name")?.string() == "node" {
                    template = field(job, "template").flatMap { field($0, "spec") }.flatMap { field($0, "template") }
                }
            }
            out[name] = TrainerRuntime(numNodes: Int(numNodes), template: template)
        }
        return out
    }

    /// A Kubeflow Trainer TrainJob (`trainer.kubeflow.org/v1alpha1`): `trainer.numNodes` nodes (else the
    /// runtime's), each a pod of the runtime's node template (when the runtime is among the manifests)
    /// with the trainer's image and `resourcesPerNode`; they train by allreduce. Without the runtime the
    /// pod is one container `node` of the trainer's image (or the runtime's name) and resources.
    func trainJob(_ node: ConfigNode, namespace: String, defaults: (OptionalResources, OptionalResources)?,
                  profiles: [(name: String?, TrainingProfile)], runtimes: [String: TrainerRuntime]) throws(ConfigError) -> TFJobSpec {
        let top = try node.mapping(["apiVersion", "kind", "metadata", "spec", "status"])
        _ = try top.required("apiVersion").oneOf(["trainer.kubeflow.org/v1alpha1"])
        let meta = try top.required("metadata").mapping(Self.metadataKeys)
        let name = try meta.required("name").name()
        let ns = try meta["namespace"]?.name() ?? namespace
        var annotations: [String: String] = [:]
        for (k, v) in try meta["annotations"]?.freeMapping() ?? [] { annotations[k] = try v.string() }
        let spec = try top.required("spec").mapping(["runtimeRef", "trainer", "initializer", "labels", "annotations", "podSpecOverrides",
                                                      "podTemplateOverrides", "suspend", "managedBy"])
        let ref = try spec.required("runtimeRef").mapping(["name", "apiGroup", "kind"])
        let runtimeName = try ref.required("name").name()
        let runtime = runtimes[runtimeName]
        let trainer = try spec["trainer"]?.mapping(["image", "command", "args", "env", "numNodes", "resourcesPerNode", "numProcPerNode"])
        let nodes = try trainer?["numNodes"].map { (n: ConfigNode) throws(ConfigError) in Int(try n.int(1...10_000)) } ?? runtime?.numNodes ?? 1
        var template: PodSpec
        if let t = runtime?.template {
            template = try podTemplate(t, namespace: ns, manifest: true)
        } else {
            template = PodSpec(name: "", namespace: ns, containers: [ContainerSpec(name: "node", image: runtimeName)], work: .forever)
        }
        if let image = try trainer?["image"]?.string(), !template.containers.isEmpty { template.containers[0].image = image }
        if let r = trainer?["resourcesPerNode"] {
            let rm = try r.mapping(["requests", "limits", "claims"])
            if let req = rm["requests"], !template.containers.isEmpty { template.containers[0].requests = try resourceList(req) }
            if let lim = rm["limits"], !template.containers.isEmpty { template.containers[0].limits = try resourceList(lim) }
        }
        if let (req, lim) = defaults {
            for i in template.containers.indices where template.containers[i].requests.isEmpty && template.containers[i].limits.isEmpty {
                template.containers[i].requests = req
                template.containers[i].limits = lim
            }
        }
        var profile = try matchProfile(name: name, model: annotations["kfsim.io/model"], kind: "TrainJob", node: node, profiles: profiles)
        if let it = annotations["kfsim.io/iterations"] { profile.iterations = try iterations(it, meta["annotations"] ?? node) }
        var job = TFJobSpec(name: name, namespace: ns, replicas: [(.worker, ReplicaSpec(replicas: nodes, template: template))], profile: profile)
        job.kind = "TrainJob"
        return job
    }
}
