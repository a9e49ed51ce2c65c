import Foundation
import Testing
@testable import KFExperiments

/// `events.csv`: why every pod waited, attempt by attempt.
@Suite struct EventsCSVTests {
    static let scenario = """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: 2, allocatable: {cpu: "4", memory: 8Gi}}
      - {name: t, count: 1, allocatable: {cpu: "8", memory: 8Gi}, taints: [{key: dedicated, value: x, effect: NoSchedule}]}
  namespaces:
    - {name: team, resourceQuota: {hard: {requests.cpu: "6"}}}
  workloads:
    - {name: p, kind: Pod, namespace: team, arrivals: {count: 3}, work: {duration: 10s},
       template: {spec: {containers: [{name: c, resources: {requests: {cpu: "3"}}}]}}}
  outputs: {events: true, scores: true}

"""

    @Test func attemptsCarryTheirDiagnosisAndScores() throws {
        let r = try runScenario(Self.scenario)
        let csv = OutputWriter.eventsCSV(try #require(r.eventLog))
        let rows = csv.split(separator: "\n").map(String.init)
        #expect(rows[0] == "time_s,kind,pod,namespace,outcome,node,reason,rejected_by,nodes_examined,chosen_scores,runner_up,runner_up_scores")
        // The third pod is refused by the quota (6 cores) until one of the first two ends.
        #expect(rows.contains { $0.hasPrefix("0.000000,refused,p-2,team,refused,,") && $0.contains("exceeded quota: team-quota") })
        // Bound attempts name the node and, with scores, the chosen node's and the runner-up's scores.
        let bound = try #require(rows.first { $0.contains(",attempt,p-0,") })
        #expect(bound.contains(",bound,w-") && bound.contains("NodeResourcesFit=") && bound.contains(";total="))
        // The tainted node is rejected by TaintToleration, counted per filter.
        #expect(bound.contains("TaintToleration:1"), "\(bound)")
        #expect(r.pods.allSatisfy { $0.phase == "Succeeded" })
    }

    /// `nodes.csv`: each node's requests, pods and CPU at each sample, thinned with the time series.
    @Test func perNodeSeriesOnRequest() throws {
        let text = Self.scenario.replacingOccurrences(of: "outputs: {events: true, scores: true}",
                                                      with: "outputs: {nodes: true, sampleInterval: 1s, maxSamples: 8}")
        let r = try runScenario(text)
        let rows = try #require(r.nodeSeries)
        #expect(rows.count == r.samples.count * 3)
        #expect(Set(rows.map(\.time)) == Set(r.samples.map(\.time)))
        // While two pods of 3 cores run (t = 0..10 s), 6 cores are requested in all.
        let atZero = rows.filter { $0.time == 0 }
        #expect(atZero.reduce(0) { $0 + $1.usage.requested.cpu } == 6000 && atZero.reduce(0) { $0 + $1.usage.pods } == 2)
        #expect(OutputWriter.nodesCSV(rows).hasPrefix("time_s,node,cpu_requested_m,memory_requested_bytes,gpu_requested,pods,cpu_used_cores\n0.000000,w-0,"))
    }

    @Test func withoutTheOptionNothingIsRecorded() throws {
        let r = try runScenario(Self.scenario.replacingOccurrences(of: "  outputs: {events: true, scores: true}\n", with: ""))
        #expect(r.eventLog == nil && r.nodeSeries == nil)
    }
}
