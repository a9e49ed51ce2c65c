import Foundation
import KFCluster
import KFConfig
import KFControlPlane
import KFEngine
import KFScheduler
import KFScenario
import KFWorkloads
import Testing
@testable import KFExperiments

// The worked examples of ARCHITECTURE.md ("How to add ..."), compiled and run here. Nothing outside this
// file was edited to add them: a workload kind, a training policy and a scheduler plugin are registered
// into copies of the built-in registries.

// MARK: - Example: a workload kind

/// `kind: Sleep`: `count` jobs of one pod each, all at 0, sleeping `seconds`.
final class SleepController: WorkloadController {
    let name: String, namespace: String, count: Int, seconds: Double
    private var open = 0, owner: Int32 = -1
    private var jobOfPod: [PodID: JobID] = [:]
    init(name: String, namespace: String, count: Int, seconds: Double) {
        (self.name, self.namespace, self.count, self.seconds) = (name, namespace, count, seconds)
    }
    func start(in context: ControllerContext) {
        owner = context.index(of: self)
        for i in 0..<count {
            let job = context.submitJob(name: "\(name)-\(i)", kind: "Sleep", namespace: namespace)
            let spec = PodSpec(name: "\(name)-\(i)", namespace: namespace,
                               containers: [ContainerSpec(requests: OptionalResources(cpu: 100))], work: .duration(seconds))
            if case .success(let pod) = context.createPod(spec, controller: owner, job: job) {
                jobOfPod[pod] = job
                open += 1
            }
        }
    }
    func fire(_ timer: Scheduled, in context: ControllerContext) {}
    func podEnded(_ pod: PodID, termination: PodTermination, in context: ControllerContext) {
        guard let job = jobOfPod.removeValue(forKey: pod) else { return }
        context.finishJob(job, succeeded: termination == .succeeded)
        open -= 1
    }
    var isDone: Bool { open == 0 }
    func uncreatedPods() -> [UncreatedPod] { [] }
    var waitingCreations: Int { 0 }
}

/// What Sleep workloads add to the results: `sleep.csv`, a `sleep` summary section, a metric, a line.
struct SleepReporter: RunReporter {
    var metricNames: [String] { ["sleep_jobs"] }
    func report(_ sim: Simulation) -> RunReport {
        let jobs = sim.jobs.filter { $0.kind == "Sleep" }
        return RunReport(files: [("sleep.csv", "job\n" + jobs.map { $0.name + "\n" }.joined())],
                         summary: [("sleep", .object([("jobs", .int(Int64(jobs.count)))]))],
                         metrics: [Double(jobs.count)], lines: ["sleep:       \(jobs.count) jobs"])
    }
}

extension WorkloadKind {
    static let sleep = WorkloadKind(name: "Sleep", keys: ["count", "seconds"], reporter: SleepReporter()) {
        (e: WorkloadEntry) throws(ConfigError) in
        let count = Int(try e.fields.required("count").int(1...1000))
        let seconds = try e.fields.required("seconds").seconds(minimum: 0)
        let (name, namespace) = (e.name, e.namespace)
        return LoadedWorkload { SleepController(name: name, namespace: namespace, count: count, seconds: seconds) }
    }
}

// MARK: - Example: a training policy

/// `policy: one-at-a-time`: TFJobs train strictly one after another, in submission order.
final class OneAtATimePolicy: TrainingPolicy {
    let name = "one-at-a-time"
    func decide(_ ctx: TrainingContext) {
        if ctx.active.isEmpty, let next = ctx.waiting.first { ctx.startInterleaved([next]) }
    }
}

// MARK: - Example: a scheduler plugin

/// Filter `Maintenance`: nodes labelled `example.io/maintenance: "true"` take no new pods.
final class MaintenanceFilter: FilterPlugin {
    let name = "Maintenance"
    func filter(_ ctx: CycleContext, node: Int32) -> String? {
        ctx.cluster.nodes[Int(node)].spec.labels["example.io/maintenance"] == "true" ? "node(s) were under maintenance" : nil
    }
}

// MARK: - Example: a system controller

/// A toy cluster autoscaler: every 30 s while pods are pending, it adds one node of group `group`.
final class BurstScaler: SystemController {
    let name = "burst-scaler"
    let group: String
    private var timers = ControllerTimers<Void>()
    init(group: String) { self.group = group }

    func start(in context: ControllerContext) {
        timers.owner = context.index(of: self)
        timers.set((), at: context.now + 30 * Clock.microsPerSecond, passive: true, in: context)
    }

    func fire(_ timer: Scheduled, in context: ControllerContext) {
        guard timers.fired(timer) != nil, context.cluster.pendingCount > 0 else { return }
        _ = context.addNode(toGroup: group)
        timers.set((), at: context.now + 30 * Clock.microsPerSecond, passive: true, in: context)
    }
}

@Suite struct ExtensionExampleTests {
    func run(_ yaml: String, _ registries: Registries) throws -> (RunResult, String) {
        let result = try runScenario(yaml, registries: registries)
        let dir = Paths.temporary()
        try OutputWriter.write(result, to: dir)
        return (result, dir)
    }

