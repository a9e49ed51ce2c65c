import Foundation
import KFEngine
import KFScenario
import Testing
@testable import KFExperiments

/// The scheduling queue as kube-scheduler 1.33+ runs it (backoff queue flushed every second, popped
/// when the active queue is empty) never leaves a node idle while a pod that fits waits; 1.32's queue
/// (`popFromBackoffQ: false`) does.
@Suite struct QueueBehaviourTests {
    func run(_ yaml: String, _ overrides: [String] = [], seed: UInt64 = 1) throws -> RunResult {
        try runScenario(yaml, overrides, seed: seed)
    }

    static let threePods = """
        apiVersion: kfsim.io/v1alpha1
        kind: Scenario
        spec:
          cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: "1", memory: 1Gi}}]}
          workloads:
            - name: p
              kind: Pod
              arrivals: {count: 3}
              template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
              work: {duration: 0.5}
        """

    func starts(_ r: RunResult) -> [Double] { r.pods.map { Clock.seconds($0.started) }.sorted() }

    /// Hand-computed. 1.33+: B and C fail at 0 (backoff 1 s). At 0.5 A ends: both move to the backoff
    /// queue, the active queue is empty, B is popped and binds, C fails (backoff 2 s). At 1 B ends: C is
    /// popped from the backoff queue and binds. 1.32: at 0.5 both wait in the backoff queue until their
    /// backoff ends at 1.0 (B binds, C fails again, backoff 2 s from 1.0); at 1.5 C waits until 3.0.
    @Test func threeHalfSecondPodsOnOneCore() throws {
        #expect(starts(try run(Self.threePods)) == [0, 0.5, 1])
        #expect(starts(try run(Self.threePods, ["scheduler.popFromBackoffQ=false"])) == [0, 1, 3])
    }

    static let mmc = """
        apiVersion: kfsim.io/v1alpha1
        kind: Scenario
        spec:
          cluster: {nodePools: [{name: server, count: 4, allocatable: {cpu: "1", memory: 1Gi}}]}
          workloads:
            - name: jobs
              kind: Pod
              arrivals: {count: 3000, interArrival: {distribution: exponential, mean: 0.3125}}
              template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
              work: {duration: {distribution: exponential, mean: 1}}
          outputs: {sampleInterval: 0}
        """

    /// After every instant, either no pod waits or every server is busy (M/M/c with 4 servers, rho 0.8).
    func idleWhileWaiting(_ r: RunResult, servers: Int) -> Int {
        var deltas: [SimTime: (waiting: Int, running: Int)] = [:]
        for p in r.pods {
            deltas[p.created, default: (0, 0)].waiting += 1
            deltas[p.started, default: (0, 0)].waiting -= 1
            deltas[p.started, default: (0, 0)].running += 1
            deltas[p.finished, default: (0, 0)].running -= 1
        }
        var waiting = 0, running = 0, violations = 0
        for t in deltas.keys.sorted() {
            waiting += deltas[t]!.waiting
            running += deltas[t]!.running
            if waiting > 0 && running < servers { violations += 1 }
        }
        return violations
    }

    @Test func theQueueIsWorkConservingAndThe132QueueIsNot() throws {
        #expect(idleWhileWaiting(try run(Self.mmc), servers: 4) == 0)
        #expect(idleWhileWaiting(try run(Self.mmc, ["scheduler.popFromBackoffQ=false"]), servers: 4) > 100)
    }

    /// Erlang C mean wait of M/M/c with arrival rate `lambda` and service rate 1 per server.
    static func erlangCWait(servers c: Int, lambda: Double) -> Double {
        let a = lambda, rho = a / Double(c)
        var sum = 0.0, term = 1.0
        for k in 0..<c {
            if k > 0 { term *= a / Double(k) }
            sum += term
        }
        let last = term * a / Double(c) / (1 - rho)
        let probWait = last / (sum + last)
        return probWait / (Double(c) - lambda)
    }

    /// M/M/4 at rho 0.6 (no latencies, default scheduler): the mean wait over 6 seeds x 20,000 pods is
    /// within 6% of Erlang C (the standard error of this estimate is about 2%; 10 seeds x 200,000 pods
    /// at rho 0.8 in a release build come within 0.1%).
    @Test func meanWaitMatchesErlangC() throws {
        let expected = Self.erlangCWait(servers: 4, lambda: 1 / 0.4166667)
        var means: [Double] = []
        for seed in 1...6 {
            let r = try run(Self.mmc, ["workloads.jobs.arrivals.count=20000", "workloads.jobs.arrivals.interArrival.mean=0.4166667"],
                            seed: UInt64(seed))
            let waits = r.jobs.map { Clock.seconds($0.queueing) }
            means.append(waits.reduce(0, +) / Double(waits.count))
        }
        let mean = means.reduce(0, +) / Double(means.count)
        #expect(abs(mean / expected - 1) < 0.06, "mean wait \(mean) s, Erlang C \(expected) s")
    }
}
