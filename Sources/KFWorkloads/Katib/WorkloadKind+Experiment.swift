import KFCluster
import KFConfig
import KFControlPlane
import KFEngine

extension WorkloadKind {
    /// `kind: Experiment`: Katib hyperparameter experiments from a `kubeflow.org/v1beta1` Experiment
    /// manifest as written (`manifest`), one per arrival, with the trials' running time, objective and
    /// metric curve from `trials: {duration, objective, steps, rate, failureProbability}`.
    public static let experiment = WorkloadKind(name: "Experiment", keys: ["manifest", "arrivals", "trials"],
                                                reporter: KatibReporter()) { (e: WorkloadEntry) throws(ConfigError) in
        let manifest = try e.fields.required("manifest")
        let spec = try e.context.katibExperiment(manifest, namespace: e.namespace)
        let profile = try e.context.trialProfile(try e.fields.required("trials"))
        let arrivals = try e.arrivals()
        let name = e.name, namespace = e.namespace
        return LoadedWorkload(templates: spec.trialPods.map { (manifest.path, $0) }) {
            KatibController(name: name, spec: spec, profile: profile, arrivals: arrivals, namespace: namespace)
        }
    }
}

/// What Katib experiments add to a run's results: `trials.csv` (experiment, trial, pods, started,
/// finished, steps reported, last value, final objective drawn, state) and per experiment the best
/// objective, trials by state and early stops in summary.json.
public struct KatibReporter: RunReporter {
    /// A reporter.
    public init() {}

    public var metricNames: [String] { ["trials", "trials_early_stopped", "best_objective"] }

    public func report(_ sim: Simulation) -> RunReport {
        guard let records = sim.existingService(KatibRecords.self), !records.controllers.isEmpty else { return RunReport(metrics: [.nan, .nan, .nan]) }
        var csv = Format.csvLine(["experiment", "trial", "pods", "started_s", "finished_s", "steps", "last_value", "final_objective", "state"])
        var entries: [(String, JSONValue)] = []
        var total = 0, stopped = 0
        var best: Double?
        for c in records.controllers {
            for (r, run) in c.runs.enumerated() {
                let trials = c.trials.filter { $0.experiment == r }
                let name = sim.jobs[Int(run.job)].name
                for t in trials {
                    csv += Format.csvLine([name, String(t.index), t.pods.map { sim.cluster.pods[Int($0)].spec.name }.joined(separator: " "),
                                           t.started >= 0 ? Format.seconds(t.started) : "", t.finished >= 0 ? Format.seconds(t.finished) : "",
                                           String(t.step), t.values.last.map { Format.number($0) } ?? "", Format.number(t.final), t.state])
                }
                let count = { (s: String) in Int64(trials.filter { $0.state == s }.count) }
                entries.append((name, .object([
                    ("trials", .int(Int64(trials.count))), ("succeeded", .int(count("succeeded"))), ("earlyStopped", .int(count("earlyStopped"))),
                    ("failed", .int(count("failed"))), ("killed", .int(count("killed"))),
                    ("bestObjective", run.best.map { .double($0) } ?? .null),
                ])))
                total += trials.count
                stopped += Int(count("earlyStopped"))
                if let b = run.best { best = best.map { c.spec.maximize ? max($0, b) : min($0, b) } ?? b }
            }
        }
        var report = RunReport(files: [("trials.csv", csv)])
        report.summary.append(("experiments", .object(entries)))
        report.lines.append("experiments: \(entries.count), \(total) trials, \(stopped) stopped early (trials.csv)")
        report.metrics = [Double(total), Double(stopped), best ?? .nan]
        return report
    }
}
