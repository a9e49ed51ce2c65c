import Foundation
import Testing
@testable import KFExperiments

/// Katib experiments (issue 10): trials of a Job or TFJob template, some at a time, the goal, failed trials, and
/// the median stopping rule.
@Suite struct KatibTests {
    static func run(_ experiment: String, trials: String, seed: UInt64 = 1) throws -> RunResult {
        let dir = Paths.temporary()
        try experiment.write(toFile: "\(dir)/experiment.yaml", atomically: true, encoding: .utf8)
        return try runScenario("""
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: 2, allocatable: {cpu: "8", memory: 32Gi}}
  workloads:
    - name: tune
      kind: Experiment
      manifest: \(dir)/experiment.yaml
      trials: \(trials)

""", seed: seed)
    }

    static func experiment(parallel: Int, max: Int, goal: String = "", early: String = "") -> String {
        """
apiVersion: kubeflow.org/v1beta1
kind: Experiment
metadata: {name: rf-tuning}
spec:
  objective: {type: maximize, objectiveMetricName: accuracy\(goal)}
  algorithm: {algorithmName: random}
  parallelTrialCount: \(parallel)
  maxTrialCount: \(max)
  parameters:
    - {name: n_estimators, parameterType: int, feasibleSpace: {min: "50", max: "500"}}\(early)
  trialTemplate:
    primaryContainerName: training
    trialParameters: [{name: trees, reference: n_estimators}]
    trialSpec:
      apiVersion: batch/v1
      kind: Job
      spec:
        template:
          spec:
            containers:
              - {name: training, image: python:3.11, resources: {requests: {cpu: "2"}}}
            restartPolicy: Never

"""
    }

