import Foundation
import KFCluster
import KFControlPlane
import KFEngine

/// An autoscaler of a service: a system controller that scales it, and what it decided.
public protocol ServiceAutoscaler: SystemController {
    /// Replicas it set, with the times.
    var decisions: [(time: SimTime, replicas: Int)] { get }
}

extension HPAController: ServiceAutoscaler {}

/// Knative's Pod Autoscaler (KPA) for a service in serverless mode, as knative/serving computes it
/// (pkg/autoscaler/scaling/autoscaler.go `Scale`, kpa/scaler.go, config defaults): every second the
/// revision's concurrency (requests in service or waiting at the activator, time-averaged over the
/// second) or its request rate goes into a 1 s bucket; every 2 s the stable (60 s) and panic (6 s)
/// window averages give ceil(average / target) pods, limited by the scale-up (x1000) and scale-down
/// (/2) rates; panic mode starts when the panic count reaches twice the ready pods and holds the count
/// from falling until a stable window passes without that; zero is applied once the service has been
/// active a stable window; a request that finds no replica pokes the autoscaler at once (the activator
/// holds it meanwhile: the service's balancer queue).
public final class KPAController: ServiceAutoscaler {
    /// What the KPA aims for.
    public struct Spec: Sendable, Equatable {
        public enum Metric: String, Sendable, CaseIterable { case concurrency, rps }
        public var metric: Metric
        /// The per-pod target (already times the target utilisation).
        public var target: Double
        public var minScale: Int, maxScale: Int
        public var stableWindow: Double = 60, panicWindow: Double = 6, panicThreshold: Double = 2
        public var maxScaleUpRate: Double = 1000, maxScaleDownRate: Double = 2

        /// A spec from Knative's settings: `containerConcurrency` (0: unlimited), the `target`
        /// annotation and target utilisation (ResolveMetricTarget).
        public init(metric: Metric, containerConcurrency: Int, target: Double?, utilization: Double = 0.7, minScale: Int, maxScale: Int) {
            var total = metric == .rps ? 200.0 : (containerConcurrency > 0 ? Double(containerConcurrency) : 100)
            if let target {
                total = target
                if metric == .concurrency && containerConcurrency > 0 { total = min(target, Double(containerConcurrency)) }
            }
            self.metric = metric
            self.target = max(0.01, total * utilization)
            self.minScale = minScale
            self.maxScale = maxScale
        }
    }

    public let name: String
    public let spec: Spec
    unowned let target: ServiceController
    enum Timer { case scrape, tick }
    var timers = ControllerTimers<Timer>()
    /// Per-second values (revision totals) from `firstWrite` to `lastWrite` (seconds), at most a stable
    /// window of them; and the counters at the last scrape.
    var buckets: [Double] = []
    var firstWrite = -1, lastWrite = -1
    var lastConcurrency = 0.0, lastArrived = 0
    var panicTime: Double = 0, maxPanicPods = 0
    /// When the service last went from zero to serving (nil: never scaled from zero).
    var activeSince: Double = 0
    public private(set) var decisions: [(time: SimTime, replicas: Int)] = []
    /// Keeps a target alive when the KPA is used alone (tests).
    var keep: ServiceController?

    /// A KPA of `target`.
    public init(name: String, spec: Spec, target: ServiceController) {
        self.name = name
        self.spec = spec
        self.target = target
    }

    public func start(in sim: ControllerContext) {
        timers.owner = sim.index(of: self)
        timers.set(.scrape, at: Clock.micros(seconds: 1), passive: true, in: sim)
        timers.set(.tick, at: Clock.micros(seconds: 2), passive: true, in: sim)
        target.onColdRequest = { [unowned self] sim in poke(sim) }
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        guard !target.finished else { return }
        switch timers.fired(timer) {
        case .scrape?:
            scrape(sim)
            timers.set(.scrape, at: sim.now + Clock.micros(seconds: 1), passive: true, in: sim)
        case .tick?:
            apply(scale(now: Clock.seconds(sim.now)), sim)
            timers.set(.tick, at: sim.now + Clock.micros(seconds: 2), passive: true, in: sim)
        default:
            break
        }
    }

