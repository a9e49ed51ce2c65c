import Foundation
import KFAnalysis
import KFEngine
import KFControlPlane
import KFWorkloads

/// Writes a run's files: `pods.csv`, `jobs.csv`, `timeseries.csv`, `summary.json`, each atomically.
public enum OutputWriter {
    /// The files a run writes.
    public static let files = ["pods.csv", "jobs.csv", "timeseries.csv", "summary.json"]

    /// Replaces `directory` as a whole with every file of `result` (see `OutputFolder`); returns the
    /// paths written.
    @discardableResult
    public static func write(_ result: RunResult, to directory: String) throws(OutputFolder.Problem) -> [String] {
        var files: [(name: String, contents: String)] = [
            ("timeseries.csv", timeseriesCSV(result)), ("summary.json", summaryJSON(result).rendered() + "\n"),
        ]
        for report in result.reports { files += report.files.map { ($0.name, $0.contents) } }
        if let nodes = result.nodeSeries { files.append(("nodes.csv", nodesCSV(nodes))) }
        // The large ones are written row by row through a buffer, never held as one string.
        var streamed: [(name: String, write: (BufferedFileWriter) -> Void)] = [
            ("pods.csv", { podsCSV(result, into: $0) }), ("jobs.csv", { jobsCSV(result, into: $0) }),
        ]
        if let events = result.eventLog { streamed.append(("events.csv", { eventsCSV(events, into: $0) })) }
        let written = try OutputFolder.replace(directory, kind: "run", files: files, streamed: streamed)
        // Listed in the usual order: pods, jobs, time series, summary, the reporters' files, events, nodes.
        let order = ["pods.csv", "jobs.csv"] + files.map(\.name).filter { $0 != "nodes.csv" } + ["events.csv", "nodes.csv"]
        return written.sorted { a, b in
            (order.firstIndex(of: (a as NSString).lastPathComponent) ?? order.count) < (order.firstIndex(of: (b as NSString).lastPathComponent) ?? order.count)
        }
    }

    /// `pods.csv`.
    public static func podsCSV(_ r: RunResult) -> String {
        let writer = BufferedFileWriter()
        podsCSV(r, into: writer)
        return writer.text
    }

    /// `pods.csv`, row by row.
    static func podsCSV(_ r: RunResult, into writer: BufferedFileWriter) {
        writer.write(Format.csvLine(["pod", "namespace", "owner", "node", "created_s", "scheduled_s", "started_s", "finished_s",
                                     "phase", "attempts", "reason", "cpu_request_m", "memory_request_bytes", "gpu_request",
                                     "first_failure", "last_failure"]))
        for p in r.pods {
            writer.line { csv in
                csv.field(p.pod)
                csv.field(p.namespace)
                csv.field(p.owner)
                csv.field(p.node)
                csv.seconds(p.created)
                csv.seconds(p.scheduled)
                csv.seconds(p.started)
                csv.seconds(p.finished)
                csv.field(p.phase)
                csv.integer(p.attempts)
                csv.field(p.reason)
                csv.integer(p.requests.cpu)
                csv.integer(p.requests.memory)
                csv.integer(p.requests.gpu)
                csv.field(p.firstFailure)
                csv.field(p.lastFailure)
            }
        }
    }

    /// `nodes.csv`: at each time-series sample, each live node's requests, pods and CPU used.
    public static func nodesCSV(_ rows: [(time: SimTime, node: String, usage: NodeSample)]) -> String {
        var out = Format.csvLine(["time_s", "node", "cpu_requested_m", "memory_requested_bytes", "gpu_requested", "pods", "cpu_used_cores"])
        out.reserveCapacity(rows.count * 64)
        for r in rows {
            out += Format.csvLine([Format.seconds(r.time), r.node, String(r.usage.requested.cpu), String(r.usage.requested.memory),
                                   String(r.usage.requested.gpu), String(r.usage.pods), Format.number(r.usage.cpuUsed)])
        }
        return out
    }

    /// `events.csv`: every scheduling attempt and refused creation, in order.
    public static func eventsCSV(_ events: [LoggedEvent]) -> String {
        let writer = BufferedFileWriter()
        eventsCSV(events, into: writer)
        return writer.text
    }

    /// `events.csv`, row by row.
    static func eventsCSV(_ events: [LoggedEvent], into writer: BufferedFileWriter) {
        writer.write(Format.csvLine(["time_s", "kind", "pod", "namespace", "outcome", "node", "reason", "rejected_by", "nodes_examined",
                                     "chosen_scores", "runner_up", "runner_up_scores"]))
        for e in events {
            writer.line { csv in
                csv.seconds(e.time)
                for text in [e.kind, e.pod, e.namespace, e.outcome, e.node, e.reason, e.rejectedBy] { csv.field(text) }
                csv.integer(e.examined)
                for text in [e.chosenScores, e.runnerUp, e.runnerUpScores] { csv.field(text) }
            }
        }
    }

