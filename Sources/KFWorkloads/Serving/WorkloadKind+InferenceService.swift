import KFCluster
import KFConfig
import KFControlPlane
import KFEngine

extension WorkloadKind {
    /// `kind: InferenceService`: a KServe `serving.kserve.io/v1beta1` InferenceService as written
    /// (`manifest`). Its predictor gives the pod (a `model` with `resources`, or `containers`), replicas
    /// (`minReplicas`, default 1; `maxReplicas`), `containerConcurrency`, `scaleTarget` and
    /// `scaleMetric`. In serverless mode (the default) Knative's autoscaler scales it, scale to zero
    /// included, and requests wait at the activator; in `RawDeployment` mode (annotation
    /// `serving.kserve.io/deploymentMode`) an HPA on CPU utilisation does. Traffic and service time come
    /// from the entry, as for a Deployment.
    public static let inferenceService = WorkloadKind(name: "InferenceService", keys: [
        "manifest", "traffic", "serviceTime", "balancer", "queue", "readinessDelay", "recordRequests", "tick", "slo",
    ], reporter: nil) { (e: WorkloadEntry) throws(ConfigError) in
        let c = e.context
        let doc = try c.singleManifest(try e.fields.required("manifest"), kind: "InferenceService", versions: ["serving.kserve.io/v1beta1"])
        let meta = c.field(doc, "metadata")
        let name = try meta.flatMap { c.field($0, "name") }?.name() ?? e.name
        var annotations: [String: String] = [:]
        if let a = meta.flatMap({ c.field($0, "annotations") }) { for (k, v) in try a.freeMapping() { annotations[k] = try v.string() } }
        let spec = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"]).required("spec")
        let predictor = try spec.mapping(["predictor", "transformer", "explainer"]).required("predictor")
        if let t = c.field(spec, "transformer") ?? c.field(spec, "explainer") {
            throw t.error("transformers and explainers are not simulated; kfsim serves the predictor")
        }
        let template = try c.kservePredictorPod(predictor, name: name, namespace: e.namespace)
        let minReplicas = Int(try c.field(predictor, "minReplicas")?.int(0...100_000) ?? 1)
        let maxNode = c.field(predictor, "maxReplicas")
        let maxReplicas = Int(try maxNode?.int(0...100_000) ?? 0)
        if let maxNode, maxReplicas > 0, maxReplicas < minReplicas {
            throw maxNode.error("maxReplicas (\(maxReplicas)) is below minReplicas (\(minReplicas))")
        }
        let cc = Int(try c.field(predictor, "containerConcurrency")?.int(0...100_000) ?? 0)
        let metricNode = c.field(predictor, "scaleMetric")
        let metric = try metricNode?.oneOf(["concurrency", "rps", "cpu", "memory"]) ?? "concurrency"
        let scaleTarget = try c.field(predictor, "scaleTarget")?.double(0.01...1e6)
        let raw = annotations["serving.kserve.io/deploymentMode"] == "RawDeployment"
        if raw, let metricNode, metric != "cpu" {
            throw metricNode.error("in RawDeployment mode KServe scales with an HPA; kfsim models its cpu metric, not '\(metric)'")
        }
        if !raw, let metricNode, metric == "cpu" || metric == "memory" {
            throw metricNode.error("serverless InferenceServices scale with Knative's autoscaler on concurrency or rps, not '\(metric)'")
        }
        // Serverless: replicas start at the initial scale (1) or the minimum; unlimited concurrency
        // serves every request at once (the replica's queue-proxy holds none back).
        let replicas = max(minReplicas, 1)
        var (service, tickSeconds) = try e.serviceSpec(name: name, template: template, replicas: replicas, readiness: .constant(0),
                                                concurrency: cc > 0 ? cc : 1_000_000)
        if !raw { service.queueAt = .balancer }
        let kpa = KPAController.Spec(metric: metric == "rps" ? .rps : .concurrency, containerConcurrency: cc, target: scaleTarget,
                                     minScale: minReplicas, maxScale: maxReplicas)
        let hpa = HPASpec(name: name, target: name, minReplicas: max(minReplicas, 1), maxReplicas: max(maxReplicas, max(minReplicas, 1)),
                          metrics: [.cpuUtilization(Int32(scaleTarget ?? 80))])
        let finalService = service, tick = tickSeconds
        return LoadedWorkload(templates: [(doc.path, template)]) {
            let controller = ServiceController(spec: finalService, tick: tick)
            controller.autoscaler = raw ? HPAController(spec: hpa, target: controller) as ServiceAutoscaler
                : KPAController(name: name, spec: kpa, target: controller)
            return controller
        }
    }
}

extension LoadContext {
    /// The predictor's pod: its `model` (`modelFormat`, `resources`) or first of its `containers`.
    func kservePredictorPod(_ predictor: ConfigNode, name: String, namespace: String) throws(ConfigError) -> PodSpec {
        var container = ContainerSpec(name: "kserve-container", image: "kserve/model-server")
        var resourcesNode: ConfigNode?
        if let model = field(predictor, "model") {
            if let format = field(model, "modelFormat").flatMap({ field($0, "name") }) { container.image = "kserve/\(try format.string())-server" }
            resourcesNode = field(model, "resources")
        } else if let containers = field(predictor, "containers") {
            guard let first = try containers.list().first else { throw containers.error("the predictor has no container") }
            container.image = try field(first, "image")?.string() ?? container.image
            resourcesNode = field(first, "resources")
        } else {
            var framework: ConfigNode?
            for key in ["sklearn", "xgboost", "tensorflow", "pytorch", "onnx", "triton", "lightgbm", "huggingface"] where framework == nil {
                if let f = field(predictor, key) {
                    framework = f
                    container.image = "kserve/\(key)-server"
                }
            }
            guard let framework else { throw predictor.error("the predictor has no model, containers or framework (sklearn, xgboost, ...)") }
            resourcesNode = field(framework, "resources")
        }
        if let r = resourcesNode {
            if let req = field(r, "requests") { container.requests = try resourceList(req) }
            if let lim = field(r, "limits") { container.limits = try resourceList(lim) }
        }
        return PodSpec(name: "", namespace: namespace, labels: ["serving.kserve.io/inferenceservice": name], containers: [container], work: .forever)
    }
}
