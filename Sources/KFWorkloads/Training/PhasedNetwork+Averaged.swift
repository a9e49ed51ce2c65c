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
            for (k, f) in background.enumerated() { f.forEach { residual[$0] = max(0, residual[$0] - rates[k]) } }
        }
        let locals = given ?? plans.map(AveragedView.init)
        var flowsOnLink = [Int](repeating: 0, count: capacities.count)
        for local in locals {
            for (i, link) in local.links.enumerated() { flowsOnLink[link] += local.flowsOn[i] }
        }
        var rates = initialRates
        var outcomes = [Outcome?](repeating: nil, count: plans.count)
        var caps: [Double] = [], flowRates: [Double] = []
        var scratch = SmallMaxMinScratch()
        let roundCount = max(1, rounds)
        for round in 0..<roundCount {
            let last = round == roundCount - 1
            var load = [Double](repeating: 0, count: capacities.count)
            // Rounds of every worker's transfers per second (asynchronous workers each make one per iteration).
            let perSecond = rates.indices.map { plans[$0].synchronous ? rates[$0] : rates[$0] / Double(max(1, plans[$0].compute.count)) }
            for (j, local) in locals.enumerated() where perSecond[j].isFinite {
                for (i, link) in local.links.enumerated() { load[link] += perSecond[j] * local.bytes[i] }
            }
            var next = rates
            for (j, plan) in plans.enumerated() {
                let local = locals[j]
                caps.removeAll(keepingCapacity: true)
                for (i, link) in local.links.enumerated() {
                    let others = max(0, load[link] - perSecond[j] * local.bytes[i])
                    let floor = residual[link] * Double(local.flowsOn[i]) / Double(max(1, flowsOnLink[link]))
                    caps.append(min(residual[link], max(floor, residual[link] - others)))
                }
                smallMaxMin(local.flows, caps, &flowRates, &scratch)
                // The iteration at these rates, without building per-worker arrays except on the last round.
                var rate = 0.0
                if plan.synchronous {
                    var period = 0.0, comm = 0.0
                    for l in plan.compute.indices {
                        let c = plan.lane(l, flowRates)
                        period = max(period, plan.compute[l] + c)
                        comm = max(comm, c)
                    }
                    rate = period > 0 && period.isFinite ? 1 / period : 0
                    if last {
                        outcomes[j] = rate > 0 ? Outcome(rate: rate, computeShare: plan.compute.map { min(1, $0 / period) },
                                                         transferShare: min(1, comm / period)) : nil
                    }
                } else {
                    var share: [Double] = []
                    var comm = 0.0
                    for l in plan.compute.indices {
                        let c = plan.lane(l, flowRates), total = plan.compute[l] + c
                        if total > 0 && total.isFinite { rate += 1 / total }
                        if last { share.append(total > 0 ? min(1, plan.compute[l] / total) : 0) }
                        comm += total > 0 ? c / total : 0
                    }
                    if last {
                        outcomes[j] = rate > 0 ? Outcome(rate: rate, computeShare: share, transferShare: min(1, comm / Double(max(1, plan.compute.count)))) : nil
                    }
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

/// Reused buffers of `smallMaxMin`.
struct SmallMaxMinScratch {
    var remaining: [Double] = []
    var users: [Int] = []
    var frozen: [Bool] = []
}

/// Max-min fair rates of a few `flows` over links of `caps` (progressive filling, as `MaxMinFairShare`
/// computes, without its allocations: one job's flows at a time, buffers reused), into `rates`.
func smallMaxMin(_ flows: [MaxMinFairShare.LinkFlow], _ caps: [Double], _ rates: inout [Double], _ s: inout SmallMaxMinScratch) {
    rates.removeAll(keepingCapacity: true)
    rates.append(contentsOf: repeatElement(0, count: flows.count))
    guard !flows.isEmpty else { return }
    s.remaining.removeAll(keepingCapacity: true)
    s.remaining.append(contentsOf: caps)
    s.frozen.removeAll(keepingCapacity: true)
    s.frozen.append(contentsOf: repeatElement(false, count: flows.count))
    var left = flows.count
    while left > 0 {
        s.users.removeAll(keepingCapacity: true)
        s.users.append(contentsOf: repeatElement(0, count: caps.count))
        for (k, f) in flows.enumerated() where !s.frozen[k] { f.forEach { s.users[$0] += 1 } }
        // The level every unfrozen flow can still grow by: the tightest link's share.
        var step = Double.infinity
        for l in caps.indices where s.users[l] > 0 { step = min(step, max(0, s.remaining[l]) / Double(s.users[l])) }
        guard step.isFinite else { break }
        for l in caps.indices where s.users[l] > 0 { s.remaining[l] -= step * Double(s.users[l]) }
        for (k, f) in flows.enumerated() where !s.frozen[k] {
            rates[k] += step
            var full = false
            f.forEach { if s.remaining[$0] <= 1e-9 * max(1, caps[$0]) { full = true } }
            if full {
                s.frozen[k] = true
                left -= 1
            }
        }
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
            f.forEach { link in
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
