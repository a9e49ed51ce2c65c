import KFCluster

/// The phased network model: jobs' iterations run stage by stage in a fluid simulation of their own,
/// so that a flow exists on its links only while its transfer lasts. A parameter-server worker
/// computes, pushes its shards, waits at the PS barrier (synchronous training), pulls and computes
/// again; an allreduce job's workers compute, meet at a barrier and reduce over the ring. Transfers
/// share the links max-min fairly with each other and with `background` flows that are always on.
///
/// Aggregation: between two changes of placement, CPU shares or job set, a job's stages repeat. So
/// the runtime does not put every phase on the engine's calendar: it runs this simulation once per
/// change, from each job's position in its iteration (`offsets`: seconds until its next iteration
/// starts), for one warm-up and `measure` iterations of every job, and the jobs then advance at the
/// measured mean rate until the next change. Two jobs that interleave their transfers and two in
/// lockstep get the rates their measured cycles give, not the continuous model's worst case.
enum PhasedNetwork {
    /// What the simulation measured of one job.
    struct Outcome: Equatable {
        /// Iterations per second (async: summed over the workers).
        var rate: Double
        /// Each worker's share of time computing.
        var computeShare: [Double]
        /// Mean share of a worker's time spent transferring (its parameter servers' duty; for allreduce,
        /// the collective's share).
        var transferShare: Double
    }

    private enum Stage { case idle, compute, push, barrier, pull, copies, collective }

    private struct Lane {
        var stage = Stage.idle
        var timeLeft = 0.0
        var flowsLeft = 0
        var completions: [Double] = []
    }

    private struct Active {
        var job: Int, lane: Int
        var link: MaxMinFairShare.LinkFlow
        var bytes: Double
    }

