import Foundation
import Testing
import KFScenario
import KFScheduler
import KFConfig
@testable import KFExperiments
import KFTestSupport

/// KubeSchedulerConfiguration files as given to kube-scheduler `--config`: the v1 examples of the
/// Kubernetes documentation load unmodified, and v1's multi-point semantics are upstream's.
@Suite struct KubeSchedulerConfigurationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/kube-scheduler-config").path

    /// A scenario naming `configFile` (relative paths resolve beside the scenario).
    static func scenario(_ configFile: String, extra: String = "", workloadExtra: String = "") -> String {
        """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  scheduler: {configFile: \(configFile)\(extra)}
  cluster:
    nodePools:
      - {name: w, count: 3, allocatable: {cpu: "4", memory: 8Gi}, labels: {scheduler-profile: foo}}
  workloads:
    - {name: p, kind: Pod, arrivals: {count: 4, interArrival: 1s}, work: {duration: 5s},
       template: {spec: {\(workloadExtra)containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}}

"""
    }

    static func load(_ file: String, extra: String = ", unknownPlugins: inert", workloadExtra: String = "") throws -> Scenario {
        try ScenarioLoader.parse(text: scenario("\(fixtures)/\(file)", extra: extra, workloadExtra: workloadExtra),
                                 file: NSTemporaryDirectory() + "s.yaml")
    }

    @Test func everyDocumentationExampleLoadsAndRuns() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count == 15)
        for file in files {
            let s = try Self.load(file)
            for p in s.scheduler.profiles { _ = try Profile(p, registry: s.registries.schedulerPlugins) }
            // Pods name their profile when the default one is absent.
            let name = s.scheduler.profiles.contains { $0.schedulerName == "default-scheduler" } ? "" : "schedulerName: \(s.scheduler.profiles[0].schedulerName), "
            let run = try Runner.run(try Self.load(file, workloadExtra: name))
            #expect(run.summary.jobsSucceeded == 4, "\(file)")
        }
    }

    @Test func unknownPluginsAreRefusedInTheFileUnlessInert() throws {
        do {
            _ = try Self.load("02-score-disable-enable-custom.yaml", extra: "")
            Issue.record("accepted")
        } catch let error as ConfigError {
            #expect(error.description.hasPrefix("\(Self.fixtures)/02-score-disable-enable-custom.yaml:9:17: profiles[0].plugins.score.enabled[0].name: unknown plugin 'MyCustomPluginA'"),
                    "\(error.description)")
        }
        let s = try Self.load("02-score-disable-enable-custom.yaml")
        #expect(s.warnings.contains { $0.contains("inert (they decide nothing): MyCustomPluginA, MyCustomPluginB") })
        let p = try Profile(s.scheduler.profiles[0], registry: s.registries.schedulerPlugins)
        #expect(!p.scorers.contains { $0.plugin.name == "PodTopologySpread" })
        #expect(p.scorers.map(\.plugin.name).contains("NodeResourcesFit"))
    }

    @Test func profilesAndArgsOfTheExamplesTakeEffect() throws {
        // Two profiles; the second scores nothing.
        let two = try Self.load("03-profiles-no-scoring.yaml")
        let noScoring = try Profile(two.scheduler.profiles[1])
        #expect(two.scheduler.profiles.map(\.schedulerName) == ["default-scheduler", "no-scoring-scheduler"])
        #expect(noScoring.scorers.isEmpty && noScoring.preScores.isEmpty && !noScoring.filters.isEmpty)
        // MostAllocated on cpu and memory (the extended resources have no allocatable anywhere).
        let packing = try Profile(try Self.load("11-binpacking-mostallocated.yaml").scheduler.profiles[0])
        let fit = try #require(packing.plugins.first { $0.name == "NodeResourcesFit" } as? NodeResourcesFit)
        #expect(fit.strategy == .mostAllocated && fit.resources.map(\.name) == ["cpu", "memory"])
        // addedAffinity on foo-scheduler only.
        let affinity = try Self.load("15-nodeaffinity-addedaffinity.yaml")
        let foo = try Profile(affinity.scheduler.profiles[1])
        let na = try #require(foo.plugins.first { $0.name == "NodeAffinity" } as? NodeAffinityPlugin)
        #expect(na.addedAffinity?.required?.first?.matchExpressions.first?.key == "scheduler-profile")
        let plain = try Profile(affinity.scheduler.profiles[0])
        #expect((plain.plugins.first { $0.name == "NodeAffinity" } as? NodeAffinityPlugin)?.addedAffinity == nil)
    }

    /// Nodes without the added affinity's label are filtered for the profile that adds it.
    @Test func addedAffinityFiltersNodes() throws {
        let text = Self.scenario("\(Self.fixtures)/15-nodeaffinity-addedaffinity.yaml", workloadExtra: "schedulerName: foo-scheduler, ")
            .replacingOccurrences(of: "labels: {scheduler-profile: foo}", with: "labels: {scheduler-profile: bar}")
        let run = try Runner.run(try ScenarioLoader.parse(text: text, file: NSTemporaryDirectory() + "s.yaml"))
        #expect(run.summary.jobsSucceeded == 0)
        #expect(run.pods[0].lastFailure == "0/3 nodes are available: 3 node(s) didn't match scheduler-enforced node affinity. Rejected by filter: NodeAffinity.")
    }

    /// v1 multi-point semantics (expandMultiPointPlugins): explicit enables of multi-point plugins come
    /// first with their own weight, multi-point disables remove a plugin everywhere, `*` at a point
    /// leaves only the explicit ones.
    @Test func multiPointExpansionIsUpstreams() throws {
        var config = ProfileConfiguration()
        config.multiPoint = PluginSet(enabled: [PluginRef(name: "ImageLocality", weight: 4)], disabled: [PluginRef(name: "TaintToleration")])
        config.plugins[.score] = PluginSet(enabled: [PluginRef(name: "NodeResourcesFit", weight: 5)])
        config.plugins[.filter] = PluginSet(disabled: [PluginRef(name: "NodeAffinity")])
        let p = try Profile(config)
        #expect(p.filters.map(\.name) == ["NodeUnschedulable", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"])
        #expect(p.scorers.map { "\($0.plugin.name)=\($0.weight)" } == [
            "NodeResourcesFit=5", "NodeAffinity=2", "PodTopologySpread=2", "InterPodAffinity=2", "NodeResourcesBalancedAllocation=1",
            "ImageLocality=4"])
        var star = ProfileConfiguration()
        star.plugins[.score] = PluginSet(enabled: [PluginRef(name: "ImageLocality")], disabled: [PluginRef(name: "*")])
        #expect(try Profile(star).scorers.map { "\($0.plugin.name)=\($0.weight)" } == ["ImageLocality=1"])
    }

    @Test func badFilesAreLocated() throws {
        let dir = try Scratch.folder("ksc")
        func refusal(_ text: String, extra: String = "") -> String {
            try? text.write(toFile: "\(dir)/k.yaml", atomically: true, encoding: .utf8)
            do {
                _ = try ScenarioLoader.parse(text: Self.scenario("k.yaml", extra: extra), file: "\(dir)/s.yaml")
                return "accepted"
            } catch { return error.description }
        }
        #expect(refusal("apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n")
            .hasPrefix("\(dir)/k.yaml:1:13: apiVersion: unsupported apiVersion 'kubescheduler.config.k8s.io/v1beta3'"))
        #expect(refusal("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nextenders: [{urlPrefix: http://x}]\n")
            .contains("k.yaml:3:12: extenders: scheduler extenders call HTTP services kfsim cannot simulate"))
        #expect(refusal("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles: [{pluginConfig: [{name: NodeAffinity, args: {addedAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: Near}]}]}}}}]}]\n")
            .contains("k.yaml:3:180: profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: unknown operator 'Near'"))
        #expect(refusal("kind: KubeSchedulerConfiguration\n", extra: ", percentageOfNodesToScore: 10")
            .contains("spec.scheduler.percentageOfNodesToScore: 'percentageOfNodesToScore' comes from the configFile"))
        #expect(refusal("", extra: "").hasSuffix("k.yaml:1:1: the file is empty; expected a KubeSchedulerConfiguration"))
    }
}
