import KFCluster
import KFControlPlane
import KFEngine

/// What services add to a run's results: a `services` section in summary.json (per service: requests
/// by outcome, throughput, latency mean and percentiles, mean wait, replicas created and the
/// autoscaler's decisions), `requests.csv` when requests are recorded, and sweep metrics.
public struct ServiceReporter: RunReporter {
    /// A reporter.
    public init() {}

    public var metricNames: [String] {
        ["requests_served", "requests_dropped", "latency_mean_s", "latency_p95_s", "latency_p99_s", "requests_within_slo", "within_slo_per_node_hour"]
    }

    public func report(_ sim: Simulation) -> RunReport {
        guard let records = sim.existingService(ServiceRecords.self), !records.services.isEmpty else {
            return RunReport(metrics: [.nan, .nan, .nan, .nan, .nan, .nan, .nan])
        }
        var report = RunReport()
        var entries: [(String, JSONValue)] = []
        var requests = Format.csvLine(["service", "arrived_s", "started_s", "finished_s", "latency_s", "replica"])
        var recorded = 0
        var all = LatencyHistogram(), served = 0, dropped = 0, onTime = 0, anySLO = false
        for s in records.services {
            let st = s.stats
            let span = max(s.spec.traffic.end - s.spec.traffic.start, 1e-9)
            func opt(_ v: Double?) -> JSONValue { v.map { .double($0) } ?? .null }
            var fields: [(String, JSONValue)] = [
                ("arrived", .int(Int64(st.arrived))), ("served", .int(Int64(st.served))), ("dropped", .int(Int64(st.dropped))),
                ("timedOut", .int(Int64(st.timedOut))), ("failed", .int(Int64(st.failed))),
                ("throughputPerSecond", .double(Double(st.served) / span)),
                ("latencySeconds", .object([("mean", opt(st.latency.mean)), ("p50", opt(st.latency.quantile(0.5))), ("p95", opt(st.latency.quantile(0.95))),
                                            ("p99", opt(st.latency.quantile(0.99))), ("max", st.latency.count > 0 ? .double(st.latency.maximum) : .null)])),
                ("waitMeanSeconds", opt(st.meanWait)),
                ("withinSLO", s.spec.slo == nil ? .null : .int(Int64(st.withinSLO))),
                // Requests present on average over the traffic's window (Little: throughput x latency).
                ("concurrencyMean", .double(s.concurrencySeconds / span)),
                ("replicasCreated", .int(Int64(s.replicas.count))),
                ("rollouts", .array(s.rollouts.map { .array([.double(Clock.seconds($0.start)), $0.end >= 0 ? .double(Clock.seconds($0.end)) : .null]) })),
            ]
            if let a = s.autoscaler {
                fields.append(("autoscaler", .string(a is KPAController ? "KPA" : "HPA")))
                fields.append(("autoscalerDecisions", .array(a.decisions.map { .array([.double(Clock.seconds($0.time)), .int(Int64($0.replicas))]) })))
            }
            entries.append((s.name, .object(fields)))
            for row in st.recorded {
                requests += Format.csvLine([s.name, Format.seconds(row.arrived), Format.seconds(row.started), Format.seconds(row.finished),
                                            Format.seconds(row.finished - row.arrived), "\(s.name)-\(row.replica)"])
                recorded += 1
            }
            served += st.served
            if s.spec.slo != nil { onTime += st.withinSLO; anySLO = true }
            dropped += st.dropped + st.timedOut
            all.merge(st.latency)
            report.lines.append("service \(s.name): \(st.served) served, \(st.dropped) dropped, \(st.timedOut) timed out; latency mean "
                                + (st.latency.mean.map { Format.number($0) } ?? "-") + " s, p99 " + (st.latency.quantile(0.99).map { Format.number($0) } ?? "-") + " s")
        }
        report.summary.append(("services", .object(entries)))
        if recorded > 0 { report.files.append(("requests.csv", requests)) }
        let hours = Self.nodeHours(sim)
        report.summary.append(("nodeHours", .double(hours)))
        report.metrics = [Double(served), Double(dropped), all.mean ?? .nan, all.quantile(0.95) ?? .nan, all.quantile(0.99) ?? .nan,
                          anySLO ? Double(onTime) : .nan, anySLO && hours > 0 ? Double(onTime) / hours : .nan]
        return report
    }

    /// Node-hours of the run: the Cluster Autoscaler's record of nodes joining and leaving, else every
    /// node from the start to the end.
    static func nodeHours(_ sim: Simulation) -> Double {
        if let ca = sim.existingService(ClusterAutoscalerRecords.self)?.autoscaler {
            return ca.lifetimes.reduce(0) { $0 + Clock.seconds(($1.to >= 0 ? $1.to : sim.now) - $1.from) } / 3600
        }
        return Double(sim.cluster.liveNodes.count) * Clock.seconds(sim.now) / 3600
    }
}