    /// `jobs.csv`.
    public static func jobsCSV(_ r: RunResult) -> String {
        let writer = BufferedFileWriter()
        jobsCSV(r, into: writer)
        return writer.text
    }

    /// `jobs.csv`, row by row.
    static func jobsCSV(_ r: RunResult, into writer: BufferedFileWriter) {
        writer.write(Format.csvLine(["job", "kind", "namespace", "submitted_s", "started_s", "finished_s", "jct_s", "queueing_s",
                                     "pods", "succeeded"]))
        for j in r.jobs {
            writer.line { csv in
                csv.field(j.job)
                csv.field(j.kind)
                csv.field(j.namespace)
                csv.seconds(j.submitted)
                csv.seconds(j.started)
                csv.seconds(j.finished)
                csv.seconds(j.jct)
                csv.seconds(j.queueing)
                csv.integer(j.pods)
                csv.field(j.finished < 0 ? "" : (j.succeeded ? "true" : "false"))
            }
        }
    }

    /// `timeseries.csv`.
    public static func timeseriesCSV(_ r: RunResult) -> String {
        let writer = BufferedFileWriter()
        writer.write(Format.csvLine(["time_s", "cpu_allocated", "cpu_used", "memory_allocated", "memory_used", "gpu_allocated",
                                     "gpu_used", "pending_pods", "starting_pods", "running_pods", "waiting_creations"] + r.extraSeriesNames))
        for s in r.samples {
            // Memory is used as allocated: kfsim models no usage below requests for it. GPUs are busy for their
            // pods' duty cycles (a training worker's compute share).
            writer.line { csv in
                csv.seconds(s.time)
                for v in [s.cpuAllocated, s.cpuUsed, s.memoryAllocated, s.memoryAllocated, s.gpuAllocated, s.gpuUsed] { csv.metric(v) }
                for n in [s.pendingPods, s.startingPods, s.runningPods, s.waitingCreations] { csv.integer(n) }
                for v in s.extra { csv.metric(v) }
            }
        }
        return writer.text
    }

    /// `summary.json`.
    public static func summaryJSON(_ r: RunResult) -> JSONValue {
        let s = r.summary
        func stats(_ x: SampleSummary) -> JSONValue {
            .object([("count", .int(Int64(x.count))), ("mean", .metric(x.mean)), ("p50", .metric(x.p50)), ("p95", .metric(x.p95)),
                     ("p99", .metric(x.p99)), ("max", .metric(x.max))])
        }
        let extra: [(String, JSONValue)] = r.reports.flatMap { $0.summary.map { ($0.key, $0.value) } }
        return .object([
            ("kfsim", .string(kfsimVersion)),
            ("scenario", .string(r.scenario)),
            ("scenarioHash", .string(r.scenarioHash)),
            ("seed", .int(Int64(bitPattern: r.seed))),
            ("stopReason", .string(r.stopReason.rawValue)),
            ("simulatedSeconds", .number(Format.seconds(r.endTime))),
            ("events", .int(Int64(r.events))),
            ("jobs", .object([("total", .int(Int64(s.jobsTotal))), ("succeeded", .int(Int64(s.jobsSucceeded))),
                              ("failed", .int(Int64(s.jobsFailed))), ("unfinished", .int(Int64(s.jobsUnfinished)))])),
            ("jctSeconds", stats(s.jct)),
            ("jctCensoredMeanSeconds", .metric(s.jctCensoredMean)),
            ("failedJobSeconds", stats(s.failedJobTime)),
            ("queueingSeconds", stats(s.queueing)),
            ("makespanSeconds", .metric(s.makespan)),
            ("utilization", .object([
                ("cpu", .object([("allocated", .metric(s.cpuAllocated)), ("used", .metric(s.cpuUsed))])),
                ("memory", .object([("allocated", .metric(s.memoryAllocated)), ("used", .metric(s.memoryAllocated))])),
                ("gpu", .object([("allocated", .metric(s.gpuAllocated)), ("used", .metric(s.gpuUsed))])),
            ])),
            ("pods", .object(s.podPhases.map { ($0.0, .int(Int64($0.1))) })),
        ] + extra + [
            ("nothingRan", s.nothingRan.map { .string($0) } ?? .null),
            ("warnings", .array(r.warnings.map { .string($0) })),
            ("pendingAtEnd", .array(s.pendingAtEnd.map { .object([("pod", .string($0.pod)), ("reason", .string($0.reason))]) })),
        ])
    }
}