    /// The last second's bucket: average requests present, or requests arrived. Knative writes one only
    /// when something reports: a ready pod (the scraper) or requests held at the activator.
    func scrape(_ sim: ControllerContext) {
        target.catchUp(sim)
        let value: Double
        switch spec.metric {
        case .concurrency: value = target.concurrencySeconds - lastConcurrency
        case .rps: value = Double(target.stats.arrived - lastArrived)
        }
        lastConcurrency = target.concurrencySeconds
        lastArrived = target.stats.arrived
        let reports = !target.routableReplicas.isEmpty || value > 0
        if reports { record(Int(Clock.seconds(sim.now).rounded(.down)) - 1, value) }
    }

    /// Writes second `second`'s value (TimedFloat64Buckets.Record): seconds skipped since the last write
    /// are zeros; after a gap of a whole window the buckets start again.
    func record(_ second: Int, _ value: Double) {
        let window = Int(spec.stableWindow)
        if lastWrite < 0 || second - lastWrite >= window {
            buckets = []
            firstWrite = second
        } else {
            for _ in stride(from: lastWrite + 1, to: second, by: 1) { buckets.append(0) }
        }
        buckets.append(value)
        lastWrite = second
        if buckets.count > window { buckets.removeFirst(buckets.count - window) }
    }

    /// The average of the window's buckets as Knative takes it (WindowAverage): only seconds since the
    /// first write count, trailing seconds without a write do not, nothing after a whole window without
    /// one; floored to 6 decimals.
    func average(_ window: Double, now: Double) -> Double {
        let w = Int(window), t = Int(now.rounded(.down)) - 1
        guard lastWrite >= 0, t - lastWrite < w else { return 0 }
        let from = max(firstWrite, t - w + 1)
        guard from <= lastWrite else { return 0 }
        let count = lastWrite - from + 1
        let sum = buckets.suffix(count).reduce(0, +)
        let divisor = min(lastWrite - firstWrite + 1, w - max(t - lastWrite, 0))
        guard divisor > 0 else { return 0 }
        let avg = sum / Double(divisor)
        return (avg * 1e6).rounded(.down) / 1e6
    }

    /// `Scale()`: the pods wanted now.
    public func scale(now: Double) -> Int {
        let ready = target.routableReplicas.count
        let readyF = Double(max(1, ready))
        let stable = average(spec.stableWindow, now: now), panic = average(spec.panicWindow, now: now)
        let maxUp = (spec.maxScaleUpRate * readyF).rounded(.up)
        let maxDown = (readyF / spec.maxScaleDownRate).rounded(.down)
        let dspc = (stable / spec.target).rounded(.up), dppc = (panic / spec.target).rounded(.up)
        let desiredStable = Int(min(max(dspc, maxDown), maxUp)), desiredPanic = Int(min(max(dppc, maxDown), maxUp))
        let over = dppc / readyF >= spec.panicThreshold
        if over {
            panicTime = now
        } else if panicTime != 0 && panicTime + spec.stableWindow < now {
            panicTime = 0
            maxPanicPods = 0
        }
        var want = desiredStable
        if panicTime != 0 {
            want = max(want, desiredPanic)
            if want > maxPanicPods { maxPanicPods = want }
            want = maxPanicPods
        }
        return want
    }

    /// Applies `want` within min and max scale; zero only once the service was active a stable window.
    func apply(_ want: Int, _ sim: ControllerContext) {
        var desired = max(want, spec.minScale)
        if spec.maxScale > 0 { desired = min(desired, spec.maxScale) }
        let now = Clock.seconds(sim.now)
        if desired == 0 && now - activeSince < spec.stableWindow { desired = 1 }
        let current = target.desired
        guard desired != current else { return }
        if current == 0 { activeSince = now }
        target.scale(to: desired, sim)
        decisions.append((sim.now, desired))
    }

    /// A request found no replica: the activator reports it at once (concurrency 1 in the current
    /// second) and the autoscaler decides right away.
    func poke(_ sim: ControllerContext) {
        guard target.desired == 0 else { return }
        let now = Clock.seconds(sim.now)
        record(Int(now.rounded(.down)), Double(max(target.present, 1)))
        apply(scale(now: now + 1), sim)
    }
}
