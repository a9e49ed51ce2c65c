import Foundation
import KFControlPlane
import KFEngine

/// What training adds to a run's results: `training.csv` and `training-timeline.csv` (when the run has
/// training jobs), the `training` section of `summary.json`, four sweep metrics and a summary line.
public struct TrainingReporter: RunReporter {
    /// A reporter.
    public init() {}

    public var metricNames: [String] { ["deadlocked_jobs", "starved_jobs", "rescales", "cross_node_gib"] }

    public func report(_ sim: Simulation) -> RunReport {
        let runtime = sim.existingService(TrainingRuntime.self)
        let rows = runtime?.report(sim) ?? []
        var deadlocked = 0, starved = 0, rescales = 0, bytes = 0.0
        for t in rows {
            if t.state == "deadlocked" { deadlocked += 1 }
            if t.state == "starved" || t.state == "waiting" { starved += 1 }
            rescales += t.rescales
            bytes += t.crossNodeBytes
        }
        let gib = bytes / 1_073_741_824
        let deadlocks = rows.filter { $0.state == "deadlocked" }.prefix(20)
        var report = RunReport(
            summary: [("training", .object([
                ("deadlockedJobs", .int(Int64(deadlocked))), ("starvedJobs", .int(Int64(starved))), ("rescales", .int(Int64(rescales))),
                ("crossNodeGiB", .double(gib)),
                ("deadlocks", .array(deadlocks.map { .object([("job", .string($0.job)), ("detail", .string($0.detail))]) })),
            ]))],
            // A run without training jobs has no training metrics (empty cells, not zeros).
            metrics: rows.isEmpty ? [.nan, .nan, .nan, .nan] : [Double(deadlocked), Double(starved), Double(rescales), gib])
        if deadlocked + starved + rescales > 0 || bytes > 0 {
            report.lines.append("training:    \(deadlocked) deadlocked, \(starved) starved, \(rescales) rescales, \(String(format: "%.1f", gib)) GiB across nodes")
            for d in deadlocks.prefix(5) { report.lines.append("  deadlock: \(d.job) \(d.detail)") }
        }
        if let runtime, !rows.isEmpty {
            report.files = [("training.csv", Self.trainingCSV(rows)), ("training-timeline.csv", Self.timelineCSV(runtime))]
            report.counters = Self.counters(runtime)
        }
        return report
    }

    /// `training.csv`: one row per TFJob.
    static func trainingCSV(_ rows: [TrainingRow]) -> String {
        var out = Format.csvLine(["job", "model", "ps", "workers_initial", "workers_final", "rescales", "restarts", "iterations", "submitted_s",
                                  "training_started_s", "finished_s", "mean_iterations_per_s", "cross_node_gib", "state", "detail"])
        for t in rows {
            out += Format.csvLine([t.job, t.model, String(t.ps), String(t.workersInitial), String(t.workersFinal), String(t.rescales),
                                   String(t.restarts),
                                   Format.number(t.iterations), Format.seconds(t.submitted), Format.seconds(t.trainingStarted),
                                   Format.seconds(t.finished), Format.number(t.meanIterationsPerSecond),
                                   Format.number(t.crossNodeBytes / 1_073_741_824), t.state, t.detail])
        }
        return out
    }

    /// Per job, its iterations per second and its workers (a rescale is a step), for the timeline.
    static func counters(_ runtime: TrainingRuntime) -> [(name: String, points: [(time: SimTime, value: Double)])] {
        var rate = [[(time: SimTime, value: Double)]](repeating: [], count: runtime.jobs.count)
        var workers = rate
        for e in runtime.timeline {
            rate[e.job].append((e.time, e.rate))
            if workers[e.job].last?.value != Double(e.workers) { workers[e.job].append((e.time, Double(e.workers))) }
        }
        return runtime.jobs.indices.flatMap { j in
            [("\(runtime.jobs[j].spec.name) iterations/s", rate[j]), ("\(runtime.jobs[j].spec.name) workers", workers[j])]
        }
    }

    /// `training-timeline.csv`: every change of a job's iterations per second (and worker count).
    static func timelineCSV(_ runtime: TrainingRuntime) -> String {
        var out = Format.csvLine(["time_s", "job", "iterations_per_s", "workers"])
        for e in runtime.timeline {
            out += Format.csvLine([Format.seconds(e.time), runtime.jobs[e.job].spec.name, Format.number(e.rate), String(e.workers)])
        }
        return out
    }
}
