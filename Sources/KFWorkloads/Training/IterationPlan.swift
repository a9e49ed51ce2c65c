import KFCluster
import KFControlPlane

/// One training iteration of one job as the network models see it: what each worker (lane) computes
/// and which bytes move where, for a placement. Parameter-server jobs push their gradient shards to
/// every PS and pull the parameters back (MODEL §7); allreduce jobs reduce the gradients over a ring
/// (hierarchically when workers share a node). The continuous model prices every transfer at rates
/// where all flows exist at once; the phased model (`PhasedNetwork`) runs the stages in time.
struct IterationPlan: Equatable {
    /// How gradients are exchanged.
    enum Pattern: Equatable {
        /// Parameter servers; synchronous (a barrier at the PS before the pull) or not.
        case parameterServer(synchronous: Bool)
        /// Ring allreduce after a barrier, then every worker computes again.
        case allreduce
    }

    /// Work of one lane in one stage: seconds of fixed work (copies on one node) done while its flows
    /// (cross-node transfers, indices into `flows` with their bytes) move.
    struct Work: Equatable {
        var seconds: Double = 0
        var flows: [(index: Int, bytes: Double)] = []

        static func == (a: Work, b: Work) -> Bool {
            a.seconds == b.seconds && a.flows.count == b.flows.count && zip(a.flows, b.flows).allSatisfy { $0.index == $1.index && $0.bytes == $1.bytes }
        }

        /// Its time when every flow has the rate `rates[index]`.
        func time(_ rates: [Double]) -> Double { max(seconds, Self.flowsTime(flows, rates)) }

        /// The time of the slowest of `flows` at `rates`.
        static func flowsTime(_ flows: [(index: Int, bytes: Double)], _ rates: [Double]) -> Double {
            var t = 0.0
            for f in flows { t = max(t, rates[f.index] > 0 ? f.bytes / rates[f.index] : .infinity) }
            return t
        }
    }

    var pattern: Pattern
    /// Seconds each worker computes per iteration (infinite if it has no compute at all).
    var compute: [Double]
    /// Parameter servers: each worker's push and pull.
    var push: [Work] = []
    var pull: [Work] = []
    /// Allreduce: the collective: its `seconds` of copies inside nodes, then its flows (the ring between
    /// nodes), one after the other.
    var collective = Work()
    /// Every cross-node flow of an iteration, in `Work.flows` index order.
    var flows: [MaxMinFairShare.LinkFlow] = []
    /// Bytes an iteration sends across nodes.
    var crossBytes = 0.0

    /// The parameter-server plan for workers on `workerNodes` computing `compute` seconds, shards on
    /// `psNodes`, a model of `modelBytes`; co-located pairs copy at `localBandwidth`.
    static func parameterServer(synchronous: Bool, compute: [Double], workerNodes: [Int32], psNodes: [Int32], modelBytes: Double,
                                localBandwidth: Double, network: NetworkFabric) -> IterationPlan {
        var plan = IterationPlan(pattern: .parameterServer(synchronous: synchronous), compute: compute)
        let shard = psNodes.isEmpty ? 0 : modelBytes / Double(psNodes.count)
        for w in workerNodes {
            var push = Work(), pull = Work()
            for p in psNodes {
                if w == p {
                    push.seconds = max(push.seconds, shard / localBandwidth)
                    pull.seconds = max(pull.seconds, shard / localBandwidth)
                } else {
                    push.flows.append((plan.flows.count, shard))
                    plan.flows.append(network.flow(from: w, to: p))
                    pull.flows.append((plan.flows.count, shard))
                    plan.flows.append(network.flow(from: p, to: w))
                    plan.crossBytes += 2 * shard
                }
            }
            plan.push.append(push)
            plan.pull.append(pull)
        }
        return plan
    }

    /// The ring allreduce plan for workers on `workerNodes` (rank order), each with `ranks` GPUs (1 per
    /// worker by default): with one node, a ring of its n ranks at `localBandwidth`, 2(n-1)/n x S; across
    /// m nodes, hierarchically: a reduce-scatter and an all-gather inside each node (2(g-1)/g x S at the
    /// local bandwidth, g the most ranks on a node), and between them a ring over the nodes in rank
    /// order, each node sending 2(m-1)/m x S to the next over its NIC. One rank alone: no exchange.
    static func allreduce(compute: [Double], workerNodes: [Int32], ranks: [Int]? = nil, modelBytes: Double, localBandwidth: Double,
                          network: NetworkFabric) -> IterationPlan {
        var plan = IterationPlan(pattern: .allreduce, compute: compute)
        var nodes: [Int32] = []
        var perNode: [Int32: Int] = [:]
        for (i, n) in workerNodes.enumerated() {
            if perNode[n] == nil { nodes.append(n) }
            perNode[n, default: 0] += ranks?[i] ?? 1
        }
        let g = Double(perNode.values.max() ?? 1), m = Double(nodes.count)
        plan.collective.seconds = g > 1 ? 2 * (g - 1) / g * modelBytes / localBandwidth : 0
        if nodes.count > 1 {
            let bytes = 2 * (m - 1) / m * modelBytes
            for (k, n) in nodes.enumerated() {
                plan.collective.flows.append((plan.flows.count, bytes))
                plan.flows.append(network.flow(from: n, to: nodes[(k + 1) % nodes.count]))
                plan.crossBytes += bytes
            }
        }
        return plan
    }

    /// Each worker's compute and communication times when every flow moves at `rates` throughout (the
    /// continuous model).
    func continuousIterations(_ rates: [Double]) -> [PSIterationModel.WorkerIteration] {
        compute.indices.map { PSIterationModel.WorkerIteration(compute: compute[$0], communication: lane($0, rates)) }
    }

    /// Worker `l`'s communication seconds per iteration when every flow moves at `rates`: its push and
    /// pull, or the collective (the copies inside nodes, then the ring between them).
    func lane(_ l: Int, _ rates: [Double]) -> Double {
        switch pattern {
        case .parameterServer: return push[l].time(rates) + pull[l].time(rates)
        case .allreduce: return collective.seconds + Work.flowsTime(collective.flows, rates)
        }
    }

    /// Whether iterations are synchronous (one barrier per iteration).
    var synchronous: Bool {
        if case .parameterServer(let s) = pattern { return s }
        return true
    }
}
