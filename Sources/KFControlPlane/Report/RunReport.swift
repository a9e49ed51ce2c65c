import KFEngine

/// What one part of a run (a workload kind, a system controller) adds to the run's results: files
/// beside `pods.csv`, sections of `summary.json`, metric columns of sweeps and lines of the one-screen
/// summary.
public struct RunReport: Sendable {
    /// Extra output files (name, contents), written atomically beside the standard ones.
    public var files: [(name: String, contents: String)]
    /// Sections of `summary.json`, in order, after the `pods` section.
    public var summary: [(key: String, value: JSONValue)]
    /// One value per name of the reporter's `metricNames`, in order (nan: no data).
    public var metrics: [Double]
    /// Lines of the one-screen summary, after the pods.
    public var lines: [String]
    /// Counter tracks for the timeline (`--trace`): a name and its values at the times they changed.
    public var counters: [(name: String, points: [(time: SimTime, value: Double)])]

    /// A report.
    public init(files: [(name: String, contents: String)] = [], summary: [(key: String, value: JSONValue)] = [],
                metrics: [Double] = [], lines: [String] = [], counters: [(name: String, points: [(time: SimTime, value: Double)])] = []) {
        self.files = files
        self.summary = summary
        self.metrics = metrics
        self.lines = lines
        self.counters = counters
    }
}

/// Makes a `RunReport` from a finished run.
public protocol RunReporter: Sendable {
    /// The metric columns it adds to sweeps (`runs.csv`), in order.
    var metricNames: [String] { get }
    /// Its report of `sim`.
    func report(_ sim: Simulation) -> RunReport
}
