import KFCluster
import KFConfig
import KFControlPlane
import KFEngine

/// Readers of the values many workload kinds share.
extension LoadContext {
    /// `arrivals`: `{count, start, interArrival}`.
    public func arrivalProcess(_ node: ConfigNode) throws(ConfigError) -> ArrivalProcess {
        let m = try node.mapping(["count", "start", "interArrival"])
        return ArrivalProcess(count: Int(try m["count"]?.int(0...1_000_000) ?? 1), start: try m["start"]?.seconds(minimum: 0) ?? 0,
                              interArrival: try m["interArrival"].map { (d: ConfigNode) throws(ConfigError) in try distribution(d) })
    }

    /// `retry`: `{initialSeconds, maxSeconds}`.
    public func retryBackoff(_ node: ConfigNode) throws(ConfigError) -> RetryBackoff {
        let m = try node.mapping(["initialSeconds", "maxSeconds"])
        let initial = try m.required("initialSeconds").double(0.000001...1e6)
        let maxNode = try m.required("maxSeconds")
        let maxSeconds = try maxNode.double(0.000001...1e6)
        guard maxSeconds >= initial else { throw maxNode.error("must be at least initialSeconds (\(initial))") }
        return RetryBackoff(initialSeconds: initial, maxSeconds: maxSeconds)
    }

    /// `work`: `{duration: DIST}`, `{cpu: DIST, threads: N}` (core-seconds) or `{forever: true}`.
    public func workSpec(_ node: ConfigNode) throws(ConfigError) -> WorkSpec {
        let m = try node.mapping(["duration", "cpu", "threads", "forever"])
        let given = ["duration", "cpu", "forever"].filter { m.has($0) }
        guard given.count == 1 else { throw node.error("give exactly one of duration, cpu, forever") }
        if let d = m["duration"] {
            if let t = m["threads"] { throw t.error("threads applies to cpu work only") }
            return .duration(try distribution(d))
        }
        if let c = m["cpu"] { return .cpu(try distribution(c), threads: try m["threads"]?.double(0.001...1e6)) }
        guard try m.required("forever").bool() else { throw m["forever"]!.error("forever: false means nothing; use duration or cpu") }
        return .forever
    }
}

extension WorkloadEntry {
    /// The entry's `arrivals` (one job at 0 when absent).
    public func arrivals() throws(ConfigError) -> ArrivalProcess {
        try fields["arrivals"].map { (a: ConfigNode) throws(ConfigError) in try context.arrivalProcess(a) } ?? ArrivalProcess()
    }

    /// The entry's `retry` backoff, if given.
    public func retry() throws(ConfigError) -> RetryBackoff? {
        try fields["retry"].map { (r: ConfigNode) throws(ConfigError) in try context.retryBackoff(r) }
    }

    /// The entry's `template`, or the pod template of its `manifest` (a v1 `kind` manifest, or for a
    /// Pod the pod itself), read as a pod in its namespace.
    public func templateOrManifest(kind: String) throws(ConfigError) -> (path: String, spec: PodSpec) {
        guard let manifest = fields["manifest"] else { return try template() }
        if let t = fields["template"] { throw t.error("give template or manifest, not both") }
        let doc = try context.singleManifest(manifest, kind: kind, versions: ["v1"])
        return (doc.path, try context.podTemplate(doc, namespace: namespace, manifest: true))
    }

    /// The entry's `template`, read as a pod in its namespace.
    public func template() throws(ConfigError) -> (path: String, spec: PodSpec) {
        let node = try fields.required("template")
        return (node.path, try context.podTemplate(node, namespace: namespace))
    }
}
