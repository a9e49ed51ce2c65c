import Foundation
import KFEngine
import Testing
@testable import KFExperiments

/// The Cluster Autoscaler (issue 10) against hand-computed cases (kubernetes/autoscaler defaults: 10 s
/// scan interval, least-waste, 0.5 utilisation threshold, 10 min unneeded time).
@Suite struct ClusterAutoscalerTests {
    static func scenario(groups: String, workloads: String, autoscaler: String = "{}") -> String {
        """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodeGroups:
\(groups)
  clusterAutoscaler: \(autoscaler)
  workloads:
\(workloads)

"""
    }

    static func section(_ r: RunResult) throws -> [String: Any] {
        let value = try #require(r.reports.flatMap(\.summary).first { $0.key == "clusterAutoscaler" }?.value)
        return try #require(try JSONSerialization.jsonObject(with: Data(value.rendered().utf8)) as? [String: Any])
    }

    static let burst = """
    - name: burst
      kind: Job
      completions: 20
      parallelism: 20
      template: {spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: "1"}}}]}}
      work: {duration: 300s}
"""

    /// (a) 20 pending one-core pods, a group of 4-core nodes joining 60 s after the request: the loop at
    /// 10 s asks for 20 / 4 = 5 nodes at once; they join at 70 s and the pods start there.
    @Test func burstScalesUpOnceByBinpacking() throws {
        let r = try runScenario(Self.scenario(groups: """
      - {name: workers, minSize: 0, maxSize: 10, size: 0, allocatable: {cpu: "4", memory: 16Gi}, provisioningDelay: 60s, costPerHour: 0.2}
""", workloads: Self.burst))
        let ca = try Self.section(r)
        let ups = try #require(ca["scaleUps"] as? [[Any]])
        #expect(ups.count == 1 && ups[0][0] as? Double == 10 && ups[0][1] as? String == "workers" && ups[0][2] as? Int == 5, "\(ups)")
        #expect(ca["mostNodes"] as? Int == 5)
        #expect(r.pods.allSatisfy { $0.started >= 70_000_000 })
        #expect(r.summary.jobsSucceeded == 1)
        // 5 nodes from 70 s to the end of the run (the pods end at 370 s; nodes stay: scale-down needs 10 min).
        let hours = try #require(ca["nodeHours"] as? Double)
        #expect(abs(hours - 5 * (KFEngine.Clock.seconds(r.pods.map(\.finished).max()!) - 70) / 3600) < 1e-3)
        #expect(abs(try #require(ca["cost"] as? Double) - hours * 0.2) < 1e-6)
    }

    /// (b) least-waste between a 4-core and a 16-core template for 3 one-core pods: 0.25 + 1 against
    /// 0.8125 + 1: the 4-core group.
    @Test func leastWastePicksTheTighterTemplate() throws {
        let r = try runScenario(Self.scenario(groups: """
      - {name: big, maxSize: 5, size: 0, allocatable: {cpu: "16", memory: 64Gi}}
      - {name: small, maxSize: 5, size: 0, allocatable: {cpu: "4", memory: 16Gi}}
""", workloads: Self.burst.replacingOccurrences(of: "20", with: "3")))
        let ups = try #require(try Self.section(r)["scaleUps"] as? [[Any]])
        #expect(ups.first?[1] as? String == "small" && ups.first?[2] as? Int == 1, "\(ups)")
        // The priority expander follows its table instead.
        let p = try runScenario(Self.scenario(groups: """
      - {name: big, maxSize: 5, size: 0, allocatable: {cpu: "16", memory: 64Gi}}
      - {name: small, maxSize: 5, size: 0, allocatable: {cpu: "4", memory: 16Gi}}
""", workloads: Self.burst.replacingOccurrences(of: "20", with: "3"), autoscaler: "{expander: priority, priorities: {10: [\"^big$\"], 1: [\".*\"]}}"))
        #expect((try Self.section(p)["scaleUps"] as? [[Any]])?.first?[1] as? String == "big")
    }

    static func service(_ name: String, cpu: String, replicas: Int = 1) -> String {
        """
    - name: \(name)
      kind: Deployment
      template: {spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: "\(cpu)"}}}]}}
      replicas: \(replicas)
      traffic: {rate: 1, duration: 40m}
      serviceTime: 0.01
"""
    }

    /// (c) Two 4-core nodes, a replica of one core on each (25%): both are unneeded, but once one is
    /// taken the other's pod has nowhere to go; the first is removed after 10 minutes (600 s + one scan),
    /// its replica moving to the other node.
    @Test func underusedNodeIsRemovedAfterTheUnneededTime() throws {
        let r = try runScenario(Self.scenario(groups: """
      - {name: workers, minSize: 0, maxSize: 4, size: 2, allocatable: {cpu: "4", memory: 16Gi}}
""", workloads: Self.service("web", cpu: "1", replicas: 2)))
        let downs = try #require(try Self.section(r)["scaleDowns"] as? [[Any]])
        #expect(downs.count == 1, "\(downs)")
        let t = try #require(downs.first?[0] as? Double)
        #expect(t > 600 && t <= 620, "\(downs)")
        // The evicted replica came back on the other node.
        #expect(r.pods.filter { $0.phase == "Evicted" }.count == 1)
        #expect(r.pods.count == 3)
    }

