import KFAnalysis
import KFEngine
import KFControlPlane
import KFScenario
import KFWorkloads

/// The metrics of one run (MODEL §9).
///
/// A metric without data is nil (an empty CSV cell, `null` in JSON), never 0. Jobs left unfinished
/// are censored at the stop time, not dropped: `jct` covers succeeded jobs, `jctCensoredMean` counts
/// unfinished ones at the stop time too, failed jobs are summarised apart.
public struct Summary: Sendable {
    /// Job counts.
    public var jobsTotal = 0, jobsSucceeded = 0, jobsFailed = 0, jobsUnfinished = 0
    /// JCT of succeeded jobs, seconds.
    public var jct: SampleSummary
    /// Mean JCT with unfinished jobs counted at the stop time (a lower bound of their true JCT), over
    /// succeeded and unfinished jobs; nil when there are none.
    public var jctCensoredMean: Double?
    /// Time from submission to failure of failed jobs, seconds.
    public var failedJobTime: SampleSummary
    /// Queueing delay of started jobs, seconds.
    public var queueing: SampleSummary
    /// Last completion - first submission, seconds (nil when nothing finished).
    public var makespan: Double?
    /// Time-weighted utilisation over [first submission, last completion] (nil without data).
    public var cpuAllocated, cpuUsed, memoryAllocated, gpuAllocated: Double?
    /// GPUs busy (each running pod's GPUs times its duty cycle: a training worker's compute share) over
    /// GPU capacity, time-weighted like the others.
    public var gpuUsed: Double?
    /// Pod counts by final phase, deleted and evicted pods apart (`NotCreated` included).
    public var podPhases: [(String, Int)]
    /// Pods pending at the end, with why (at most 20 listed).
    public var pendingAtEnd: [(pod: String, reason: String)]
    /// Pods that ever started.
    public var podsStarted: Int
    /// Metrics the workload kinds' reporters added, in `Summary.extraMetricNames` order (NaN: no data).
    public var extraMetrics: [Double]

    /// Computes the metrics; `stopTime` is when the run stopped (unfinished jobs are censored there).
    public init(jobs: [JobRow], pods: PodRows, utilization: UtilizationIntegral, stopTime: SimTime, extraMetrics: [Double] = []) {
        self.extraMetrics = extraMetrics
        jobsTotal = jobs.count
        var jcts: [Double] = [], failed: [Double] = [], censored: [Double] = [], waits: [Double] = []
        var first: SimTime = .max, last: SimTime = -1
        for j in jobs {
            first = min(first, j.submitted)
            if j.finished >= 0 {
                if j.succeeded {
                    jobsSucceeded += 1
                    jcts.append(Clock.seconds(j.jct))
                } else {
                    jobsFailed += 1
                    failed.append(Clock.seconds(j.jct))
                }
                last = max(last, j.finished)
            } else {
                jobsUnfinished += 1
                censored.append(Clock.seconds(max(stopTime - j.submitted, 0)))
            }
            if j.started >= 0 { waits.append(Clock.seconds(j.queueing)) }
        }
        jct = SampleSummary(jcts)
        jctCensoredMean = censored.isEmpty ? jct.mean : SampleSummary(jcts + censored).mean
        failedJobTime = SampleSummary(failed)
        queueing = SampleSummary(waits)
        makespan = last >= 0 && first != .max ? Clock.seconds(last - first) : nil
        let u = utilization.fractions
        cpuAllocated = u.cpuAllocated
        cpuUsed = u.cpuUsed
        memoryAllocated = u.memoryAllocated
        gpuAllocated = u.gpuAllocated
        gpuUsed = u.gpuUsed
        let order = ["Succeeded", "Failed", "Deleted", "Evicted", "Running", "Starting", "Pending", "NotCreated"]
        // One pass over the pods (a row is made per read).
        var counts = [Int](repeating: 0, count: order.count)
        var pending: [(pod: String, reason: String)] = [], started = 0
        func count(_ phase: String, _ didStart: Bool, _ row: () -> PodRow) {
            if let k = order.firstIndex(of: phase) { counts[k] += 1 }
            if pending.count < 20 && (phase == "Pending" || phase == "NotCreated") {
                let r = row()
                pending.append((r.pod, r.reason))
            }
            if didStart { started += 1 }
        }
        pods.forEachPhase(count)
        podPhases = zip(order, counts).map { ($0, $1) }
        pendingAtEnd = pending
        podsStarted = started
    }

    /// Why the run is void, when nothing could run (no pod ever started although work was asked for);
    /// nil otherwise.
    public var nothingRan: String? {
        let asked = podPhases.reduce(0) { $0 + $1.1 }
        guard podsStarted == 0, asked > 0 || jobsTotal > 0 else { return nil }
        var why = asked > 0 ? "nothing ran: none of \(asked) pods of \(jobsTotal) jobs ever started"
            : "nothing ran: no pod of the \(jobsTotal) jobs was even created"
        if let p = pendingAtEnd.first(where: { !$0.reason.isEmpty }) { why += " (e.g. \(p.pod): \(p.reason))" }
        return why
    }

    /// The metric names of `metrics`, in order.
    public static let metricNames = ["jobs", "jobs_succeeded", "jobs_failed", "jobs_unfinished", "jct_mean_s", "jct_p50_s",
                                     "jct_p95_s", "jct_p99_s", "jct_mean_censored_s", "failed_job_time_mean_s",
                                     "queueing_mean_s", "queueing_p50_s", "queueing_p95_s",
                                     "queueing_p99_s", "makespan_s", "cpu_allocated", "cpu_used", "memory_allocated",
                                     "gpu_allocated", "cpu_used_of_allocated", "gpu_used"] + extraMetricNames

    /// The names of the metrics the built-in workload kinds' reporters add.
    public static let extraMetricNames = Registries.builtIn.workloadKinds.reporters.flatMap(\.metricNames)

    /// Metric name/value pairs, in a fixed order (sweeps use these as columns); nil: no data.
    public var metrics: [(String, Double?)] {
        let usedOfAllocated: Double? = {
            guard let a = cpuAllocated, let u = cpuUsed, a > 0 else { return nil }
            return u / a
        }()
        let core: [(String, Double?)] = [
            ("jobs", Double(jobsTotal)), ("jobs_succeeded", Double(jobsSucceeded)), ("jobs_failed", Double(jobsFailed)),
            ("jobs_unfinished", Double(jobsUnfinished)),
            ("jct_mean_s", jct.mean), ("jct_p50_s", jct.p50), ("jct_p95_s", jct.p95), ("jct_p99_s", jct.p99),
            ("jct_mean_censored_s", jctCensoredMean), ("failed_job_time_mean_s", failedJobTime.mean),
            ("queueing_mean_s", queueing.mean), ("queueing_p50_s", queueing.p50), ("queueing_p95_s", queueing.p95),
            ("queueing_p99_s", queueing.p99), ("makespan_s", makespan),
            ("cpu_allocated", cpuAllocated), ("cpu_used", cpuUsed), ("memory_allocated", memoryAllocated),
            ("gpu_allocated", gpuAllocated), ("cpu_used_of_allocated", usedOfAllocated), ("gpu_used", gpuUsed)]
        // A metric no reporter gave has no data.
        let extra: [(String, Double?)] = Summary.extraMetricNames.enumerated().map { i, name in
            (name, i < extraMetrics.count && !extraMetrics[i].isNaN ? extraMetrics[i] : nil)
        }
        return core + extra
    }
}
