import Foundation
import KFCluster
import KFConfig
import KFEngine

/// A Katib Experiment (`kubeflow.org/v1beta1`) as kfsim runs it: trials of a batch Job, TFJob, PyTorchJob
/// or MPIJob template (a trial is the template's pods, running together), some at
/// a time, up to a count, with an objective, a goal and the median stopping rule. What the manifest
/// cannot say (how long a trial takes, what objective it reaches, how its metric grows) comes from the
/// scenario.
public struct ExperimentSpec: Sendable {
    /// The manifest's name.
    public var name: String
    /// The trial's pods: the Job template's one pod, or one per replica of a training job's replica
    /// specs, each named by its suffix (`worker-0`; empty for a Job).
    public var trialPods: [PodSpec]
    /// The trial template's kind (`Job`, `TFJob`, `PyTorchJob`, `MPIJob`).
    public var trialKind: String
    public var parallelTrialCount: Int
    public var maxTrialCount: Int
    /// Failed trials that fail the experiment (nil: no limit).
    public var maxFailedTrialCount: Int?
    /// Maximise (true) or minimise the objective; the goal that ends the experiment (nil: none).
    public var maximize: Bool
    public var goal: Double?
    /// `random` or `grid`; for grid, how many points the search space has.
    public var algorithm: String
    public var gridPoints: Int?
    /// Median stopping: completed trials needed and the first step at which it applies (nil: off).
    public var medianStop: (minTrials: Int, startStep: Int)?

    /// Trials run at most this many (the grid's size caps `maxTrialCount`).
    public var trialLimit: Int { min(maxTrialCount, gridPoints ?? Int.max) }
}

/// What the scenario says of the trials: their running time (any distribution), the objective each
/// reaches (drawn per trial), how many metric reports a trial makes and how fast its metric approaches
/// its final value, and how likely a trial fails.
public struct TrialProfile: Sendable {
    public var duration: Distribution
    public var objective: Distribution
    public var steps: Int
    /// The metric at step k of n is final x (1 - exp(-rate x k / n)) / (1 - exp(-rate)).
    public var rate: Double
    public var failureProbability: Double

    /// The metric a trial reaching `final` reports at step `k` (1-based).
    public func value(final: Double, step k: Int) -> Double {
        guard rate > 0 else { return final }
        let reached = 1 - exp(-rate * Double(k) / Double(steps))
        return final * reached / (1 - exp(-rate))
    }
}

extension LoadContext {
    /// A Katib Experiment manifest: objective, algorithm (random, grid), parallel, max and max-failed
    /// trial counts, early stopping (medianstop) and a batch/v1 Job trial template.
    func katibExperiment(_ node: ConfigNode, namespace: String) throws(ConfigError) -> ExperimentSpec {
        let doc = try singleManifest(node, kind: "Experiment", versions: ["kubeflow.org/v1beta1"])
        let name = try field(doc, "metadata").flatMap { field($0, "name") }?.name() ?? "experiment"
        let spec = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"]).required("spec")
        let m = try spec.mapping(["objective", "algorithm", "parallelTrialCount", "maxTrialCount", "maxFailedTrialCount", "parameters",
                                  "earlyStopping", "trialTemplate", "metricsCollectorSpec", "resumePolicy", "nasConfig"])
        let objective = try m.required("objective")
        let maximize = try field(objective, "type")?.oneOf(["maximize", "minimize"]) != "minimize"
        let goal = try field(objective, "goal")?.double()
        let algorithmNode = try m.required("algorithm")
        let algorithmName = field(algorithmNode, "algorithmName")
        let algorithm = try algorithmName?.oneOf(["random", "grid"]) ?? "random"
        var grid: Int?
        if algorithm == "grid" {
            var points = 1
            for p in try m["parameters"]?.list() ?? [] {
                guard let space = field(p, "feasibleSpace") else { throw p.error("missing required key 'feasibleSpace'") }
                if let list = field(space, "list") {
                    points *= max(1, try list.list().count)
                } else {
                    guard let lo = try field(space, "min")?.double(), let hi = try field(space, "max")?.double(),
                          let step = try field(space, "step")?.double(0.000001...1e12) else {
                        throw space.error("a grid needs min, max and step (or a list) for every parameter")
                    }
                    points *= max(1, Int(((hi - lo) / step).rounded(.down)) + 1)
                }
                points = min(points, 1_000_000)
            }
            grid = points
        }
        var medianStop: (Int, Int)?
        if let es = m["earlyStopping"] {
            _ = try field(es, "algorithmName")?.oneOf(["medianstop"])
            var minTrials = 3, startStep = 4
            for setting in try field(es, "algorithmSettings")?.list() ?? [] {
                let key = try field(setting, "name")?.oneOf(["min_trials_required", "start_step"])
                let value = try field(setting, "value")?.int(1...1_000_000) ?? 0
                if key == "min_trials_required" { minTrials = Int(value) } else { startStep = Int(value) }
            }
            medianStop = (minTrials, startStep)
        }
        let template = try m.required("trialTemplate")
        guard let trialSpec = field(template, "trialSpec") else { throw template.error("missing required key 'trialSpec' (trialSpec as written; a ConfigMap template is not read)") }
        let pods = try trialPods(trialSpec, namespace: namespace)
        let parallel = Int(try m["parallelTrialCount"]?.int(1...100_000) ?? 3)
        let maxTrials = Int(try m["maxTrialCount"]?.int(1...1_000_000) ?? 10)
        let maxFailed = try m["maxFailedTrialCount"].map { (n: ConfigNode) throws(ConfigError) in Int(try n.int(0...1_000_000)) }
        return ExperimentSpec(name: name, trialPods: pods.pods, trialKind: pods.kind, parallelTrialCount: parallel, maxTrialCount: maxTrials, maxFailedTrialCount: maxFailed,
                              maximize: maximize, goal: goal, algorithm: algorithm, gridPoints: grid,
                              medianStop: medianStop.map { (minTrials: $0.0, startStep: $0.1) })
    }

