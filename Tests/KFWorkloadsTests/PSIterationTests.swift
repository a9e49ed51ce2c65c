import KFCluster
import Testing
import KFControlPlane
@testable import KFWorkloads

/// Iteration times of the PS model, computed by hand for several placements. Model S = 100 MB,
/// global batch 64 on 4 (or 2) workers, 0.01 core-s per sample, NIC 1.25 GB/s (10 Gbit/s) each way,
/// local copies at 10 GB/s.
@Suite struct PSIterationTests {
    let profile = TrainingProfile(model: "t", modelBytes: 100e6, globalBatch: 64, computePerSample: 0.01, iterations: 100,
                                  localBandwidth: 10e9)
    let nic = 1.25e9

    /// Iteration times for workers on `workerNodes`, PS shards on `psNodes`, each worker at `rate` cores,
    /// with `extra` flows of other jobs on the same NICs.
    func iteration(workers workerNodes: [Int], ps psNodes: [Int], rate: [Double]? = nil,
                   extra: [MaxMinFairShare.Flow] = [], nodes: Int = 4) -> (times: [PSIterationModel.WorkerIteration], perSecond: Double) {
        var flows: [MaxMinFairShare.Flow] = []
        var index: [[(Int, Int)]] = []
        for w in workerNodes {
            var row: [(Int, Int)] = []
            for p in psNodes {
                if w == p { row.append((-1, -1)); continue }
                flows.append(.init(source: w, destination: p))
                flows.append(.init(source: p, destination: w))
                row.append((flows.count - 2, flows.count - 1))
            }
            index.append(row)
        }
        let rates = MaxMinFairShare.rates(flows + extra, egress: Array(repeating: nic, count: nodes), ingress: Array(repeating: nic, count: nodes))
        let push = index.map { $0.map { $0.0 < 0 ? profile.localBandwidth : rates[$0.0] } }
        let pull = index.map { $0.map { $0.1 < 0 ? profile.localBandwidth : rates[$0.1] } }
        let t = PSIterationModel.workers(profile, workerRates: rate ?? Array(repeating: 1, count: workerNodes.count), pushRates: push, pullRates: pull)
        return (t, PSIterationModel.iterationsPerSecond(profile, t))
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 * max(1, abs(b)) }

    @Test func allOnOneNode() {
        // Compute 64/4 * 0.01 / 1 = 0.16 s; push 100 MB / 10 GB/s = 0.01 s, pull 0.01 s -> 0.18 s.
        let r = iteration(workers: [0, 0, 0, 0], ps: [0])
        #expect(close(r.times[0].compute, 0.16) && close(r.times[0].communication, 0.02))
        #expect(close(r.perSecond, 1 / 0.18))
    }

    @Test func psRemoteFromOneWorker() {
        // One worker alone with a remote PS: push 100 MB at 1.25 GB/s = 0.08 s, pull 0.08 s; compute
        // 64 * 0.01 = 0.64 s -> 0.8 s.
        let r = iteration(workers: [0], ps: [1])
        #expect(close(r.times[0].communication, 0.16))
        #expect(close(r.perSecond, 1 / 0.8))
    }

    @Test func fourWorkersShareThePSNIC() {
        // Workers on nodes 1-3 and one with the PS on node 0: three remote pushes share the PS ingress
        // (0.4167 GB/s each): 0.24 s, pulls share its egress: 0.24 s; the local worker needs 0.02 s.
        // Barrier: 0.16 + 0.48 = 0.64 s.
        let r = iteration(workers: [0, 1, 2, 3], ps: [0])
        #expect(close(r.times[1].communication, 0.48))
        #expect(close(r.times[0].communication, 0.02))
        #expect(close(r.perSecond, 1 / 0.64))
    }

    @Test func twoJobsShareANIC() {
        // This job: worker on node 0, PS on node 1. Another job's worker on node 2 pushes to and pulls from
        // a PS on node 1 too: node 1's ingress and egress are shared by two flows: 0.625 GB/s each.
        // Push 0.16 s, pull 0.16 s, compute 0.64 s -> 0.96 s.
        let r = iteration(workers: [0], ps: [1], extra: [.init(source: 2, destination: 1), .init(source: 1, destination: 2)])
        #expect(close(r.times[0].communication, 0.32))
        #expect(close(r.perSecond, 1 / 0.96))
    }

    @Test func contendedCPUStretchesCompute() {
        // All local, but the workers get half a core: compute 0.32 s -> 0.34 s.
        let r = iteration(workers: [0, 0, 0, 0], ps: [0], rate: [0.5, 0.5, 0.5, 0.5])
        #expect(close(r.perSecond, 1 / 0.34))
        // One straggler at a quarter core sets the barrier: 0.64 + 0.02.
        let s = iteration(workers: [0, 0, 0, 0], ps: [0], rate: [1, 1, 1, 0.25])
        #expect(close(s.perSecond, 1 / 0.66))
    }

    @Test func twoShardsOnTwoNodes() {
        // Worker on node 0; PS shards on nodes 1 and 2: 50 MB each; both pushes share node 0's egress
        // (0.625 GB/s each) -> 0.08 s; pulls share its ingress -> 0.08 s; compute 0.64 -> 0.8 s.
        let r = iteration(workers: [0], ps: [1, 2])
        #expect(close(r.times[0].communication, 0.16))
        // With one shard local and one remote: local 50 MB/10 GB/s = 0.005 s, remote 50 MB/1.25 GB/s = 0.04 s
        // -> max per phase 0.04; total 0.08 s.
        let m = iteration(workers: [0], ps: [0, 1])
        #expect(close(m.times[0].communication, 0.08))
    }

    @Test func maxMinFairnessRedistributesLeftovers() {
        // Flows 0->1 and 0->2 share node 0's egress (1); flow 3->2 shares node 2's ingress (3) with 0->2:
        // the first two get 0.5; 3->2 takes the rest of node 2's ingress: 2.5.
        let r = MaxMinFairShare.rates([.init(source: 0, destination: 1), .init(source: 0, destination: 2), .init(source: 3, destination: 2)],
                                      egress: [1, 10, 10, 10], ingress: [10, 10, 3, 10])
        #expect(r == [0.5, 0.5, 2.5])
    }

    @Test func asyncTrainingAddsTheWorkersRates() {
        var p = profile
        p.synchronous = false
        // Each worker computes its own 64-sample batch: 0.64 s + 0.02 s local comm -> 1/0.66 each.
        let t = PSIterationModel.workers(p, workerRates: [1, 1], pushRates: [[10e9], [10e9]], pullRates: [[10e9], [10e9]])
        #expect(close(PSIterationModel.iterationsPerSecond(p, t), 2 / 0.66))
    }
}
