import KFCluster
import KFControlPlane
import KFEngine

/// What the Cluster Autoscaler adds to a run's results: a `clusterAutoscaler` section in summary.json
/// (node-hours and cost per group and in total, scale-ups and scale-downs with their times, the most
/// nodes at once) and two sweep metrics.
public struct ClusterAutoscalerReporter: RunReporter {
    /// A reporter.
    public init() {}

    public var metricNames: [String] { ["node_hours", "node_cost"] }

    public func report(_ sim: Simulation) -> RunReport {
        guard let ca = sim.existingService(ClusterAutoscalerRecords.self)?.autoscaler else { return RunReport(metrics: [.nan, .nan]) }
        var hours: [String: Double] = [:]
        var events: [(SimTime, Int)] = []
        for l in ca.lifetimes {
            let to = l.to >= 0 ? l.to : sim.now
            hours[l.group ?? "", default: 0] += Clock.seconds(to - l.from) / 3600
            events.append((l.from, 1))
            events.append((to, -1))
        }
        var most = 0, live = 0
        for e in events.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            live += e.1
            most = max(most, live)
        }
        let total = hours.values.reduce(0, +)
        var cost = 0.0
        for (group, h) in hours { cost += h * (ca.spec.costPerHour[group] ?? 0) }
        var report = RunReport()
        report.summary.append(("clusterAutoscaler", .object([
            ("nodeHours", .double(total)),
            ("nodeHoursByGroup", .object(hours.sorted { $0.key < $1.key }.map { ($0.key.isEmpty ? "(no group)" : $0.key, .double($0.value)) })),
            ("cost", .double(cost)),
            ("mostNodes", .int(Int64(most))),
            ("failedProvisions", .int(Int64(ca.failedProvisions))),
            ("scaleUps", .array(ca.scaleUps.map { .array([.double(Clock.seconds($0.time)), .string($0.group), .int(Int64($0.nodes))]) })),
            ("scaleDowns", .array(ca.scaleDowns.map { .array([.double(Clock.seconds($0.time)), .string($0.node)]) })),
        ])))
        report.lines.append("autoscaler:  \(ca.scaleUps.reduce(0) { $0 + $1.nodes }) nodes added in \(ca.scaleUps.count) scale-ups, "
                            + "\(ca.scaleDowns.count) removed; \(Format.number(total)) node-hours, cost \(Format.number(cost))")
        report.metrics = [total, cost]
        return report
    }
}
