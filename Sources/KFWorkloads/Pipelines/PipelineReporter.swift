import KFCluster
import KFControlPlane
import KFEngine

/// The pipeline controllers of a run (a service the reporter reads).
public final class PipelineRecords {
    var controllers: [PipelineController] = []
    init() {}
}

/// What pipelines add to a run's results: `tasks.csv` (one row per step: run, task, template, pod,
/// ready, started, finished, compute seconds, state, retries).
public struct PipelineReporter: RunReporter {
    /// A reporter.
    public init() {}

    public var metricNames: [String] { ["step_io_mean_s", "cache_hit_ratio", "gib_from_store", "gib_prefetched"] }

    public func report(_ sim: Simulation) -> RunReport {
        guard let records = sim.existingService(PipelineRecords.self), !records.controllers.isEmpty else {
            return RunReport(metrics: [.nan, .nan, .nan, .nan])
        }
        var out = Format.csvLine(["run", "task", "template", "pod", "ready_s", "started_s", "finished_s", "io_s", "compute_s",
                                  "cache", "state", "retries", "after"])
        var steps = 0
        var ioTotal = 0.0, ioCount = 0
        for c in records.controllers {
            for run in c.runs {
                for node in run.nodes where node.isContainer {
                    steps += 1
                    let pod = node.pod >= 0 ? sim.cluster.pods[Int(node.pod)] : nil
                    let started = pod?.startedAt ?? -1
                    let finished = node.isTerminal ? node.finished : -1
                    var compute = started >= 0 && finished >= started ? Format.seconds(finished - started) : ""
                    var ioText = ""
                    if node.ioSeconds >= 0 {
                        ioTotal += node.ioSeconds
                        ioCount += 1
                        ioText = Format.number(node.ioSeconds)
                        compute = Format.number(node.computeSeconds)
                    }
                    out += Format.csvLine([run.name, node.name, node.template, pod?.spec.name ?? "", Format.seconds(node.ready),
                                           Format.seconds(started), Format.seconds(finished), ioText, compute, node.cache, node.state.rawValue,
                                           String(max(node.attempts - 1, 0)), run.stepsBefore(node).joined(separator: ";")])
                }
            }
        }
        var report = RunReport(files: [("tasks.csv", out)])
        report.lines.append("pipelines:   \(records.controllers.reduce(0) { $0 + $1.runs.count }) runs, \(steps) steps (tasks.csv)")
        let caches = records.controllers.compactMap(\.dataCache)
        let stepIO: Double = ioCount > 0 ? ioTotal / Double(ioCount) : .nan
        let transfers = sim.existingService(DataTransfers.self)
        report.metrics = [stepIO, .nan, transfers.map { $0.bytesMoved / 1_073_741_824 } ?? .nan, .nan]
        if !caches.isEmpty {
            let local = caches.reduce(0) { $0 + $1.localHits }, peer = caches.reduce(0) { $0 + $1.peerHits }
            let miss = caches.reduce(0) { $0 + $1.misses }, evicted = caches.reduce(0) { $0 + $1.evictions }
            let fromStore = caches.reduce(0.0) { $0 + $1.bytesFromStore }, fromPeers = caches.reduce(0.0) { $0 + $1.bytesFromPeers }
            report.summary.append(("dataCache", .object([
                ("localHits", .int(Int64(local))), ("peerHits", .int(Int64(peer))), ("misses", .int(Int64(miss))),
                ("evictions", .int(Int64(evicted))), ("gibFromStore", .double(fromStore / 1_073_741_824)),
                ("gibFromPeers", .double(fromPeers / 1_073_741_824)),
                ("hitRatio", local + peer + miss > 0 ? .double(Double(local + peer) / Double(local + peer + miss)) : .null),
                ("prefetches", .int(Int64(caches.reduce(0) { $0 + $1.prefetches }))),
                ("gibPrefetched", .double(caches.reduce(0.0) { $0 + $1.bytesPrefetched } / 1_073_741_824)),
            ])))
            report.metrics[1] = local + peer + miss > 0 ? Double(local + peer) / Double(local + peer + miss) : .nan
            report.metrics[2] = fromStore / 1_073_741_824
            report.metrics[3] = caches.reduce(0.0) { $0 + $1.bytesPrefetched } / 1_073_741_824
            report.lines.append("data cache:  \(local) local hits, \(peer) peer hits, \(miss) misses, \(evicted) evictions")
        }
        return report
    }
}
