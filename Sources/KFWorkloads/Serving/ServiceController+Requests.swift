import DequeModule
import KFCluster
import KFControlPlane
import KFEngine

/// One replica of a service and what it has done (cumulative counters for metrics).
public struct Replica: Sendable {
    /// Its pod (-1 until created).
    public var pod: PodID = -1
    /// When it started running and became ready (-1: not yet).
    public var startedAt: SimTime = -1, readyAt: SimTime = -1
    /// It takes requests.
    public var ready = false
    /// Scaled down: takes no new requests, finishes what it holds, then is deleted.
    public var terminating = false
    /// Its pod is gone.
    public var gone = false
    /// The revision of the pod template it runs (rollouts make new ones).
    public var revision = 0
    /// Requests in service, and waiting at it (arrival times).
    public var busy = 0
    var queue = Deque<SimTime>()
    /// Requests it finished; request-seconds in service; core-seconds of CPU used.
    public var served = 0, busySeconds = 0.0, cpuSeconds = 0.0
    /// Its pod's CPU rate (cores) and the time counters were last brought up to date.
    var rate = 0.0
    var lastUpdate: SimTime = 0

    /// Not deleted.
    public var isLive: Bool { !gone }
    /// The load balancer may send it requests.
    public var routable: Bool { ready && !terminating && !gone }
    /// Requests waiting at it.
    public var queued: Int { queue.count }
}

/// A request's completion in the calendar (ordered by time, then by when it started).
struct Completion: Comparable {
    var time: SimTime
    var seq: Int
    var replica: Int
    var arrived: SimTime
    var started: SimTime
    static func < (a: Completion, b: Completion) -> Bool { a.time != b.time ? a.time < b.time : a.seq < b.seq }
}

/// What a service did: requests by outcome, latencies (arrival to completion) and waits (arrival to
/// service).
public struct ServiceStats: Sendable {
    public var arrived = 0, served = 0, dropped = 0, timedOut = 0, failed = 0
    /// Requests served within the service's latency objective.
    public var withinSLO = 0
    public var latency = LatencyHistogram()
    public var waitSum = 0.0, waitCount = 0
    /// Sampled requests for requests.csv: arrival, start, finish (seconds) and replica.
    public var recorded: [(arrived: SimTime, started: SimTime, finished: SimTime, replica: Int)] = []
    /// Mean wait before service, seconds (nil: none started).
    public var meanWait: Double? { waitCount > 0 ? waitSum / Double(waitCount) : nil }
}

extension ServiceController {
    /// Processes the calendar up to `t`: completions before arrivals at the same instant.
    func advance(to t: SimTime) {
        while true {
            let c = completions.min?.time ?? .max
            let a = nextArrival >= 0 ? nextArrival : .max
            guard min(c, a) <= t else { break }
            integrate(to: min(c, a))
            if c <= a {
                clock = c
                complete(completions.removeMin())
            } else {
                clock = a
                arrive(a)
                nextArrival = arrivals?.next().map { Clock.micros(seconds: $0) } ?? -1
            }
        }
        integrate(to: t)
        clock = max(clock, t)
    }

    /// Adds the requests present (in service or waiting) since the last change to the concurrency
    /// integral (request-seconds), up to `x`.
    func integrate(to x: SimTime) {
        if x > integratedTo {
            concurrencySeconds += Double(present) * Clock.seconds(x - integratedTo)
            integratedTo = x
        }
    }

    /// Brings replica `r`'s counters up to `clock`.
    func account(_ r: Int) {
        let dt = Clock.seconds(clock - replicas[r].lastUpdate)
        if dt > 0 && replicas[r].busy > 0 {
            replicas[r].busySeconds += Double(replicas[r].busy) * dt
            replicas[r].cpuSeconds += Double(replicas[r].busy) / Double(spec.concurrency) * replicas[r].rate * dt
        }
        replicas[r].lastUpdate = clock
    }

    func arrive(_ at: SimTime) {
        stats.arrived += 1
        switch spec.queueAt {
        case .balancer:
            if let r = pick(freeOnly: true) {
                present += 1
                begin(r, arrived: at)
            } else {
                purge(&balancerQueue)
                if balancerQueue.count < spec.queueLimit { balancerQueue.append(at); present += 1 } else { stats.dropped += 1 }
                // Nothing can serve it soon (scaled to zero): the activator pokes the autoscaler.
                if activeReplicas.isEmpty { coldRequest = true }
            }
        case .replica:
            guard let r = pick(freeOnly: false) else { stats.dropped += 1; return }
            if replicas[r].busy < spec.concurrency {
                present += 1
                begin(r, arrived: at)
            } else {
                purge(&replicas[r].queue)
                if replicas[r].queue.count < spec.queueLimit { replicas[r].queue.append(at); present += 1 } else { stats.dropped += 1 }
            }
        }
    }

    /// Drops the requests at the head of `queue` that waited past the timeout (the queue is in arrival
    /// order and the timeout the same for all, so they are all at the head).
    func purge(_ queue: inout Deque<SimTime>) {
        guard let timeout = spec.timeout else { return }
        let limit = Clock.micros(seconds: timeout)
        while let first = queue.first, clock - first >= limit {
            queue.removeFirst()
            stats.timedOut += 1
            present -= 1
        }
    }