    /// The pods of one trial from a trial template's `trialSpec`: a batch/v1 Job's pod template, or the
    /// replica specs of a Kubeflow training job (TFJob and PyTorchJob `kubeflow.org/v1`, MPIJob
    /// `kubeflow.org/v2beta1` or `v1`), every replica a pod. Workflows (pipelines) as trials are refused.
    func trialPods(_ trialSpec: ConfigNode, namespace: String) throws(ConfigError) -> (kind: String, pods: [PodSpec]) {
        let kind = try field(trialSpec, "kind")?.string() ?? ""
        guard kind == "Job" || Self.trainingKinds[kind] != nil else {
            throw (field(trialSpec, "kind") ?? trialSpec).error("trials of kind '\(kind)' are not simulated; accepted: Job, TFJob, PyTorchJob, MPIJob")
        }
        guard let jobSpec = field(trialSpec, "spec") else { throw trialSpec.error("missing required key 'spec'") }
        if kind == "Job" {
            guard let templateNode = field(jobSpec, "template") else { throw jobSpec.error("missing required key 'template'") }
            return (kind, [try podTemplate(templateNode, namespace: namespace, manifest: true)])
        }
        let key = Self.trainingKinds[kind]!.replicas
        guard let specs = field(jobSpec, key) else { throw jobSpec.error("missing required key '\(key)'") }
        var pods: [PodSpec] = []
        for (type, value) in try specs.freeMapping() {
            let r = try value.mapping(["replicas", "restartPolicy", "template"])
            let template = try podTemplate(try r.required("template"), namespace: namespace, manifest: true)
            for i in 0..<Int(try r["replicas"]?.int(0...1_000) ?? 1) {
                var pod = template
                pod.name = "\(type.lowercased())-\(i)"
                pods.append(pod)
            }
        }
        guard !pods.isEmpty, pods.count <= 1_000 else { throw specs.error("a trial needs 1 to 1,000 replicas, got \(pods.count)") }
        return (kind, pods)
    }

    /// `trials: {duration, objective, steps, rate, failureProbability}`.
    func trialProfile(_ node: ConfigNode) throws(ConfigError) -> TrialProfile {
        let m = try node.mapping(["duration", "objective", "steps", "rate", "failureProbability"])
        return TrialProfile(duration: try distribution(try m.required("duration")), objective: try distribution(try m.required("objective")),
                            steps: Int(try m["steps"]?.int(1...10_000) ?? 10), rate: try m["rate"]?.double(0...100) ?? 3,
                            failureProbability: try m["failureProbability"]?.double(0...1) ?? 0)
    }
}