    /// Runs `plans` over links of `capacities`; nil for a job that made too little progress to measure
    /// (stuck at zero rate, or out of the event budget).
    static func run(_ plans: [IterationPlan], offsets: [Double], background: [MaxMinFairShare.LinkFlow], capacities: [Double],
                    warmup: Int = 1, measure: Int = 4, maxSteps: Int = 100_000) -> [Outcome?] {
        var lanes = plans.map { Array(repeating: Lane(), count: max(1, $0.compute.count)) }
        var events = plans.map { _ in [Double]() }
        // Lane-seconds each job spends transferring (push, pull, copies, the collective).
        var busy = plans.map { _ in 0.0 }
        var active: [Active] = []
        var rates: [Double] = []
        var dirty = true
        var now = 0.0
        let needed = warmup + measure

        func start(_ j: Int, _ l: Int, _ stage: Stage, _ work: IterationPlan.Work) {
            lanes[j][l].stage = stage
            lanes[j][l].timeLeft = work.seconds
            lanes[j][l].flowsLeft = work.flows.count
            for f in work.flows { active.append(Active(job: j, lane: l, link: plans[j].flows[f.index], bytes: f.bytes)) }
            if !work.flows.isEmpty { dirty = true }
        }
        func compute(_ j: Int, _ l: Int) {
            lanes[j][l].stage = .compute
            lanes[j][l].timeLeft = plans[j].compute.isEmpty ? .infinity : plans[j].compute[l]
        }
        // A lane whose stage is over moves on (a barrier may release the whole job).
        func advance(_ j: Int, _ l: Int) {
            let plan = plans[j]
            switch (lanes[j][l].stage, plan.pattern) {
            case (.idle, _), (.pull, .parameterServer(synchronous: true)):
                compute(j, l)
            case (.pull, _):
                lanes[j][l].completions.append(now)
                compute(j, l)
            case (.compute, .parameterServer):
                start(j, l, .push, plan.push[l])
            case (.push, .parameterServer(synchronous: false)):
                start(j, l, .pull, plan.pull[l])
            case (.push, _), (.compute, .allreduce):
                lanes[j][l].stage = .barrier
                guard lanes[j].allSatisfy({ $0.stage == .barrier }) else { return }
                if case .allreduce = plan.pattern {
                    start(j, 0, .copies, IterationPlan.Work(seconds: plan.collective.seconds))
                } else {
                    events[j].append(now)
                    for k in lanes[j].indices { start(j, k, .pull, plan.pull[k]) }
                }
            case (.copies, _):
                start(j, l, .collective, IterationPlan.Work(flows: plan.collective.flows))
            case (.collective, _):
                events[j].append(now)
                for k in lanes[j].indices { compute(j, k) }
            default:
                break
            }
        }
        func settle() {
            var moved = true
            while moved {
                moved = false
                for j in lanes.indices {
                    for l in lanes[j].indices where lanes[j][l].stage != .barrier && lanes[j][l].timeLeft <= 0 && lanes[j][l].flowsLeft == 0 {
                        advance(j, l)
                        moved = true
                    }
                }
            }
        }
        func measured(_ j: Int) -> Bool {
            if case .parameterServer(synchronous: false) = plans[j].pattern {
                return lanes[j].allSatisfy { $0.completions.count >= needed }
            }
            return events[j].count >= needed
        }

        for j in plans.indices {
            for l in lanes[j].indices { lanes[j][l].timeLeft = max(0, offsets[j]) }
        }
        settle()
        var steps = 0
        while steps < maxSteps && !plans.indices.allSatisfy(measured) {
            steps += 1
            if dirty {
                rates = MaxMinFairShare.rates(background + active.map(\.link), capacities: capacities)
                rates.removeFirst(background.count)
                dirty = false
            }
            var dt = Double.infinity
            for j in lanes.indices {
                for lane in lanes[j] where lane.stage != .barrier && lane.timeLeft > 0 { dt = min(dt, lane.timeLeft) }
            }
            for (k, f) in active.enumerated() where rates[k] > 0 { dt = min(dt, f.bytes / rates[k]) }
            guard dt.isFinite else { break }
            now += dt
            for j in lanes.indices {
                for lane in lanes[j] where lane.stage == .push || lane.stage == .pull || lane.stage == .copies || lane.stage == .collective {
                    busy[j] += dt
                }
                for l in lanes[j].indices where lanes[j][l].stage != .barrier && lanes[j][l].timeLeft > 0 {
                    lanes[j][l].timeLeft = lanes[j][l].timeLeft - dt <= 1e-12 * max(1, now) ? 0 : lanes[j][l].timeLeft - dt
                }
            }
            var k = 0
            while k < active.count {
                active[k].bytes -= rates[k] * dt
                if active[k].bytes <= 1e-9 * max(1, rates[k]) {
                    lanes[active[k].job][active[k].lane].flowsLeft -= 1
                    active.remove(at: k)
                    rates.remove(at: k)
                    dirty = true
                } else {
                    k += 1
                }
            }
            settle()
        }

        // The mean period over the iterations after the warm-up (at least one interval).
        func period(_ e: [Double]) -> Double? {
            guard e.count >= 2 else { return nil }
            let s = max(0, min(warmup - 1, e.count - 2))
            let p = (e[e.count - 1] - e[s]) / Double(e.count - 1 - s)
            return p > 0 ? p : nil
        }
        return plans.indices.map { j -> Outcome? in
            let plan = plans[j]
            // Mean share of a worker's time spent transferring, since the job started.
            let lanesRunning = Double(plan.pattern == .allreduce ? 1 : lanes[j].count)
            let transfer = now > offsets[j] ? min(1, busy[j] / lanesRunning / (now - max(0, offsets[j]))) : 0
            if case .parameterServer(synchronous: false) = plan.pattern {
                var rate = 0.0
                var share: [Double] = []
                for (l, lane) in lanes[j].enumerated() {
                    guard let p = period(lane.completions) else { return nil }
                    rate += 1 / p
                    share.append(min(1, plan.compute[l] / p))
                }
                return Outcome(rate: rate, computeShare: share, transferShare: transfer)
            }
            guard let p = period(events[j]) else { return nil }
            return Outcome(rate: 1 / p, computeShare: plan.compute.map { min(1, $0 / p) }, transferShare: transfer)
        }
    }
}
