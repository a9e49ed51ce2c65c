import Foundation
import KFCluster
import KFControlPlane
import KFConfig
import Yams

extension LoadContext {
    /// `kind: TFJob` workload keys.
    public static let tfJobKeys = ["arrivals", "manifests", "policy", "profiles", "defaults", "resyncSeconds", "checkpointRestartSeconds",
                            "podTimeToFailure", "network"]

    /// The TFJobs of a workload: `manifests` is a file (multi-document YAML or a `kubectl get -o yaml`
    /// List, relative to the scenario) or a list of inline manifests; each gets a training profile.
    func tfJobs(_ m: ConfigMap, namespace: String) throws(ConfigError) -> [TFJobSpec] {
        let manifestsNode = try m.required("manifests")
        let manifests = try manifestDocuments(manifestsNode)
        guard !manifests.isEmpty else { throw manifestsNode.error("no TFJob manifests found") }
        let defaults = try m["defaults"].map { (d: ConfigNode) throws(ConfigError) in try defaultResources(d) }
        let profiles = try (m["profiles"]?.list() ?? []).map { (p: ConfigNode) throws(ConfigError) in try trainingProfile(p) }
        let network = try m["network"].map { (n: ConfigNode) throws(ConfigError) in
            TrainingNetworkMode(rawValue: try n.oneOf(TrainingNetworkMode.allCases.map(\.rawValue)))!
        } ?? TFJobSpec.defaultNetwork
        var out: [TFJobSpec] = []
        for doc in manifests {
            var job = try tfJob(doc, namespace: namespace, defaults: defaults, profiles: profiles)
            job.network = network
            out.append(job)
        }
        var seen = Set<String>()
        for (i, j) in out.enumerated() where !seen.insert(j.name).inserted {
            throw manifests[i].error("TFJob name '\(j.name)' is used twice")
        }
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
                                  "localBandwidth", "minWorkers", "maxWorkers", "optimus"])
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

    /// One kubeflow.org/v1 TFJob manifest.
    func tfJob(_ node: ConfigNode, namespace: String, defaults: (OptionalResources, OptionalResources)?,
               profiles: [(name: String?, TrainingProfile)]) throws(ConfigError) -> TFJobSpec {
        let top = try node.mapping(["apiVersion", "kind", "metadata", "spec", "status"])
        let version = try top.required("apiVersion")
        guard try version.string() == "kubeflow.org/v1" else {
            throw version.error("unsupported apiVersion '\((try? version.string()) ?? "")'; accepted: kubeflow.org/v1")
        }
        _ = try top.required("kind").oneOf(["TFJob"])
        let meta = try top.required("metadata").mapping(["name", "namespace", "labels", "annotations", "uid", "resourceVersion",
                                                         "generation", "creationTimestamp", "managedFields", "selfLink",
                                                         "ownerReferences", "finalizers", "generateName"])
        let name = try meta.required("name").name()
        let ns = try meta["namespace"]?.name() ?? namespace
        var annotations: [String: String] = [:]
        for (k, v) in try meta["annotations"]?.freeMapping() ?? [] { annotations[k] = try v.string() }
        let spec = try top.required("spec").mapping(["tfReplicaSpecs", "runPolicy", "successPolicy", "enableDynamicWorker"])
        var replicas: [(type: ReplicaType, spec: ReplicaSpec)] = []
        let specsNode = try spec.required("tfReplicaSpecs")
        for (key, value) in try specsNode.freeMapping() {
            guard let type = ReplicaType(rawValue: key) else {
                throw value.error("unknown replica type '\(key)'; accepted: \(ReplicaType.allCases.map(\.rawValue).joined(separator: ", "))")
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
            throw specsNode.error("a TFJob needs at least one Worker, Chief or Master replica")
        }
        var runPolicy = RunPolicy()
        if let rp = spec["runPolicy"] {
            let rm = try rp.mapping(["cleanPodPolicy", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "schedulingPolicy", "suspend"])
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
        // Profile: by job name, else by model (annotation kfsim.io/model).
        let model = annotations["kfsim.io/model"]
        guard var profile = profiles.first(where: { $0.name == name })?.1 ?? profiles.first(where: { $0.name == nil && $0.1.model == model })?.1 else {
            throw node.error("no training profile for TFJob '\(name)'\(model.map { " (model '\($0)')" } ?? ""); add one under the workload's profiles with name: \(name) or model: <annotation kfsim.io/model>")
        }
        if let it = annotations["kfsim.io/iterations"] { profile.iterations = try iterations(it, meta["annotations"] ?? node) }
        return TFJobSpec(name: name, namespace: ns, replicas: replicas, runPolicy: runPolicy, profile: profile)
    }
}
