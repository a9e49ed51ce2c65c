import Foundation
import Testing
import KFCluster
import KFScenario
@testable import KFExperiments

/// Inputs users already have: Node lists (`kubectl get nodes -o yaml`), batch/v1 Job and v1 Pod
/// manifests, read unmodified.
@Suite struct ManifestInputTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/manifests").path

    static func scenario(_ workloads: String) throws -> Scenario {
        try ScenarioLoader.parse(text: """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster: {nodeManifests: \(fixtures)/nodes.yaml}
  workloads:
\(workloads)

""", file: NSTemporaryDirectory() + "s.yaml")
    }

    @Test func kubectlNodeListsAreNodes() throws {
        let s = try Self.scenario("    - {name: web, kind: Pod, manifest: \(Self.fixtures)/pod.yaml, work: {duration: 10s}}")
        #expect(s.nodes.map(\.name) == ["gpu-a", "cpu-b"])
        let gpu = s.nodes[0]
        #expect(gpu.allocatable == Resources(cpu: 7910, memory: 31_709_220 * 1024, gpu: 1))
        #expect(gpu.maxPods == 58 && gpu.zone == "us-east-1a" && gpu.labels["node.kubernetes.io/instance-type"] == "g5.2xlarge")
        #expect(gpu.taints == [Taint(key: "nvidia.com/gpu", value: "present", effect: .noSchedule)])
        #expect(s.nodes[1].allocatable.cpu == 16000 && s.nodes[1].maxPods == 110)
    }

    @Test func jobAndPodManifestsRun() throws {
        let s = try Self.scenario("""
    - {name: pi, kind: Job, manifest: \(Self.fixtures)/job.yaml, work: {duration: 30s}}
    - {name: web, kind: Pod, manifest: \(Self.fixtures)/pod.yaml, arrivals: {count: 3, interArrival: 5s}, work: {duration: 10s}}
""")
        let r = try Runner.run(s)
        #expect(r.summary.jobsSucceeded == 4 && r.summary.jobsTotal == 4)
        let pi = r.pods.filter { $0.owner == "pi-0" }
        #expect(pi.count == 4 && pi.allSatisfy { $0.requests.cpu == 1000 && $0.requests.memory == 512 << 20 })
        // Two at a time: the third starts when one of the first two ends.
        #expect(pi.map(\.started).sorted()[2] >= pi.map(\.finished).sorted()[0])
        let web = r.pods.filter { $0.owner.hasPrefix("web") }
        #expect(web.count == 3 && web.allSatisfy { $0.requests.cpu == 250 })
    }

    @Test func manifestsAreCheckedWithLocations() throws {
        func refusal(_ workloads: String) -> String {
            do { _ = try Self.scenario(workloads); return "accepted" } catch { return "\(error)" }
        }
        #expect(refusal("    - {name: pi, kind: Job, manifest: \(Self.fixtures)/job.yaml, completions: 3, work: {duration: 1s}}")
            .contains("spec.workloads[0].completions: 'completions' comes from the Job manifest"))
        #expect(refusal("    - {name: pi, kind: Pod, manifest: \(Self.fixtures)/job.yaml, work: {duration: 1s}}")
            .contains("job.yaml:1:13: apiVersion: unknown value 'batch/v1'; accepted: v1"))
        #expect(refusal("    - {name: pi, kind: Job, namespace: other, manifest: \(Self.fixtures)/job.yaml, work: {duration: 1s}}")
            .contains("namespace"))
    }
}
