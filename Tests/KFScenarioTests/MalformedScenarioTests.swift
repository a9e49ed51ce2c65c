import Testing
@testable import KFScenario

/// Malformed scenarios: each is refused before any simulation with file:line:column, the key path and
/// what would be accepted. Messages are pinned word for word.
@Suite struct MalformedScenarioTests {
    static let base = """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
metadata:
  name: t
spec:
  cluster:
    nodePools:
      - name: w
        count: 2
        allocatable: {cpu: "4", memory: 8Gi}
  workloads:
    - name: p
      kind: Pod
      work: {duration: 10s}
      template:
        spec:
          containers:
            - name: c
              resources: {requests: {cpu: 500m}}

"""

    /// `base` with `old` replaced by `new`.
    static func variant(_ old: String, _ new: String) -> String {
        precondition(base.contains(old), "fixture text not found: \(old)")
        return base.replacingOccurrences(of: old, with: new)
    }

    static let cases: [(String, String, String)] = [
        ("unknown top-level key", variant("kind: Scenario", "kind: Scenario\nstatus: {}"),
         "test.yaml:3:1: status: unknown key 'status'; accepted: apiVersion, kind, metadata, spec, sweep"),
        ("wrong apiVersion", variant("kfsim.io/v1alpha1", "kfsim.io/v2"),
         "test.yaml:1:13: apiVersion: unsupported apiVersion 'kfsim.io/v2'; accepted: kfsim.io/v1alpha1"),
        ("wrong kind", variant("kind: Scenario", "kind: Pod"),
         "test.yaml:2:7: kind: unknown value 'Pod'; accepted: Scenario"),
        ("bad cpu quantity", variant("{cpu: \"4\", memory: 8Gi}", "{cpu: \"4x\", memory: 8Gi}"),
         "test.yaml:10:28: spec.cluster.nodePools[0].allocatable.cpu: '4x' is not a Kubernetes quantity: unknown suffix 'x'; expected a number with an optional suffix: m, k, M, G, T, P, E (decimal), Ki, Mi, Gi, Ti, Pi, Ei (binary) or an exponent such as e6"),
        ("bad memory suffix", variant("memory: 8Gi}", "memory: 8GB}"),
         "test.yaml:10:41: spec.cluster.nodePools[0].allocatable.memory: '8GB' is not a Kubernetes quantity: unknown suffix 'GB'; expected a number with an optional suffix: m, k, M, G, T, P, E (decimal), Ki, Mi, Gi, Ti, Pi, Ei (binary) or an exponent such as e6"),
        ("count of wrong type", variant("count: 2", "count: two"),
         "test.yaml:9:16: spec.cluster.nodePools[0].count: expected an integer, got 'two'"),
        ("negative count", variant("count: 2", "count: -1"),
         "test.yaml:9:16: spec.cluster.nodePools[0].count: must be in 0...100000, got -1"),
        ("missing allocatable", variant("        allocatable: {cpu: \"4\", memory: 8Gi}\n", ""),
         "test.yaml:8:9: spec.cluster.nodePools[0]: missing required key 'allocatable'"),
        ("unknown workload kind", variant("kind: Pod", "kind: StatefulSet"),
         "test.yaml:13:13: spec.workloads[0].kind: unknown value 'StatefulSet'; accepted: Pod, Job, ParallelFor, Trace, TFJob, PyTorchJob, MPIJob, TrainJob, Pipeline, Deployment, InferenceService, Experiment"),
        ("key of another kind", variant("kind: Pod", "kind: Pod\n      containers: 4"),
         "test.yaml:14:7: spec.workloads[0].containers: unknown key 'containers'; accepted: name, kind, namespace, arrivals, template, manifest, work, retry"),
        ("bad duration", variant("work: {duration: 10s}", "work: {duration: 10 seconds}"),
         "test.yaml:14:24: spec.workloads[0].work.duration: '10 seconds' is not a duration; expected a number of seconds or a duration such as 500ms, 10s, 5m, 1h30m, 2d"),
        ("two kinds of work", variant("work: {duration: 10s}", "work: {duration: 10s, cpu: 5}"),
         "test.yaml:14:13: spec.workloads[0].work: give exactly one of duration, cpu, forever"),
        ("unknown distribution", variant("work: {duration: 10s}", "work: {duration: {distribution: zipf, mean: 3}}"),
         "test.yaml:14:39: spec.workloads[0].work.duration.distribution: unknown value 'zipf'; accepted: constant, uniform, exponential, normal, lognormal, gamma, weibull, pareto, empirical"),
        ("parameter of another distribution", variant("work: {duration: 10s}", "work: {duration: {distribution: exponential, sd: 3}}"),
         "test.yaml:14:56: spec.workloads[0].work.duration.sd: 'sd' does not apply to exponential; accepted: mean"),
        ("undeclared namespace", variant("kind: Pod", "kind: Pod\n      namespace: ghosts"),
         "test.yaml:14:18: spec.workloads[0].namespace: namespace 'ghosts' is not declared; declared: default"),
        ("container list empty", variant("          containers:\n            - name: c\n              resources: {requests: {cpu: 500m}}\n", "          containers: []\n"),
         "test.yaml:17:23: spec.workloads[0].template.spec.containers: a pod needs at least one container"),
        ("limit below request", variant("resources: {requests: {cpu: 500m}}", "resources: {requests: {cpu: 500m}, limits: {cpu: 250m}}"),
         "test.yaml:19:58: spec.workloads[0].template.spec.containers[0].resources.limits: cpu limit 250m is below the request 500m"),
        ("unknown plugin", variant("  workloads:", """
  scheduler:
    profiles:
      - plugins:
          score:
            enabled: [{name: Fastest, weight: 2}]
  workloads:
"""),
         "test.yaml:15:30: spec.scheduler.profiles[0].plugins.score.enabled[0].name: unknown plugin 'Fastest'; accepted: BestFitScore, Coscheduling, DefaultBinder, DefaultPreemption, DotProductScore, DynamicResources, FGDScore, GpuClusteringScore, GpuPackingScore, ImageLocality, InterPodAffinity, NodeAffinity, NodeName, NodePorts, NodeResourcesBalancedAllocation, NodeResourcesFit, NodeUnschedulable, NodeVolumeLimits, Open-Gpu-Share, PodGroupPodsCount, PodTopologySpread, PrioritySort, RandomScore, SchedulingGates, TaintToleration, VolumeBinding, VolumeRestrictions, VolumeZone"),
        ("negative score weight", variant("  workloads:", """
  scheduler:
    profiles:
      - plugins:
          score:
            enabled: [{name: ImageLocality, weight: -1}]
  workloads:
"""),
         "test.yaml:15:53: spec.scheduler.profiles[0].plugins.score.enabled[0].weight: score weight must not be negative, got -1"),
        ("bad plugin args", variant("  workloads:", """
  scheduler:
    profiles:
      - pluginConfig:
          - name: NodeResourcesFit
            args: {scoringStrategy: {type: Fastest}}
  workloads:
"""),
         "test.yaml:15:44: spec.scheduler.profiles[0].pluginConfig[0].args.scoringStrategy.type: unknown type 'Fastest'; accepted: LeastAllocated, MostAllocated, RequestedToCapacityRatio"),
        ("popFromBackoffQ not a boolean", variant("  workloads:", "  scheduler: {popFromBackoffQ: maybe}\n  workloads:"),
         "test.yaml:11:32: spec.scheduler.popFromBackoffQ: expected true or false, got 'maybe'"),
        ("unknown preemptionPolicy", variant("              resources: {requests: {cpu: 500m}}", "              resources: {requests: {cpu: 500m}}\n          preemptionPolicy: Sometimes"),
         "test.yaml:20:29: spec.workloads[0].template.spec.preemptionPolicy: unknown value 'Sometimes'; accepted: PreemptLowerPriority, Never"),
        ("bad tieBreak", variant("  workloads:", "  scheduler: {tieBreak: best}\n  workloads:"),
         "test.yaml:11:25: spec.scheduler.tieBreak: unknown value 'best'; accepted: random, first"),
        ("percentage out of range", variant("  workloads:", "  scheduler: {percentageOfNodesToScore: 150}\n  workloads:"),
         "test.yaml:11:41: spec.scheduler.percentageOfNodesToScore: must be in 0...100, got 150"),
        ("unknown quota resource", variant("  workloads:", """
  namespaces:
    - name: team
      resourceQuota: {hard: {requests.storage: 1Ti}}
  workloads:
"""),
         "test.yaml:13:48: spec.namespaces[0].resourceQuota.hard.requests.storage: unknown quota resource 'requests.storage'; accepted: requests.cpu, cpu, requests.memory, memory, limits.cpu, limits.memory, requests.nvidia.com/gpu, pods"),
        ("bad taint effect", variant("count: 2", "count: 2\n        taints: [{key: a, effect: Never}]"),
         "test.yaml:10:35: spec.cluster.nodePools[0].taints[0].effect: unknown value 'Never'; accepted: NoSchedule, PreferNoSchedule, NoExecute"),
        ("duplicate workload names", variant("  workloads:\n", """
  workloads:
    - name: p
      kind: Pod
      work: {duration: 1}
      template: {spec: {containers: [{name: x}]}}

"""),
         "test.yaml:16:13: spec.workloads[1].name: workload name 'p' is used twice"),
        ("invalid YAML", variant("kind: Scenario", "kind: [Scenario"),
         "test.yaml:3:9: invalid YAML: did not find expected ',' or ']'"),
        ("no nodes", variant("count: 2", "count: 0"),
         "test.yaml:7:5: spec.cluster: the cluster has no nodes; give nodePools (with count > 0), nodeGroups or trace.nodes"),
        ("missing trace file", variant("  workloads:", "  workloads:\n    - {name: tr, kind: Trace, pods: nowhere.csv}"),
         "test.yaml:12:37: spec.workloads[0].pods: nowhere.csv: no such file"),
    ]

    @Test(arguments: cases)
    func refusedWithLocationAndKeyPath(_ name: String, _ text: String, _ message: String) {
        do {
            _ = try ScenarioLoader.parse(text: text, file: "test.yaml")
            Issue.record("\(name): accepted")
        } catch {
            #expect(error.description == message, "\(name)")
        }
    }

    @Test func theBaseScenarioIsValid() throws {
        let s = try ScenarioLoader.parse(text: MalformedScenarioTests.base, file: "test.yaml")
        #expect(s.nodes.count == 2)
        #expect(s.workloads.map(\.name) == ["p"])
    }
}
