import KFCluster
import KFControlPlane
import KFEngine

/// A HorizontalPodAutoscaler (autoscaling/v2) as a manifest says it: the target Deployment, min and max
/// replicas, metrics and behavior.
public struct HPASpec: Sendable {
    /// A metric the HPA scales on.
    public enum Metric: Sendable, Equatable {
        /// CPU use as a percentage of the pods' CPU requests (`Resource` cpu, `Utilization`).
        case cpuUtilization(Int32)
        /// CPU use per pod in millicores (`Resource` cpu, `AverageValue`).
        case cpuAverageValue(Int64)
        /// A per-pod metric (`Pods` type): requests per second or concurrency, target in milli-units.
        case pods(PodMetric, Int64)
    }
    /// The per-pod metrics a service reports.
    public enum PodMetric: String, Sendable, CaseIterable {
        case requestsPerSecond = "requests_per_second"
        case concurrency
    }
    public var name: String
    public var target: String
    public var minReplicas: Int
    public var maxReplicas: Int
    public var metrics: [Metric]
    /// Its behavior (nil: none written, the legacy rules apply).
    public var behavior: HPABehavior?

    /// An HPA.
    public init(name: String, target: String, minReplicas: Int = 1, maxReplicas: Int, metrics: [Metric], behavior: HPABehavior? = nil) {
        self.name = name
        self.target = target
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metrics = metrics
        self.behavior = behavior
    }
}

/// The HPA controller for one service: every `sync` seconds (15) it reads the metrics the metrics server
/// scraped last (every `resolution` seconds, 15: CPU and per-pod rates over the last window), computes
/// each metric's proposal (`HPAReplicaCalculator`), takes the largest, applies the behavior
/// (`HPAHistory`) and scales the Deployment. Its timers are passive: it never keeps a run alive.
public final class HPAController: SystemController {
    public let name: String
    public let spec: HPASpec
    unowned let target: ServiceController
    let sync: SimTime, resolution: SimTime
    var history = HPAHistory()
    enum Timer { case scrape, sync }
    var timers = ControllerTimers<Timer>()
    /// Per replica: the last two scrapes (time, CPU core-seconds, busy request-seconds, served requests).
    var scrapes: [Int: [(time: SimTime, cpu: Double, busy: Double, served: Int)]] = [:]
    /// Replicas set by this HPA, with their times (for tests and outputs).
    public private(set) var decisions: [(time: SimTime, replicas: Int)] = []

    /// An HPA of `target`.
    public init(spec: HPASpec, target: ServiceController, sync: Double = 15, resolution: Double = 15) {
        self.name = spec.name
        self.spec = spec
        self.target = target
        self.sync = Clock.micros(seconds: sync)
        self.resolution = Clock.micros(seconds: resolution)
    }

    public func start(in sim: ControllerContext) {
        timers.owner = sim.index(of: self)
        timers.set(.scrape, at: resolution, passive: true, in: sim)
        timers.set(.sync, at: sync, passive: true, in: sim)
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        guard !target.finished else { return }
        switch timers.fired(timer) {
        case .scrape?:
            scrape(sim)
            timers.set(.scrape, at: sim.now + resolution, passive: true, in: sim)
        case .sync?:
            reconcile(sim)
            timers.set(.sync, at: sim.now + sync, passive: true, in: sim)
        default:
            break
        }
    }

    /// The metrics server's scrape: each running replica's cumulative counters now.
    func scrape(_ sim: ControllerContext) {
        target.catchUp(sim)
        target.refreshRates(sim)
        for (r, replica) in target.replicas.enumerated() where !replica.gone && replica.startedAt >= 0 {
            var list = scrapes[r] ?? []
            if list.isEmpty && sim.now - replica.startedAt >= Clock.micros(seconds: 10) {
                // A fresh container: a first point at its start, with nothing used.
                list.append((replica.startedAt, 0, 0, 0))
            }
            list.append((sim.now, replica.cpuSeconds, replica.busySeconds, replica.served))
            scrapes[r] = Array(list.suffix(2))
        }
    }

    /// The per-pod samples for `metric`, from the last two scrapes.
    func samples(_ metric: HPASpec.Metric, _ sim: ControllerContext) -> [HPAReplicaCalculator.PodSample] {
        var out: [HPAReplicaCalculator.PodSample] = []
        for (r, replica) in target.replicas.enumerated() where !replica.gone {
            let phase: HPAReplicaCalculator.PodSample.Phase = replica.startedAt >= 0 ? .running : .pending
            var s = HPAReplicaCalculator.PodSample(phase: phase, ready: replica.startedAt >= 0 ? replica.ready : nil,
                                                  readyTransition: Clock.seconds(replica.ready ? replica.readyAt : replica.startedAt),
                                                  startTime: replica.startedAt >= 0 ? Clock.seconds(replica.startedAt) : nil, metric: nil)
            s.deleting = replica.terminating
            if replica.pod >= 0 { s.request = sim.cluster.pods[Int(replica.pod)].resources.requests.cpu }
            if let list = scrapes[r], list.count == 2, list[1].time > list[0].time {
                let window = Clock.seconds(list[1].time - list[0].time)
                let value: Double
                switch metric {
                case .cpuUtilization, .cpuAverageValue: value = (list[1].cpu - list[0].cpu) / window
                case .pods(.requestsPerSecond, _): value = Double(list[1].served - list[0].served) / window
                case .pods(.concurrency, _): value = (list[1].busy - list[0].busy) / window
                }
                s.metric = (Int64(value * 1000), Clock.seconds(list[1].time), window)
            }
            out.append(s)
        }
        return out
    }

    /// One sync of the HPA (horizontal.go `reconcileAutoscaler`).
    func reconcile(_ sim: ControllerContext) {
        let current = target.desired
        let now = Clock.seconds(sim.now)
        var desired: Int
        if current == 0 && spec.minReplicas != 0 {
            return  // scaling disabled
        } else if current > spec.maxReplicas {
            desired = spec.maxReplicas
        } else if current < spec.minReplicas {
            desired = spec.minReplicas
        } else {
            var proposal = 0, invalid = 0
            for metric in spec.metrics {
                let pods = samples(metric, sim)
                let p: Int?
                switch metric {
                case .cpuUtilization(let u): p = HPAReplicaCalculator.utilizationReplicas(current: current, targetUtilization: u, pods: pods, cpu: true, now: now)
                case .cpuAverageValue(let v): p = HPAReplicaCalculator.averageValueReplicas(current: current, target: v, pods: pods, cpu: true, now: now)
                case .pods(_, let v): p = HPAReplicaCalculator.averageValueReplicas(current: current, target: v, pods: pods, cpu: false, now: now)
                }
                guard let p else { invalid += 1; continue }
                if proposal == 0 || p > proposal { proposal = p }
            }
            if invalid >= spec.metrics.count || (invalid > 0 && proposal < current) { return }
            desired = history.normalize(proposal: proposal, current: current, min: spec.minReplicas, max: spec.maxReplicas,
                                        behavior: spec.behavior, now: now)
        }
        guard desired != current else { return }
        target.scale(to: desired, sim)
        history.recordScale(from: current, to: desired, behavior: spec.behavior, now: now)
        decisions.append((sim.now, desired))
    }
}
