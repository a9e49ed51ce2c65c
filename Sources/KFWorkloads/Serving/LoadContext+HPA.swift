import KFConfig

extension LoadContext {
    /// A HorizontalPodAutoscaler manifest (`autoscaling/v2`) as users write it, whose
    /// `scaleTargetRef` must be the Deployment `target`. Metrics: `Resource` cpu (`Utilization` or
    /// `AverageValue`) and `Pods` (requests_per_second, concurrency; `AverageValue`). Defaults as the API
    /// server sets them: minReplicas 1, CPU at 80% when no metric is given, behavior fields filled from
    /// upstream's defaults when a behavior is written.
    func horizontalPodAutoscaler(_ node: ConfigNode, target: String) throws(ConfigError) -> HPASpec {
        let doc = try singleManifest(node, kind: "HorizontalPodAutoscaler", versions: ["autoscaling/v2"])
        let name = try field(doc, "metadata").flatMap { field($0, "name") }?.name() ?? "hpa"
        let spec = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"]).required("spec")
        let m = try spec.mapping(["scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior"])
        let ref = try m.required("scaleTargetRef").mapping(["apiVersion", "kind", "name"])
        _ = try ref.required("kind").oneOf(["Deployment"])
        let refName = try ref.required("name")
        guard try refName.name() == target else {
            throw refName.error("the HPA targets Deployment '\(try refName.name())', but this workload's Deployment is '\(target)'")
        }
        let minReplicas = Int(try m["minReplicas"]?.int(0...100_000) ?? 1)
        let maxNode = try m.required("maxReplicas")
        let maxReplicas = Int(try maxNode.int(1...100_000))
        guard maxReplicas >= minReplicas else { throw maxNode.error("maxReplicas (\(maxReplicas)) is below minReplicas (\(minReplicas))") }
        var metrics: [HPASpec.Metric] = []
        for metric in try m["metrics"]?.list() ?? [] {
            metrics.append(try hpaMetric(metric))
        }
        if metrics.isEmpty { metrics = [.cpuUtilization(80)] }
        let behavior = try m["behavior"].map { (b: ConfigNode) throws(ConfigError) -> HPABehavior in
            let bm = try b.mapping(["scaleUp", "scaleDown"])
            return HPABehavior(scaleUp: try bm["scaleUp"].map { (r: ConfigNode) throws(ConfigError) in try hpaRules(r, over: .defaultUp) } ?? .defaultUp,
                               scaleDown: try bm["scaleDown"].map { (r: ConfigNode) throws(ConfigError) in try hpaRules(r, over: .defaultDown) } ?? .defaultDown)
        }
        return HPASpec(name: name, target: target, minReplicas: minReplicas, maxReplicas: maxReplicas, metrics: metrics, behavior: behavior)
    }

    func hpaMetric(_ node: ConfigNode) throws(ConfigError) -> HPASpec.Metric {
        let m = try node.mapping(["type", "resource", "pods", "object", "external", "containerResource"])
        switch try m.required("type").oneOf(["Resource", "Pods", "Object", "External", "ContainerResource"]) {
        case "Resource":
            let r = try m.required("resource").mapping(["name", "target"])
            let resource = try r.required("name")
            guard try resource.string() == "cpu" else {
                throw resource.error("kfsim models the CPU use of services, not '\(try resource.string())'; accepted: cpu")
            }
            let t = try r.required("target").mapping(["type", "averageUtilization", "averageValue", "value"])
            switch try t.required("type").oneOf(["Utilization", "AverageValue"]) {
            case "Utilization": return .cpuUtilization(Int32(try t.required("averageUtilization").int(1...100_000)))
            default: return .cpuAverageValue(try t.required("averageValue").cpuMilli())
            }
        case "Pods":
            let p = try m.required("pods").mapping(["metric", "target"])
            let metric = try p.required("metric").mapping(["name", "selector"]).required("name")
            let names = HPASpec.PodMetric.allCases.map(\.rawValue)
            guard let kind = HPASpec.PodMetric(rawValue: try metric.string()) else {
                throw metric.error("unknown per-pod metric '\(try metric.string())'; a service reports: \(names.joined(separator: ", "))")
            }
            let t = try p.required("target").mapping(["type", "averageValue"])
            _ = try t.required("type").oneOf(["AverageValue"])
            let value = try t.required("averageValue")
            let milli = try value.cpuMilli()
            guard milli > 0 else { throw value.error("must be positive") }
            return .pods(kind, milli)
        default:
            throw node.error("metrics of type '\(try m.required("type").string())' are not simulated; accepted: Resource (cpu), Pods")
        }
    }

    /// One direction of `behavior`, its unset fields from `defaults`.
    func hpaRules(_ node: ConfigNode, over defaults: HPABehavior.Rules) throws(ConfigError) -> HPABehavior.Rules {
        let m = try node.mapping(["stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance"])
        var rules = defaults
        if let w = m["stabilizationWindowSeconds"] { rules.stabilizationWindow = Double(try w.int(0...3600)) }
        if let s = m["selectPolicy"] { rules.select = HPABehavior.Rules.Select(rawValue: try s.oneOf(HPABehavior.Rules.Select.allCases.map(\.rawValue)))! }
        if let t = m["tolerance"] { throw t.error("per-direction tolerance (alpha in Kubernetes 1.33) is not simulated; kfsim uses the controller's 0.1") }
        if let list = m["policies"] {
            rules.policies = try list.list().map { (p: ConfigNode) throws(ConfigError) -> (type: HPABehavior.Rules.PolicyType, value: Int, period: Double) in
                let pm = try p.mapping(["type", "value", "periodSeconds"])
                return (HPABehavior.Rules.PolicyType(rawValue: try pm.required("type").oneOf(HPABehavior.Rules.PolicyType.allCases.map(\.rawValue)))!,
                        Int(try pm.required("value").int(1...100_000)), Double(try pm.required("periodSeconds").int(1...1800)))
            }
        }
        return rules
    }
}