    /// (d) A node at 37.5% whose replica (1.5 cores) fits on no other node (the other has 1 core free) is
    /// kept, as is a node whose only pod is a bare pod (no controller to recreate it).
    @Test func nodesWhosePodsCannotMoveStay() throws {
        let r = try runScenario(Self.scenario(groups: """
      - {name: workers, minSize: 0, maxSize: 4, size: 2, allocatable: {cpu: "4", memory: 16Gi}}
""", workloads: Self.service("small", cpu: "1500m") + "\n" + Self.service("large", cpu: "3")))
        #expect((try Self.section(r)["scaleDowns"] as? [[Any]])?.isEmpty == true)
        let bare = try runScenario(Self.scenario(groups: """
      - {name: workers, minSize: 0, maxSize: 4, size: 2, allocatable: {cpu: "4", memory: 16Gi}}
""", workloads: """
    - name: lonely
      kind: Pod
      template: {spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: "1"}}}]}}
      work: {duration: 40m}
"""))
        // The empty node goes; the bare pod's node stays.
        let downs = try #require(try Self.section(bare)["scaleDowns"] as? [[Any]])
        #expect(downs.count == 1)
        let podNode = try #require(bare.pods.first?.node)
        #expect(downs.first?[1] as? String != podNode)
    }

    /// The drain respects what upstream's drainability rules say: a PodDisruptionBudget with no
    /// disruption left (minAvailable 2 of 2 replicas) and a pod annotated safe-to-evict "false" keep the
    /// node; "true" lets a bare pod's node go.
    @Test func budgetsAndAnnotationsProtectPods() throws {
        let dir = Paths.temporary()
        try """
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: default}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}

""".write(toFile: "\(dir)/pdb.yaml", atomically: true, encoding: .utf8)
        let groups = "      - {name: workers, minSize: 0, maxSize: 4, size: 2, allocatable: {cpu: \"4\", memory: 16Gi}}\n"
        let labelled = Self.service("web", cpu: "1", replicas: 2).replacingOccurrences(of: "template: {spec:", with: "template: {metadata: {labels: {app: web}}, spec:")
        let budget = try runScenario(Self.scenario(groups: groups, workloads: labelled, autoscaler: "{podDisruptionBudgets: \(dir)/pdb.yaml}"))
        #expect((try Self.section(budget)["scaleDowns"] as? [[Any]])?.isEmpty == true)
        let annotated = Self.service("web", cpu: "1", replicas: 2)
            .replacingOccurrences(of: "template: {spec:", with: "template: {metadata: {annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"}}, spec:")
        #expect((try Self.section(try runScenario(Self.scenario(groups: groups, workloads: annotated)))["scaleDowns"] as? [[Any]])?.isEmpty == true)
        let bare = """
    - name: lonely
      kind: Pod
      template: {metadata: {annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "true"}}, spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: "1"}}}]}}
      work: {duration: 40m}
"""
        let freed = try Self.section(try runScenario(Self.scenario(groups: groups, workloads: bare)))
        #expect((freed["scaleDowns"] as? [[Any]])?.count == 1)
    }

    /// A node that never joins is given up after maxNodeProvisionTime and its group backed off 5 minutes:
    /// scale-ups at 10 s and, after giving up at 110 s, at 410 s.
    @Test func nodesThatNeverJoinAreGivenUp() throws {
        let r = try runScenario(Self.scenario(groups: """
      - {name: workers, minSize: 0, maxSize: 10, size: 0, allocatable: {cpu: "4", memory: 16Gi}, provisioningFailureProbability: 1}
""", workloads: Self.burst.replacingOccurrences(of: "20", with: "2"), autoscaler: "{maxNodeProvisionTime: 100s}") + "", ["horizon=900"])
        let ca = try Self.section(r)
        let ups = try #require(ca["scaleUps"] as? [[Any]]).map { $0[0] as? Double }
        #expect(Array(ups.prefix(2)) == [10, 410], "\(ups)")
        #expect((ca["failedProvisions"] as? Int ?? 0) >= 1)
    }

    @Test func badAutoscalerSettingsAreRefused() throws {
        func refusal(_ groups: String, _ autoscaler: String) -> String {
            do { _ = try runScenario(Self.scenario(groups: groups, workloads: Self.burst, autoscaler: autoscaler)); return "accepted" } catch { return "\(error)" }
        }
        let group = "      - {name: w, maxSize: 4, allocatable: {cpu: \"4\", memory: 16Gi}}\n"
        #expect(refusal(group, "{expander: cheapest}").contains("unknown value 'cheapest'; accepted: least-waste, random, priority"))
        #expect(refusal(group, "{expander: priority}").contains("the priority expander needs priorities"))
        #expect(refusal(group, "{expander: priority, priorities: {1: [\"(\"]}}").contains("is not a regular expression"))
        #expect(refusal(group.replacingOccurrences(of: "maxSize: 4", with: "maxSize: 4, minSize: 5"), "{}").contains("maxSize (4) is below minSize (5)"))
        #expect(refusal(group.replacingOccurrences(of: "maxSize: 4", with: "maxSize: 4, size: 9"), "{}").contains("size 9 is outside minSize...maxSize (0...4)"))
    }
}
