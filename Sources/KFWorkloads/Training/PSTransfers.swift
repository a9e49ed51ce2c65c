import KFCluster
import KFControlPlane
/// The transfers of one parameter-server job: for every worker and PS shard on different nodes, a push
/// flow (worker to shard) and a pull flow (shard to worker); co-located pairs copy at the local bandwidth.
struct PSTransfers {
    /// The job's cross-node flows: push then pull for each (worker, shard) pair, worker-major.
    let flows: [MaxMinFairShare.Flow]
    private let local: [[Bool]]

    /// The transfers of workers on `workerNodes` with shards on `psNodes`.
    init(workerNodes: [Int32], psNodes: [Int32]) {
        var flows: [MaxMinFairShare.Flow] = []
        var local: [[Bool]] = []
        for w in workerNodes {
            var row: [Bool] = []
            for p in psNodes {
                row.append(w == p)
                if w != p {
                    flows.append(.init(source: Int(w), destination: Int(p)))
                    flows.append(.init(source: Int(p), destination: Int(w)))
                }
            }
            local.append(row)
        }
        self.flows = flows
        self.local = local
    }

    /// Worker-shard pairs on different nodes.
    var crossPairs: Int { flows.count / 2 }

    /// Push and pull rates per (worker, shard): `localBandwidth` for co-located pairs, else the rates of
    /// this job's flows, found in `rates` from `offset` on (in `flows` order).
    func matrices(rates: [Double], offset: Int, localBandwidth: Double) -> (push: [[Double]], pull: [[Double]]) {
        var k = offset
        var push: [[Double]] = [], pull: [[Double]] = []
        for row in local {
            var a: [Double] = [], b: [Double] = []
            for isLocal in row {
                if isLocal {
                    a.append(localBandwidth); b.append(localBandwidth)
                } else {
                    a.append(rates[k]); b.append(rates[k + 1])
                    k += 2
                }
            }
            push.append(a)
            pull.append(b)
        }
        return (push, pull)
    }
}
