import KFCluster

extension PhasedNetwork {
    /// Groups of more jobs than this are not simulated phase by phase but averaged (`averaged`).
    static let exactGroupLimit = 8

    /// The phased model averaged over the jobs' phase offsets, for groups too large to simulate stage
    /// by stage: while a job transfers, the other jobs' transfers on a link take what they move there on
    /// average (their bytes per iteration on it times their iterations per second), and the job's own
    /// flows share the rest max-min fairly; never less than the link's fair share with every flow on
    /// (the continuous model's worst case), never more than the link. The jobs' rates are a fixed
    /// point, approached by `rounds` damped Jacobi rounds from `initialRates` (their last rates: between
    /// two changes of a large group the fixed point moves little, so each recomputation refines the last).
    static func averaged(_ plans: [IterationPlan], locals given: [AveragedView]? = nil, initialRates: [Double],
                         background: [MaxMinFairShare.LinkFlow], capacities: [Double], rounds: Int = 2) -> [Outcome?] {
        // What background (continuous) flows leave of each link.
        var residual = capacities
        if !background.isEmpty {
            let rates = MaxMinFairShare.rates(background, capacities: capacities)
            for (k, f) in background.enumerated() { f.forEachLink { residual[$0] = max(0, residual[$0] - rates[k]) } }
        }
        let locals = given ?? plans.map(AveragedView.init)
        var flowsOnLink = [Int](repeating: 0, count: capacities.count)
        for local in locals {
            for (i, link) in local.links.enumerated() { flowsOnLink[link] += local.flowsOn[i] }
        }
        var rates = initialRates
        var outcomes = [Outcome?](repeating: nil, count: plans.count)
        for _ in 0..<max(1, rounds) {
            var load = [Double](repeating: 0, count: capacities.count)
            // Rounds of every worker's transfers per second (asynchronous workers each make one per iteration).
            let rounds = rates.indices.map { plans[$0].synchronous ? rates[$0] : rates[$0] / Double(max(1, plans[$0].compute.count)) }
            for (j, local) in locals.enumerated() where rounds[j].isFinite {
                for (i, link) in local.links.enumerated() { load[link] += rounds[j] * local.bytes[i] }
            }
            var next = rates
            for (j, plan) in plans.enumerated() {
                let local = locals[j]
                var caps = [Double](repeating: 0, count: local.links.count)
                for (i, link) in local.links.enumerated() {
                    let others = max(0, load[link] - rounds[j] * local.bytes[i])
                    let floor = residual[link] * Double(local.flowsOn[i]) / Double(max(1, flowsOnLink[link]))
                    caps[i] = min(residual[link], max(floor, residual[link] - others))
                }
                let flowRates = local.flows.isEmpty ? [] : MaxMinFairShare.rates(local.flows, capacities: caps)
                let its = plan.continuousIterations(flowRates)
                let synchronous = plan.synchronous
                var rate = 0.0
                if synchronous {
                    let period = its.map(\.total).max() ?? 0
                    rate = period > 0 && period.isFinite ? 1 / period : 0
                    let comm = its.map(\.communication).max() ?? 0
                    outcomes[j] = rate > 0 ? Outcome(rate: rate, computeShare: its.map { min(1, $0.compute / period) },
                                                     transferShare: min(1, comm / period)) : nil
                } else {
                    rate = its.reduce(0) { $0 + ($1.total > 0 && $1.total.isFinite ? 1 / $1.total : 0) }
                    let comm = its.isEmpty ? 0 : its.map { $0.communication / $0.total }.reduce(0, +) / Double(its.count)
                    outcomes[j] = rate > 0 ? Outcome(rate: rate, computeShare: its.map { $0.total > 0 ? min(1, $0.compute / $0.total) : 0 },
                                                     transferShare: min(1, comm)) : nil
                }
                // Damped: undamped Jacobi rounds oscillate between two states (heavy load, slow jobs, light
                // load, fast jobs); halfway steps converge (2, 4 and 8 rounds agree within 2% of JCT).
                next[j] = rates[j] > 0 ? 0.5 * (rates[j] + rate) : rate
            }
            rates = next
        }
        return outcomes
    }
}

/// One job's iteration as the averaged model sees it: the links its flows cross (in a local
/// numbering), the bytes an iteration moves over each, its own flows on each, and its flows over the
/// local links. Depends on the plan only: the runtime keeps it while the plan stands.
struct AveragedView {
    var links: [Int] = []
    var bytes: [Double] = []
    var flowsOn: [Int] = []
    var flows: [MaxMinFairShare.LinkFlow] = []

    init(_ plan: IterationPlan) {
        var index: [Int: Int32] = [:]
        var bytesOfFlow = [Double](repeating: 0, count: plan.flows.count)
        for w in plan.push + plan.pull + [plan.collective] { for f in w.flows { bytesOfFlow[f.index] += f.bytes } }
        for (k, f) in plan.flows.enumerated() {
            var mapped: [Int32] = []
            f.forEachLink { link in
                if index[link] == nil {
                    index[link] = Int32(links.count)
                    links.append(link)
                    bytes.append(0)
                    flowsOn.append(0)
                }
                let i = Int(index[link]!)
                bytes[i] += bytesOfFlow[k]
                flowsOn[i] += 1
                mapped.append(index[link]!)
            }
            flows.append(MaxMinFairShare.LinkFlow(mapped[0], mapped.count > 1 ? mapped[1] : -1,
                                                  mapped.count > 2 ? mapped[2] : -1, mapped.count > 3 ? mapped[3] : -1))
        }
    }
}

extension MaxMinFairShare.LinkFlow {
    /// Calls `body` with each link of the flow.
    func forEachLink(_ body: (Int) -> Void) {
        body(Int(a))
        if b >= 0 { body(Int(b)) }
        if c >= 0 { body(Int(c)) }
        if d >= 0 { body(Int(d)) }
    }
}
