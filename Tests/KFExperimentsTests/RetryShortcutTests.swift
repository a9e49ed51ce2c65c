import Foundation
import KFEngine
import Testing
@testable import KFExperiments

/// The retry shortcuts (futile retries counted without a cycle, tentative requeues, parked pods counted
/// in bulk) change nothing but a waiting pod's diagnosis text: every pod's node, times and attempt count
/// are those of a run that evaluates every retry (`scheduler.retryShortcuts: false`).
@Suite struct RetryShortcutTests {
    /// Two shapes over a cluster too small for them: a standing queue that room freed by every ending
    /// pod only partly drains (the contended benchmark in miniature).
    static let contended = """
        apiVersion: kfsim.io/v1alpha1
        kind: Scenario
        spec:
          seed: 3
          cluster:
            nodePools: [{name: n, count: 12, allocatable: {cpu: "11", memory: 128Gi, pods: 110}}]
          workloads:
            - name: web
              kind: Pod
              arrivals: {count: 1500, interArrival: {distribution: exponential, mean: 0.4}}
              work: {duration: {distribution: exponential, mean: 60}}
              template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1", memory: 2Gi}}}]}}
            - name: batch
              kind: Job
              completions: 4
              parallelism: 4
              arrivals: {count: 120, interArrival: {distribution: exponential, mean: 5}}
              work: {duration: {distribution: exponential, mean: 90}}
              template: {spec: {containers: [{name: c, resources: {requests: {cpu: "3", memory: 8Gi}}}]}}
          outputs: {sampleInterval: 0}
        """

    struct Outcome: Equatable {
        let pod, node: String
        let created, started, finished: SimTime
        let attempts: Int
    }

    func outcomes(_ yaml: String, _ overrides: [String]) throws -> [Outcome] {
        try runScenario(yaml, overrides).pods.map {
            Outcome(pod: $0.pod, node: $0.node, created: $0.created, started: $0.started, finished: $0.finished, attempts: $0.attempts)
        }
    }

    /// Compares a run with and without the shortcuts; returns the total attempt count (to show the
    /// case is contended).
    func compare(_ yaml: String, _ overrides: [String] = []) throws -> Int {
        let fast = try outcomes(yaml, overrides)
        let slow = try outcomes(yaml, overrides + ["scheduler.retryShortcuts=false"])
        #expect(fast.count == slow.count)
        for (a, b) in zip(fast, slow) where a != b {
            Issue.record("\(a) != \(b)")
            break
        }
        return fast.reduce(0) { $0 + $1.attempts }
    }

    @Test func standingQueueOfTwoShapes() throws {
        let attempts = try compare(Self.contended)
        // Far more attempts than pods: the queue stood and was retried after every ending pod.
        #expect(attempts > 20 * 1980, "\(attempts)")
    }

    @Test func withoutBackoffAndWithAShortFlush() throws {
        _ = try compare(Self.contended, ["scheduler.podInitialBackoffSeconds=0", "scheduler.unschedulableFlushSeconds=20"])
        _ = try compare(Self.contended, ["scheduler.podInitialBackoffSeconds=2", "scheduler.podMaxBackoffSeconds=3"])
    }

    @Test func withKubeScheduler132sQueue() throws {
        _ = try compare(Self.contended, ["scheduler.popFromBackoffQ=false"])
    }

    /// A scenario of one 4-core node and `workloads` (list items indented as in the scenario).
    static func oneNode(_ workloads: String) -> String {
        """
        apiVersion: kfsim.io/v1alpha1
        kind: Scenario
        spec:
          cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: "4", memory: 16Gi}}]}
          outputs: {sampleInterval: 0}
          workloads:
        \(workloads)
        """
    }

    /// Frees rarer than the 30 s leftover flush: pods that settle between frees keep their own times.
    @Test func rareFreesAndTheLeftoverFlush() throws {
        let yaml = Self.oneNode("""
                - name: p
                  kind: Pod
                  arrivals: {count: 60, interArrival: {distribution: exponential, mean: 5}}
                  work: {duration: {distribution: exponential, mean: 200}}
                  template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
            """)
        _ = try compare(yaml)
        _ = try compare(yaml, ["scheduler.unschedulableFlushSeconds=60"])
    }

    /// Waves of pods ending at the same instants, and a pod of a new priority arriving at one of them
    /// (preemption becomes possible in that very instant).
    @Test func aNewPriorityArrivesAsRoomIsFreed() throws {
        let yaml = Self.oneNode("""
                - name: low
                  kind: Pod
                  arrivals: {count: 40, interArrival: 0}
                  work: {duration: 10s}
                  template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
                - name: high
                  kind: Pod
                  arrivals: {count: 3, start: 50s, interArrival: 0}
                  work: {duration: 10s}
                  template: {spec: {priority: 5, containers: [{name: c, resources: {requests: {cpu: "2"}}}]}}
            """)
        _ = try compare(yaml)
    }

    /// Node events (the Cluster Autoscaler adds nodes) end the reasoning that lets pods wait in bulk.
    @Test func withNodesJoining() throws {
        let yaml = Self.contended.replacingOccurrences(of: """
            nodePools: [{name: n, count: 12, allocatable: {cpu: "11", memory: 128Gi, pods: 110}}]
        """, with: """
            nodePools: [{name: n, count: 8, allocatable: {cpu: "11", memory: 128Gi, pods: 110}}]
            nodeGroups:
              - {name: extra, minSize: 0, maxSize: 4, size: 0, allocatable: {cpu: "11", memory: 128Gi}, provisioningDelay: 120s}
          clusterAutoscaler: {}
        """)
        #expect(yaml != Self.contended)
        _ = try compare(yaml)
    }
}
