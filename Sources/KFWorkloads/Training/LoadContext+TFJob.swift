import Foundation
import KFCluster
import KFControlPlane
import KFConfig
import Yams

extension LoadContext {
    /// `kind: TFJob` workload keys.
    public static let tfJobKeys = ["arrivals", "manifests", "policy", "profiles", "defaults", "resyncSeconds", "checkpointRestartSeconds",
                            "podTimeToFailure", "network"]

    /// The training jobs of a workload (TFJob, PyTorchJob, MPIJob, TrainJob, with the Trainer runtimes
    /// TrainJobs refer to): `manifests` is a file (multi-document YAML or a `kubectl get -o yaml`
    /// List, relative to the scenario) or a list of inline manifests; each gets a training profile.
    func tfJobs(_ m: ConfigMap, namespace: String) throws(ConfigError) -> [TFJobSpec] {
        let manifestsNode = try m.required("manifests")
        let manifests = try manifestDocuments(manifestsNode)
        let runtimes = try trainerRuntimes(manifests)
        var jobs: [ConfigNode] = []
        for d in manifests {
            let kind = try field(d, "kind")?.string()
            if kind != "ClusterTrainingRuntime" && kind != "TrainingRuntime" { jobs.append(d) }
        }
        guard !jobs.isEmpty else { throw manifestsNode.error("no training job manifests found (TFJob, PyTorchJob, MPIJob, TrainJob)") }
        let defaults = try m["defaults"].map { (d: ConfigNode) throws(ConfigError) in try defaultResources(d) }
        let profiles = try (m["profiles"]?.list() ?? []).map { (p: ConfigNode) throws(ConfigError) in try trainingProfile(p) }
        let network = try m["network"].map { (n: ConfigNode) throws(ConfigError) in
            TrainingNetworkMode(rawValue: try n.oneOf(TrainingNetworkMode.allCases.map(\.rawValue)))!
        } ?? TFJobSpec.defaultNetwork
        var out: [TFJobSpec] = []
        for doc in jobs {
            var job = try tfJob(doc, namespace: namespace, defaults: defaults, profiles: profiles, runtimes: runtimes)
            job.network = network
            out.append(job)
        }
        var seen = Set<String>()
        for (i, j) in out.enumerated() where !seen.insert(j.name).inserted {
            throw jobs[i].error("\(j.kind) name '\(j.name)' is used twice")
        }
        return out
    }

    /// `gpuSecondsPerSample`: seconds per sample on one A100, or `{A100: s, V100: s, ...}` by GPU family.
    func gpuTimes(_ node: ConfigNode) throws(ConfigError) -> [GPUTime] {
        if case .scalar = node.node { return [GPUTime(family: "A100", seconds: try node.double(1e-12...1e6))] }
        var out: [GPUTime] = []
        for (family, value) in try node.freeMapping() {
            guard GPUModel.families.contains(family) else {
                throw value.error("unknown GPU family '\(family)'; accepted: \(GPUModel.families.joined(separator: ", "))")
            }
            out.append(GPUTime(family: family, seconds: try value.double(1e-12...1e6)))
        }
        guard !out.isEmpty else { throw node.error("gpuSecondsPerSample needs at least one GPU family") }
        return out
    }

    /// `{resources: {requests, limits}}` given to containers that declare none.
    func defaultResources(_ node: ConfigNode) throws(ConfigError) -> (OptionalResources, OptionalResources) {
        let m = try node.mapping(["resources"])
        let r = try m.required("resources").mapping(["requests", "limits"])
        return (try r["requests"].map { (n: ConfigNode) throws(ConfigError) in try resourceList(n) } ?? .init(),
                try r["limits"].map { (n: ConfigNode) throws(ConfigError) in try resourceList(n) } ?? .init())
    }

    /// A training profile: `{name | model, modelSize, globalBatch, computePerSample, iterations, sync,
    /// localBandwidth, minWorkers, maxWorkers}`, matched to jobs by name or by model.
    func trainingProfile(_ node: ConfigNode) throws(ConfigError) -> (name: String?, TrainingProfile) {
        let m = try node.mapping(["name", "model", "modelSize", "globalBatch", "computePerSample", "iterations", "sync",
                                  "localBandwidth", "minWorkers", "maxWorkers", "optimus", "gpuSecondsPerSample"])
        let name = try m["name"]?.name()
        let model = try m["model"]?.name()
        guard name != nil || model != nil else { throw node.error("a profile needs a name (job) or a model to match") }
        let profile = TrainingProfile(
            model: model ?? name!, modelBytes: Double(try m.required("modelSize").quantityValue()),
            globalBatch: try m.required("globalBatch").double(1...1e9),
            computePerSample: try m.required("computePerSample").double(1e-9...1e6),
            iterations: try m.required("iterations").double(1...1e12),
            synchronous: try m["sync"]?.bool() ?? true,
            localBandwidth: try m["localBandwidth"]?.quantityDouble() ?? 10e9,
            minWorkers: try m["minWorkers"].map { (n: ConfigNode) throws(ConfigError) in Int(try n.int(1...100_000)) },
            maxWorkers: try m["maxWorkers"].map { (n: ConfigNode) throws(ConfigError) in Int(try n.int(1...100_000)) })
        if let lo = profile.minWorkers, let hi = profile.maxWorkers, lo > hi {
            throw (m["minWorkers"] ?? node).error("minWorkers (\(lo)) must not exceed maxWorkers (\(hi))")
        }
        var result = profile
        if let o = m["optimus"] { result.optimusTheta = try optimusTheta(o) }
        if let g = m["gpuSecondsPerSample"] { result.gpuSecondsPerSample = try gpuTimes(g) }
        return (name, result)
    }

