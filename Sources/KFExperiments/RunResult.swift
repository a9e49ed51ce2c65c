import KFCluster
import KFEngine
import KFScenario
import KFControlPlane
import KFWorkloads

/// kfsim's version, written into every summary.
public let kfsimVersion = "0.1.0"

/// One row of `pods.csv`.
public struct PodRow: Equatable, Sendable {
    public var pod, namespace, owner, node: String
    public var created, scheduled, started, finished: SimTime
    public var phase: String
    public var attempts: Int
    public var reason: String
    /// Requests after LimitRange defaults (zero for a pod never created).
    public var requests: Resources = .zero
    /// Why its first and last failed scheduling attempts failed (empty: none failed).
    public var firstFailure = "", lastFailure = ""
}

/// One row of `jobs.csv`.
public struct JobRow: Equatable, Sendable {
    public var job, kind, namespace: String
    public var submitted, started, finished: SimTime
    public var succeeded: Bool
    public var pods: Int
    /// Completion - submission (-1 when unfinished).
    public var jct: SimTime { finished >= 0 ? finished - submitted : -1 }
    /// First start - submission (-1 when never started).
    public var queueing: SimTime { started >= 0 ? started - submitted : -1 }
}

/// Everything one run produced, in plain values.
public struct RunResult: Sendable {
    /// Scenario name.
    public var scenario: String
    /// Scenario hash.
    public var scenarioHash: String
    /// Seed.
    public var seed: UInt64
    /// Why it stopped.
    public var stopReason: StopReason
    /// Final simulated time.
    public var endTime: SimTime
    /// Events handled.
    public var events: Int
    /// Pods (existing and never created), read from the finished cluster when used.
    public var pods: PodRows
    /// Jobs.
    public var jobs: [JobRow]
    /// Time series.
    public var samples: [Sample]
    /// The extra time-series columns (controllers' counters), in order.
    public var extraSeriesNames: [String] = []
    /// What the workload kinds' reporters added (files, summary sections, metrics, lines), in order.
    public var reports: [RunReport]
    /// Metrics.
    public var summary: Summary
    /// `nodes.csv` rows: per sample time, each live node's usage (nil: not recorded).
    public var nodeSeries: [(time: SimTime, node: String, usage: NodeSample)]?
    /// `events.csv` rows (nil: not recorded).
    public var eventLog: [LoggedEvent]?
    /// What the run wants its user to know (printed on standard error, kept in summary.json).
    public var warnings: [String] = []

    /// Collects the result of a finished simulation.
    public init(simulation sim: Simulation, scenario: Scenario, seed: UInt64) {
        self.scenario = scenario.name
        self.scenarioHash = scenario.hash
        self.seed = seed
        stopReason = sim.stopReason
        endTime = sim.now
        events = sim.eventCount
        let cluster = sim.cluster
        pods = PodRows(sim)
        jobs = sim.jobs.map {
            JobRow(job: $0.name, kind: $0.kind, namespace: $0.namespace, submitted: $0.submittedAt, started: $0.startedAt,
                   finished: $0.finishedAt, succeeded: $0.succeeded, pods: $0.pods)
        }
        samples = sim.samples
        extraSeriesNames = sim.extraSeriesNames
        eventLog = sim.options.recordEvents ? sim.recorder.events : nil
        if sim.options.recordNodes {
            nodeSeries = zip(sim.samples, sim.recorder.nodeSamples).flatMap { s, nodes in
                nodes.map { (s.time, cluster.nodes[Int($0.node)].spec.name, $0) }
            }
        }
        reports = scenario.registries.workloadKinds.reporters.map { $0.report(sim) }
        let thinned = sim.recorder.thinnings
        if thinned > 0 && sim.options.samplingChosen {
            let interval = Clock.seconds(sim.options.sampleInterval) * Double(1 << min(thinned, 60))
            warnings.append("timeseries.csv reached \(sim.options.sampleCap) samples and was thinned \(thinned) times: "
                            + "one sample every \(Format.number(interval)) s (set outputs.maxSamples or a longer sampleInterval)")
        }
        summary = Summary(jobs: jobs, pods: pods, utilization: sim.utilization, stopTime: sim.now, extraMetrics: reports.flatMap(\.metrics))
    }
}