    @Test func aWorkloadKindRegisteredInATest() throws {
        var registries = Registries.builtIn
        registries.workloadKinds.register(.sleep)
        let (result, dir) = try run("""
            apiVersion: kfsim.io/v1alpha1
            kind: Scenario
            spec:
              cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: "1", memory: 1Gi}}]}
              workloads: [{name: nap, kind: Sleep, count: 3, seconds: 5}]
            """, registries)
        #expect(result.summary.jobsSucceeded == 3 && result.summary.jct.max == 5)
        #expect(try String(contentsOfFile: "\(dir)/sleep.csv", encoding: .utf8) == "job\nnap-0\nnap-1\nnap-2\n")
        #expect(try String(contentsOfFile: "\(dir)/summary.json", encoding: .utf8).contains("\"sleep\": {\n    \"jobs\": 3\n  }"))
        // Without the registration the kind is refused, naming the accepted kinds.
        #expect(throws: ConfigError.self) { try ScenarioLoader.parse(text: "apiVersion: kfsim.io/v1alpha1\nkind: Scenario\nspec:\n  cluster: {nodePools: [{name: n, allocatable: {cpu: '1', memory: 1Gi}}]}\n  workloads: [{name: nap, kind: Sleep, count: 1, seconds: 1}]\n", file: "x.yaml") }
    }

    @Test func aTrainingPolicyRegisteredInATest() throws {
        var policies = TrainingPolicies.builtIn
        policies.register(.simple("one-at-a-time") { OneAtATimePolicy() })
        var registries = Registries.builtIn
        registries.workloadKinds.register(.tfJob(policies: policies))
        let (result, _) = try run("""
            apiVersion: kfsim.io/v1alpha1
            kind: Scenario
            spec:
              cluster: {nodePools: [{name: n, count: 2, allocatable: {cpu: "8", memory: 32Gi}}]}
              workloads:
                - name: train
                  kind: TFJob
                  policy: one-at-a-time
                  arrivals: {count: 3}
                  manifests:
                    - apiVersion: kubeflow.org/v1
                      kind: TFJob
                      metadata: {name: small}
                      spec:
                        tfReplicaSpecs:
                          PS: {replicas: 1, template: {spec: {containers: [{name: tensorflow, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}}
                          Worker: {replicas: 2, template: {spec: {containers: [{name: tensorflow, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}}
                  profiles: [{name: small, model: m, modelSize: 1Mi, globalBatch: 32, computePerSample: 0.001, iterations: 100}]
            """, registries)
        let jobs = result.jobs.sorted { $0.started < $1.started }
        #expect(jobs.count == 3 && result.summary.jobsSucceeded == 3)
        // Strictly one after another: each starts after the previous one finished.
        for (a, b) in zip(jobs, jobs.dropFirst()) { #expect(b.started >= a.finished, "\(b.job) started before \(a.job) finished") }
    }

    @Test func aSchedulerPluginRegisteredInATest() throws {
        var registries = Registries.builtIn
        registries.schedulerPlugins.register("Maintenance") { (_: PluginArgs) throws(PluginArgsError) -> SchedulerPlugin in MaintenanceFilter() }
        let (result, _) = try run("""
            apiVersion: kfsim.io/v1alpha1
            kind: Scenario
            spec:
              scheduler:
                profiles: [{plugins: {filter: {enabled: [{name: Maintenance}]}}}]
              cluster:
                nodePools:
                  - {name: old, count: 2, allocatable: {cpu: "4", memory: 8Gi}, labels: {example.io/maintenance: "true"}}
                  - {name: new, count: 1, allocatable: {cpu: "4", memory: 8Gi}}
              workloads:
                - name: web
                  kind: Pod
                  arrivals: {count: 3}
                  template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
                  work: {duration: 10}
            """, registries)
        #expect(result.pods.count == 3 && result.pods.allSatisfy { $0.node == "new" })
    }

    @Test func aSystemControllerAddedToARun() throws {
        let scenario = try ScenarioLoader.parse(text: """
            apiVersion: kfsim.io/v1alpha1
            kind: Scenario
            spec:
              cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: "1", memory: 4Gi}}]}
              workloads:
                - name: web
                  kind: Pod
                  arrivals: {count: 3}
                  template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
                  work: {duration: 100}
            """, file: Paths.temporary() + "/s.yaml")
        // The scaler is added to a run like any system controller; the group is the caller's.
        var withGroup = scenario
        withGroup.nodeGroups = [NodeGroup(name: "burst", template: NodeSpec(name: "t", allocatable: Resources(cpu: 1000, memory: 4 << 30)), maxSize: 5)]
        let run = try withGroup.makeSimulation()
        _ = run.add(system: BurstScaler(group: "burst"))
        run.run()
        // Pods 2 and 3 wait for the nodes added at 30 s and 60 s.
        let starts = run.cluster.pods.map { Clock.seconds($0.startedAt) }.sorted()
        #expect(starts == [0, 30, 60] && run.cluster.nodes(inGroup: "burst").count == 2)
    }
}