    /// `optimus: {theta: [θ0, ...]}` or `optimus: {fit: optimus-fit.csv, model: NAME}` (a file written by
    /// `kfsim optimus-fit --out`).
    func optimusTheta(_ node: ConfigNode) throws(ConfigError) -> [Double] {
        let m = try node.mapping(["theta", "fit", "model"])
        if let t = m["theta"] {
            let values = try t.list().map { (v: ConfigNode) throws(ConfigError) in try v.double(0...1e9) }
            guard values.count == 5 || values.count == 4 else { throw t.error("theta needs 5 values (sync) or 4 (async), got \(values.count)") }
            // All zero: an iteration would take no time (Optimus's speed would be infinite).
            guard values.contains(where: { $0 > 0 }) else { throw t.error("theta must not be all zero") }
            return values
        }
        let fileNode = try m.required("fit")
        let modelNode = try m.required("model")
        let model = try modelNode.name()
        let path = resolve(try fileNode.name())
        let text: String
        do { text = try InputFile.read(path, maxBytes: InputFile.maxTraceBytes) } catch { throw fileNode.error("cannot use the fit file: \(error)") }
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            if f.count >= 7 && f[0] == model {
                let theta = f[2...6].compactMap { Double($0) }
                guard theta.count == 5, theta.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1e9 }), theta.contains(where: { $0 > 0 }) else {
                    throw fileNode.error("the fit of model '\(model)' in \(path) is not 5 finite non-negative numbers, not all zero")
                }
                return theta
            }
        }
        throw modelNode.error("model '\(model)' is not in \(path)")
    }

    /// The `kfsim.io/iterations` annotation's value: a number in 1...1e12 (located at the annotation).
    func iterations(_ text: String, _ annotations: ConfigNode) throws(ConfigError) -> Double {
        guard let v = Double(text), v.isFinite, v >= 1, v <= 1e12 else {
            let at = (try? annotations.freeMapping())?.first { $0.0 == "kfsim.io/iterations" }?.1 ?? annotations
            throw at.error("kfsim.io/iterations must be a number in 1...1e12, got '\(text)'")
        }
        return v
    }

    /// Metadata keys accepted on training job manifests.
    static let metadataKeys = ["name", "namespace", "labels", "annotations", "uid", "resourceVersion", "generation", "creationTimestamp",
                               "managedFields", "selfLink", "ownerReferences", "finalizers", "generateName"]

    /// The training operators' job kinds: API versions, the replica specs' key, the replica types and
    /// the spec's other keys (accepted; those that do not change timing are ignored).
    static let trainingKinds: [String: (versions: [String], replicas: String, types: [ReplicaType], keys: [String])] = [
        "TFJob": (["kubeflow.org/v1"], "tfReplicaSpecs", [.ps, .worker, .chief, .master, .evaluator],
                  ["runPolicy", "successPolicy", "enableDynamicWorker"]),
        "PyTorchJob": (["kubeflow.org/v1"], "pytorchReplicaSpecs", [.master, .worker], ["runPolicy", "elasticPolicy", "nprocPerNode"]),
        "MPIJob": (["kubeflow.org/v2beta1", "kubeflow.org/v1"], "mpiReplicaSpecs", [.launcher, .worker],
                   ["runPolicy", "slotsPerWorker", "sshAuthMountPath", "launcherCreationPolicy", "mpiImplementation", "cleanPodPolicy",
                    "mainContainer", "runLauncherAsWorker"]),
    ]

    /// One training job manifest: a TFJob or PyTorchJob (`kubeflow.org/v1`) or an MPIJob
    /// (`kubeflow.org/v2beta1` or `v1`), its replica specs, run policy and (PyTorchJob) elastic policy.
    func tfJob(_ node: ConfigNode, namespace: String, defaults: (OptionalResources, OptionalResources)?,
               profiles: [(name: String?, TrainingProfile)], runtimes: [String: TrainerRuntime] = [:]) throws(ConfigError) -> TFJobSpec {
        let top = try node.mapping(["apiVersion", "kind", "metadata", "spec", "status"])
        let kindName = try top.required("kind").oneOf(["TFJob", "PyTorchJob", "MPIJob", "TrainJob"])
        if kindName == "TrainJob" { return try trainJob(node, namespace: namespace, defaults: defaults, profiles: profiles, runtimes: runtimes) }
        let kind = Self.trainingKinds[kindName]!
        let version = try top.required("apiVersion")
        guard kind.versions.contains(try version.string()) else {
            throw version.error("unsupported apiVersion '\((try? version.string()) ?? "")' for \(kindName); accepted: \(kind.versions.joined(separator: ", "))")
        }
        let meta = try top.required("metadata").mapping(Self.metadataKeys)
        let name = try meta.required("name").name()
        let ns = try meta["namespace"]?.name() ?? namespace
        var annotations: [String: String] = [:]
        for (k, v) in try meta["annotations"]?.freeMapping() ?? [] { annotations[k] = try v.string() }
        let spec = try top.required("spec").mapping([kind.replicas] + kind.keys)
        var replicas: [(type: ReplicaType, spec: ReplicaSpec)] = []
        let specsNode = try spec.required(kind.replicas)
        for (key, value) in try specsNode.freeMapping() {
            guard let type = ReplicaType(rawValue: key), kind.types.contains(type) else {
                throw value.error("unknown \(kindName) replica type '\(key)'; accepted: \(kind.types.map(\.rawValue).joined(separator: ", "))")
            }
            let r = try value.mapping(["replicas", "restartPolicy", "template"])
            var template = try podTemplate(try r.required("template"), namespace: ns, manifest: true)
            if let (req, lim) = defaults {
                for i in template.containers.indices where template.containers[i].requests.isEmpty && template.containers[i].limits.isEmpty {
                    template.containers[i].requests = req
                    template.containers[i].limits = lim
                }
            }
            let restart = try r["restartPolicy"]?.oneOf(["Always", "OnFailure", "Never", "ExitCode"]) ?? "Never"
            replicas.append((type, ReplicaSpec(replicas: Int(try r["replicas"]?.int(0...10_000) ?? 1), template: template, restartPolicy: restart)))
        }
        guard replicas.contains(where: { $0.type.trains && $0.spec.replicas > 0 }) else {
            throw specsNode.error("a \(kindName) needs at least one \(kind.types.filter(\.trains).map(\.rawValue).joined(separator: " or ")) replica")
        }
        let runPolicy = try self.runPolicy(spec["runPolicy"])
        let model = annotations["kfsim.io/model"]
        var profile = try matchProfile(name: name, model: model, kind: kindName, node: node, profiles: profiles)
        if let it = annotations["kfsim.io/iterations"] { profile.iterations = try iterations(it, meta["annotations"] ?? node) }
        if let elastic = spec["elasticPolicy"] {
            let e = try elastic.mapping(["minReplicas", "maxReplicas", "rdzvBackend", "rdzvPort", "rdzvHost", "rdzvId", "rdzvConf",
                                         "standalone", "nProcPerNode", "maxRestarts", "metrics"])
            if profile.minWorkers == nil, let v = e["minReplicas"] { profile.minWorkers = Int(try v.int(1...100_000)) }
            if profile.maxWorkers == nil, let v = e["maxReplicas"] { profile.maxWorkers = Int(try v.int(1...100_000)) }
        }
        var job = TFJobSpec(name: name, namespace: ns, replicas: replicas, runPolicy: runPolicy, profile: profile)
        job.kind = kindName
        return job
    }

    /// A training job's `runPolicy`.
    func runPolicy(_ rp: ConfigNode?) throws(ConfigError) -> RunPolicy {
        var runPolicy = RunPolicy()
        if let rp {
            let rm = try rp.mapping(["cleanPodPolicy", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "schedulingPolicy", "suspend",
                                        "managedBy"])
            if let c = rm["cleanPodPolicy"] { runPolicy.cleanPodPolicy = try c.oneOf(["All", "Running", "None"]) }
            if let b = rm["backoffLimit"] { runPolicy.backoffLimit = Int(try b.int(0...1_000_000)) }
            if let a = rm["activeDeadlineSeconds"] { runPolicy.activeDeadlineSeconds = try a.double(0...1e12) }
            if let sp = rm["schedulingPolicy"] {
                let sm = try sp.mapping(["minAvailable", "queue", "priorityClass", "minResources", "scheduleTimeoutSeconds"])
                if let v = sm["minAvailable"] { runPolicy.minAvailable = Int(try v.int(1...1_000_000)) }
                if let v = sm["queue"] { runPolicy.queue = try v.string() }
                if let v = sm["priorityClass"] { runPolicy.priorityClass = try v.string() }
                if let v = sm["scheduleTimeoutSeconds"] { runPolicy.scheduleTimeoutSeconds = try v.double(0...1e9) }
            }
        }
        return runPolicy
    }

    /// The profile of a job: by job name, else by model (annotation kfsim.io/model).
    func matchProfile(name: String, model: String?, kind: String, node: ConfigNode,
                      profiles: [(name: String?, TrainingProfile)]) throws(ConfigError) -> TrainingProfile {
        guard let profile = profiles.first(where: { $0.name == name })?.1 ?? profiles.first(where: { $0.name == nil && $0.1.model == model })?.1 else {
            throw node.error("no training profile for \(kind) '\(name)'\(model.map { " (model '\($0)')" } ?? ""); add one under the workload's profiles with name: \(name) or model: <annotation kfsim.io/model>")
        }
        return profile
    }
}