    /// trials.csv rows.
    static func trials(_ r: RunResult) throws -> [[String: String]] {
        let csv = try #require(r.reports.flatMap(\.files).first { $0.name == "trials.csv" }?.contents)
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    /// 6 trials of 100 s, 2 at a time, on nodes that fit them all: three waves, 300 s.
    @Test func trialsRunInWaves() throws {
        let r = try Self.run(Self.experiment(parallel: 2, max: 6), trials: "{duration: 100s, objective: {distribution: uniform, low: 0.8, high: 0.95}, steps: 5}")
        let t = try Self.trials(r)
        #expect(t.count == 6 && t.allSatisfy { $0["state"] == "succeeded" })
        #expect(r.jobs[0].jct == 300_000_000)
    }

    /// The goal ends the experiment at the first trial that reaches it; the others are killed.
    @Test func goalEndsTheExperiment() throws {
        let r = try Self.run(Self.experiment(parallel: 3, max: 9, goal: ", goal: 0.5"),
                             trials: "{duration: {distribution: uniform, low: 50, high: 150}, objective: 0.9, steps: 5}")
        let t = try Self.trials(r)
        #expect(t.filter { $0["state"] == "succeeded" }.count == 1 && t.filter { $0["state"] == "killed" }.count == 2)
        #expect(r.summary.jobsSucceeded == 1)
    }

    /// Median stopping with trials one at a time: a trial stopped at step s had a best value below the
    /// median of the completed trials' running averages to step s (at least 3 of them, s >= 2); a trial
    /// that reported past step 2 was never below it.
    @Test func medianStoppingRule() throws {
        let early = "\n  earlyStopping:\n    algorithmName: medianstop\n    algorithmSettings:\n      - {name: min_trials_required, value: \"3\"}\n      - {name: start_step, value: \"2\"}"
        let r = try Self.run(Self.experiment(parallel: 1, max: 20, early: early),
                             trials: "{duration: 100s, objective: {distribution: uniform, low: 0.5, high: 0.95}, steps: 5, rate: 2}")
        let t = try Self.trials(r)
        #expect(t.count == 20)
        let stopped = t.filter { $0["state"] == "earlyStopped" }
        #expect(!stopped.isEmpty && t.filter { $0["state"] == "succeeded" }.count >= 3)
        // With rate 2 over 5 steps, step k's value is final x (1 - e^(-2k/5)) / (1 - e^(-2)).
        func value(_ final: Double, _ k: Int) -> Double { final * (1 - exp(-2 * Double(k) / 5)) / (1 - exp(-2)) }
        var completed: [Double] = []
        for trial in t {
            let final = Double(trial["final_objective"]!)!
            let steps = Int(trial["steps"]!)!
            for s in 2...max(2, steps) where completed.count >= 3 && s <= steps {
                let averages = completed.map { f in (1...s).map { value(f, $0) }.reduce(0, +) / Double(s) }.sorted()
                let n = averages.count
                let median = n % 2 == 1 ? averages[n / 2] : (averages[n / 2 - 1] + averages[n / 2]) / 2
                let below = value(final, s) < median
                if trial["state"] == "earlyStopped" && s == steps { #expect(below, "\(trial)") } else { #expect(!below, "\(trial) step \(s)") }
            }
            if trial["state"] == "succeeded" { completed.append(final) }
        }
    }

    /// A TFJob trial template (1 PS and 2 workers of 3 CPUs): a trial is three pods and runs once all
    /// three do. On 2 nodes of 8 CPUs only 4 pods fit, so with 2 trials allowed at once the second
    /// trial's last pods wait: trial 1 holds a pod for nothing while trial 0 runs. Trials run
    /// back to back (100 s each, 3 trials: 300 s), each listing its three pods.
    @Test func tfJobTrialsRunTheirReplicasTogether() throws {
        let tfjob = """
      apiVersion: kubeflow.org/v1
      kind: TFJob
      spec:
        tfReplicaSpecs:
          PS:
            replicas: 1
            template:
              spec:
                containers:
                  - {name: tensorflow, image: tf:2.15, resources: {requests: {cpu: "3"}}}
          Worker:
            replicas: 2
            template:
              spec:
                containers:
                  - {name: tensorflow, image: tf:2.15, resources: {requests: {cpu: "3"}}}

"""
        var text = Self.experiment(parallel: 2, max: 3)
        text = String(text[..<text.range(of: "      apiVersion: batch/v1")!.lowerBound]) + tfjob
        let r = try Self.run(text, trials: "{duration: 100s, objective: 0.9, steps: 5}")
        let t = try Self.trials(r)
        #expect(t.count == 3 && t.allSatisfy { $0["state"] == "succeeded" })
        #expect(t.map { $0["pods"]!.split(separator: " ").count } == [3, 3, 3])
        #expect(t[0]["pods"]!.contains("trial-0-ps-0") && t[0]["pods"]!.contains("trial-0-worker-1"))
        let starts = t.map { Double($0["started_s"]!)! }, ends = t.map { Double($0["finished_s"]!)! }
        for i in 0..<3 { #expect(abs(ends[i] - starts[i] - 100) < 1e-6) }
        // Never two trials at once: 6 pods do not fit.
        for i in 1..<3 { #expect(starts[i] >= ends[i - 1] - 1e-6) }
        #expect(r.jobs[0].jct >= 300_000_000)
    }

    @Test func badExperimentsAreRefused() throws {
        func refusal(_ text: String) -> String {
            do { _ = try Self.run(text, trials: "{duration: 10s, objective: 0.9}"); return "accepted" } catch { return "\(error)" }
        }
        let base = Self.experiment(parallel: 1, max: 2)
        #expect(refusal(base.replacingOccurrences(of: "algorithmName: random", with: "algorithmName: tpe"))
            .contains("unknown value 'tpe'; accepted: random, grid"))
        #expect(refusal(base.replacingOccurrences(of: "kind: Job", with: "kind: Workflow"))
            .contains("experiment.yaml:16:13: spec.trialTemplate.trialSpec.kind: trials of kind 'Workflow' are not simulated; accepted: Job, TFJob, PyTorchJob, MPIJob"))
        #expect(refusal(base.replacingOccurrences(of: "algorithmName: random", with: "algorithmName: grid"))
            .contains("a grid needs min, max and step (or a list) for every parameter"))
    }
}