    /// The replica the balancer sends a request to (nil: none can take it), among the routable ones.
    func pick(freeOnly: Bool) -> Int? {
        let candidates = routableReplicas
        func eligible(_ r: Int) -> Bool { !freeOnly || replicas[r].busy < spec.concurrency }
        switch spec.balancer {
        case .leastRequests:
            var best: Int?
            for r in candidates where eligible(r) {
                if best == nil || replicas[r].busy + replicas[r].queue.count < replicas[best!].busy + replicas[best!].queue.count { best = r }
            }
            return best
        case .roundRobin:
            // The first eligible replica at or after the rotation point, wrapping around.
            let start = candidates.firstIndex { $0 >= roundRobin } ?? 0
            for k in 0..<candidates.count {
                let r = candidates[(start + k) % candidates.count]
                if eligible(r) { roundRobin = r + 1; return r }
            }
            return nil
        case .random:
            let free = candidates.filter(eligible)
            return free.isEmpty ? nil : free[balancerStream.uniformInt(below: free.count)]
        }
    }

    /// Replica `r` starts serving a request that arrived at `arrived`; its time depends on its CPU share.
    func begin(_ r: Int, arrived: SimTime) {
        account(r)
        replicas[r].busy += 1
        let cap = replicas[r].pod >= 0 ? replicasCap(r) : 0
        let slowdown = cap > 0 && replicas[r].rate > 0 && replicas[r].rate < cap ? cap / replicas[r].rate : 1
        let seconds = spec.serviceTime.sample(serviceStream) * slowdown
        sequence += 1
        completions.insert(Completion(time: clock + max(1, Clock.micros(seconds: seconds)), seq: sequence, replica: r, arrived: arrived, started: clock))
        stats.waitSum += Clock.seconds(clock - arrived)
        stats.waitCount += 1
    }

    func complete(_ c: Completion) {
        let r = c.replica
        guard !replicas[r].gone else { return }
        account(r)
        replicas[r].busy -= 1
        replicas[r].served += 1
        present -= 1
        stats.served += 1
        stats.latency.record(Clock.seconds(c.time - c.arrived))
        if let slo = sloMicros, c.time - c.arrived <= slo { stats.withinSLO += 1 }
        if spec.recordEvery > 0 && stats.served % spec.recordEvery == 0 {
            stats.recorded.append((c.arrived, c.started, c.time, r))
        }
        // The freed slot takes the next waiting request.
        if spec.queueAt == .replica || replicas[r].terminating {
            purge(&replicas[r].queue)
            if let next = replicas[r].queue.popFirst() { begin(r, arrived: next) }
        } else {
            purge(&balancerQueue)
            if let next = balancerQueue.popFirst() { begin(r, arrived: next) }
        }
        if replicas[r].terminating && replicas[r].busy == 0 && replicas[r].queue.isEmpty && replicas[r].pod >= 0 {
            toDelete.append(replicas[r].pod)
        }
    }

    /// The CPU (cores) a replica's pod can use at most.
    func replicasCap(_ r: Int) -> Double { capOfPod[replicas[r].pod] ?? 0 }

    /// Replica `r` passed its readiness probe: it takes requests (waiting ones first).
    func becomeReady(_ r: Int, _ sim: ControllerContext) {
        guard !replicas[r].gone, replicas[r].pod >= 0 else { return }
        advancing = true
        clock = sim.now
        account(r)
        replicas[r].ready = true
        replicas[r].readyAt = sim.now
        replicasChanged = true
        capOfPod[replicas[r].pod] = sim.cluster.pods[Int(replicas[r].pod)].run.cpuCap
        if spec.queueAt == .balancer {
            purge(&balancerQueue)
            while replicas[r].busy < spec.concurrency, !replicas[r].terminating, let next = balancerQueue.popFirst() { begin(r, arrived: next) }
        }
        // A rollout goes on as new replicas become available.
        if rollingOut { rolloutStep() }
        advancing = false
        flushDeletes(sim)
    }

    /// Replica `r`'s pod is gone: requests in service there fail; requests waiting there go back to the
    /// balancer.
    func lostReplica(_ r: Int, _ now: SimTime) {
        replicas[r].gone = true
        replicas[r].ready = false
        replicasChanged = true
        let lost = completions.unordered.filter { $0.replica == r }.count
        if lost > 0 {
            stats.failed += lost
            present -= lost
            completions = .init(completions.unordered.filter { $0.replica != r })
        }
        replicas[r].busy = 0
        let waiting = replicas[r].queue
        replicas[r].queue.removeAll()
        present -= waiting.count
        for a in waiting { stats.arrived -= 1; arrive(a) }
    }

    /// Brings every replica's counters up to now at its old CPU rate and reads its new one.
    func refreshRates(_ sim: ControllerContext) {
        for r in replicasWithPods {
            guard sim.cluster.pods[Int(replicas[r].pod)].phase == .running else { continue }
            account(r)
            replicas[r].rate = sim.cluster.pods[Int(replicas[r].pod)].run.rate
        }
    }

    /// Sets each replica's CPU duty cycle to its busy share since the last tick (used CPU = rate x duty),
    /// and refreshes the CPU rate the next requests are served at.
    func updateDuty(_ sim: ControllerContext) {
        let dt = Clock.seconds(sim.now - lastTick)
        for r in replicasWithPods {
            account(r)
            let pod = replicas[r].pod
            guard sim.cluster.pods[Int(pod)].phase == .running else { continue }
            let busy = replicas[r].busySeconds - (lastBusy[r] ?? 0)
            lastBusy[r] = replicas[r].busySeconds
            if dt > 0 { sim.cluster.setDuty(pod, busy / (dt * Double(spec.concurrency))) }
            replicas[r].rate = sim.cluster.pods[Int(pod)].run.rate
        }
        lastTick = sim.now
    }
}
