import KFCluster
import KFConfig
import KFControlPlane
import KFEngine

extension WorkloadKind {
    /// `kind: Deployment`: a service under request traffic. The Deployment comes from `manifest` (an
    /// `apps/v1` Deployment as written: replicas, pod template, the first readiness probe's initial
    /// delay) or from `template` and `replicas`; what the manifest cannot say comes from the entry:
    /// `traffic`, `serviceTime`, `concurrency`, `balancer`, `queue`, `readinessDelay`, `recordRequests`,
    /// and `autoscaler` (a HorizontalPodAutoscaler manifest whose target is this Deployment).
    public static let deployment = WorkloadKind(name: "Deployment", keys: [
        "manifest", "template", "replicas", "traffic", "serviceTime", "concurrency", "balancer", "queue", "readinessDelay",
        "recordRequests", "autoscaler", "tick", "slo", "rollouts",
    ], reporter: ServiceReporter()) { (e: WorkloadEntry) throws(ConfigError) in
        let c = e.context, m = e.fields
        var name = e.name
        let template: (path: String, spec: PodSpec)
        var replicas = 1
        var readiness = Distribution.constant(0)
        var strategy = RolloutStrategy.rollingUpdate(maxSurge: .percent(25), maxUnavailable: .percent(25))
        if let manifest = m["manifest"] {
            for key in ["template", "replicas"] where m.has(key) {
                throw m[key]!.error("'\(key)' comes from the Deployment manifest; give it there, not both")
            }
            let doc = try c.singleManifest(manifest, kind: "Deployment", versions: ["apps/v1"])
            if let n = c.field(doc, "metadata").flatMap({ c.field($0, "name") }) { name = try n.name() }
            let spec = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"]).required("spec")
            let sm = try spec.mapping(["replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit",
                                       "progressDeadlineSeconds", "paused"])
            let t = try sm.required("template")
            template = (t.path, try c.podTemplate(t, namespace: e.namespace, manifest: true))
            replicas = Int(try sm["replicas"]?.int(0...100_000) ?? 1)
            if let s = sm["strategy"] { strategy = try c.rolloutStrategy(s) }
            // The readiness probe's initial delay: a replica takes requests that long after it starts.
            if let podSpec = c.field(t, "spec"), let containers = c.field(podSpec, "containers") {
                for container in try containers.list() {
                    if let probe = c.field(container, "readinessProbe") {
                        readiness = .constant(try c.field(probe, "initialDelaySeconds")?.double(0...86_400) ?? 0)
                        break
                    }
                }
            }
        } else {
            template = try e.template()
            replicas = Int(try m["replicas"]?.int(0...100_000) ?? 1)
        }
        var (spec, tickSeconds) = try e.serviceSpec(name: name, template: template.spec, replicas: replicas, readiness: readiness)
        spec.strategy = strategy
        spec.rolloutTimes = try (m["rollouts"]?.list() ?? []).map { (t: ConfigNode) throws(ConfigError) in try t.seconds(minimum: 0) }
        let autoscaler = try m["autoscaler"].map { (a: ConfigNode) throws(ConfigError) in try c.horizontalPodAutoscaler(a, target: name) }
        let finalSpec = spec, tick = tickSeconds
        return LoadedWorkload(templates: [template]) {
            let service = ServiceController(spec: finalSpec, tick: tick)
            if let autoscaler { service.autoscaler = HPAController(spec: autoscaler, target: service) }
            return service
        }
    }
}

extension WorkloadEntry {
    /// The serving keys every service kind shares: `traffic`, `serviceTime`, `concurrency`, `balancer`,
    /// `queue: {at, limit, timeout}`, `readinessDelay`, `recordRequests`, `tick`.
    func serviceSpec(name: String, template: PodSpec, replicas: Int, readiness: Distribution,
                     concurrency: Int? = nil) throws(ConfigError) -> (ServiceSpec, tick: Double) {
        let c = context, m = fields
        var readiness = readiness
        if let r = m["readinessDelay"] { readiness = try c.distribution(r) }
        let traffic = try c.requestTraffic(try m.required("traffic"))
        var spec = ServiceSpec(name: name, template: template, replicas: replicas, readinessDelay: readiness,
                               serviceTime: try c.distribution(try m.required("serviceTime")), traffic: traffic)
        if let n = m["concurrency"] {
            if concurrency != nil { throw n.error("the concurrency comes from the manifest (containerConcurrency); give it there, not both") }
            spec.concurrency = Int(try n.int(1...100_000))
        } else {
            spec.concurrency = concurrency ?? 1
        }
        if let b = m["balancer"] { spec.balancer = ServiceSpec.Balancer(rawValue: try b.oneOf(ServiceSpec.Balancer.allCases.map(\.rawValue)))! }
        if let q = m["queue"] {
            let qm = try q.mapping(["at", "limit", "timeout"])
            if let at = qm["at"] { spec.queueAt = ServiceSpec.QueueAt(rawValue: try at.oneOf(ServiceSpec.QueueAt.allCases.map(\.rawValue)))! }
            if let l = qm["limit"] { spec.queueLimit = Int(try l.int(0...100_000_000)) }
            spec.timeout = try qm["timeout"]?.seconds(minimum: 0.000001)
        }
        spec.recordEvery = Int(try m["recordRequests"]?.int(0...1_000_000_000) ?? 0)
        spec.slo = try m["slo"]?.seconds(minimum: 0.000001)
        return (spec, try m["tick"]?.seconds(minimum: 0.001) ?? 1)
    }
}

extension LoadContext {
    /// A Deployment's `strategy`: `{type: RollingUpdate, rollingUpdate: {maxSurge, maxUnavailable}}`
    /// (counts or percentages; 25% each by default) or `{type: Recreate}`.
    func rolloutStrategy(_ node: ConfigNode) throws(ConfigError) -> RolloutStrategy {
        let m = try node.mapping(["type", "rollingUpdate"])
        if try m["type"]?.oneOf(["RollingUpdate", "Recreate"]) == "Recreate" {
            if let r = m["rollingUpdate"] { throw r.error("rollingUpdate applies to type RollingUpdate only") }
            return .recreate
        }
        func amount(_ n: ConfigNode?) throws(ConfigError) -> RolloutStrategy.Amount {
            guard let n else { return .percent(25) }
            let text = try n.string()
            if text.hasSuffix("%"), let p = Int(text.dropLast()), (0...100).contains(p) { return .percent(p) }
            return .count(Int(try n.int(0...100_000)))
        }
        let r = try m["rollingUpdate"]?.mapping(["maxSurge", "maxUnavailable"])
        return .rollingUpdate(maxSurge: try amount(r?["maxSurge"]), maxUnavailable: try amount(r?["maxUnavailable"]))
    }

    /// `traffic: {rate | rates | ratesFile, daily, bursts, start, duration}`: requests per second, a
    /// piecewise rate (`[[start, rate], ...]` or a CSV file of `time_s,rate` rows), 24 hourly factors,
    /// bursts `{start, duration, factor}`, from `start` for `duration`.
    func requestTraffic(_ node: ConfigNode) throws(ConfigError) -> RequestTraffic {
        let m = try node.mapping(["rate", "rates", "ratesFile", "daily", "bursts", "start", "duration"])
        let given = ["rate", "rates", "ratesFile"].filter { m.has($0) }
        guard given.count == 1 else { throw node.error("give exactly one of rate, rates, ratesFile") }
        var pieces: [(start: Double, rate: Double)] = []
        if let r = m["rate"] { pieces = [(0, try r.double(0...1e7))] }
        if let list = m["rates"] {
            for p in try list.list() {
                let pair = try p.list()
                guard pair.count == 2 else { throw p.error("a rate piece is [start, requests per second]") }
                pieces.append((try pair[0].seconds(minimum: 0), try pair[1].double(0...1e7)))
            }
        }
        if let file = m["ratesFile"] { pieces = try ratePieces(file) }
        guard !pieces.isEmpty else { throw node.error("the traffic has no rate") }
        for (a, b) in zip(pieces, pieces.dropFirst()) where b.start <= a.start {
            throw node.error("rate pieces must start at increasing times (\(a.start) then \(b.start))")
        }
        var daily: [Double]?
        if let d = m["daily"] {
            daily = try d.list().map { (x: ConfigNode) throws(ConfigError) in try x.double(0...1e6) }
            guard daily!.count == 24 else { throw d.error("daily needs 24 hourly factors, got \(daily!.count)") }
        }
        let bursts = try (m["bursts"]?.list() ?? []).map { (b: ConfigNode) throws(ConfigError) -> (start: Double, duration: Double, factor: Double) in
            let bm = try b.mapping(["start", "duration", "factor"])
            return (try bm.required("start").seconds(minimum: 0), try bm.required("duration").seconds(minimum: 0), try bm.required("factor").double(0...1e6))
        }
        let start = try m["start"]?.seconds(minimum: 0) ?? 0
        let duration = try m.required("duration").seconds(minimum: 0.000001)
        guard start + duration <= InputBounds.seconds else {
            throw node.error("the traffic ends after \(InputBounds.seconds) s, beyond what a run simulates")
        }
        let traffic = RequestTraffic(pieces: pieces, daily: daily, bursts: bursts, start: start, end: start + duration)
        // Every request is simulated: more than a billion would not finish in reasonable time.
        guard traffic.expectedRequests <= 2e8 else {
            throw node.error("the traffic brings \(Int(traffic.expectedRequests)) requests on average; kfsim simulates at most 2e8 per service (a day at 2,300 per second)")
        }
        return traffic
    }

    /// Rate pieces from a CSV file of `time_s,rate` rows (a header row is skipped).
    func ratePieces(_ node: ConfigNode) throws(ConfigError) -> [(start: Double, rate: Double)] {
        let path = resolve(try node.name())
        let text: String
        do { text = try InputFile.read(path, maxBytes: InputFile.maxTraceBytes) } catch { throw node.error("\(path): \(error.message)") }
        var pieces: [(start: Double, rate: Double)] = []
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let cells = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.isEmpty || cells.allSatisfy(\.isEmpty) { continue }
            guard cells.count == 2, let t = Double(cells[0]), let r = Double(cells[1]), t.isFinite, r.isFinite, t >= 0, r >= 0, r <= 1e7 else {
                if k == 0 { continue }  // header
                throw ConfigError(file: path, line: k + 1, column: 1, path: "ratesFile", message: "expected 'time_s,rate' with numbers, got '\(line)'")
            }
            pieces.append((t, r))
        }
        return pieces
    }
}
