import Foundation

/// The HorizontalPodAutoscaler's replica calculation, as upstream computes it
/// (kubernetes pkg/controller/podautoscaler/replica_calculator.go and metrics/utilization.go, v1.34):
/// pods grouped into ready, unready, missing and ignored; integer utilisation percent; the 0.1
/// tolerance (`1 - t <= ratio <= 1 + t`); missing pods assumed at the target when scaling down and idle
/// when scaling up; unready pods assumed idle when scaling up; no change when that flips the direction.
public enum HPAReplicaCalculator {
    /// What the calculator knows of one pod selected by the target.
    public struct PodSample: Sendable {
        public enum Phase: Sendable { case pending, running, failed }
        public var phase: Phase
        /// Being deleted (a scaled-down replica finishing its requests).
        public var deleting = false
        /// The pod's Ready condition (nil: none yet) and when it last changed.
        public var ready: Bool?
        public var readyTransition: Double = 0
        /// When the pod started (nil: not yet).
        public var startTime: Double?
        /// The request of the metric's resource, milli-units (CPU millicores).
        public var request: Int64 = 0
        /// The metric: value (milli-units), when it was taken and over which window (nil: missing).
        public var metric: (value: Int64, timestamp: Double, window: Double)?
        /// A pod sample.
        public init(phase: Phase, ready: Bool?, readyTransition: Double = 0, startTime: Double?, request: Int64 = 0,
                    metric: (value: Int64, timestamp: Double, window: Double)?) {
            self.phase = phase
            self.ready = ready
            self.readyTransition = readyTransition
            self.startTime = startTime
            self.request = request
            self.metric = metric
        }
    }

    /// Upstream defaults: tolerance, CPU initialisation period, initial readiness delay (seconds).
    public static let tolerance = 0.1
    public static let cpuInitializationPeriod = 300.0
    public static let delayOfInitialReadinessStatus = 30.0

    static func isWithin(_ ratio: Double) -> Bool { 1.0 - tolerance <= ratio && ratio <= 1.0 + tolerance }

    /// Ready pods with metrics, unready and missing pods (by index); ignored pods are left out.
    static func group(_ pods: [PodSample], cpu: Bool, now: Double) -> (ready: [Int], unready: [Int], missing: [Int]) {
        var ready: [Int] = [], unready: [Int] = [], missing: [Int] = []
        for (i, p) in pods.enumerated() {
            if p.deleting || p.phase == .failed { continue }
            if p.phase == .pending { unready.append(i); continue }
            guard let m = p.metric else { missing.append(i); continue }
            if cpu {
                let notReady: Bool
                if let condition = p.ready, let start = p.startTime {
                    if start + cpuInitializationPeriod > now {
                        notReady = !condition || m.timestamp < p.readyTransition + m.window
                    } else {
                        notReady = !condition && start + delayOfInitialReadinessStatus > p.readyTransition
                    }
                } else {
                    notReady = true
                }
                if notReady { unready.append(i); continue }
            }
            ready.append(i)
        }
        return (ready, unready, missing)
    }

    /// Replicas for a utilisation target (`targetUtilization` percent of the pods' requests); nil when
    /// the metric cannot be computed (no pods, no metrics, no requests).
    public static func utilizationReplicas(current: Int, targetUtilization: Int32, pods: [PodSample], cpu: Bool, now: Double) -> Int? {
        guard !pods.isEmpty else { return nil }
        let (ready, unready, missing) = group(pods, cpu: cpu, now: now)
        var values: [Int: Int64] = [:]
        for i in ready { values[i] = pods[i].metric!.value }
        guard !values.isEmpty else { return nil }
        func ratio(_ values: [Int: Int64]) -> Double? {
            var metrics: Int64 = 0, requests: Int64 = 0
            for (i, v) in values where pods[i].request > 0 {
                metrics += v
                requests += pods[i].request
            }
            guard requests > 0 else { return nil }
            let utilization = Int32(truncatingIfNeeded: (metrics &* 100) / requests)
            return Double(utilization) / Double(targetUtilization)
        }
        guard let usageRatio = ratio(values) else { return nil }
        let scaleUpWithUnready = !unready.isEmpty && usageRatio > 1.0
        if !scaleUpWithUnready && missing.isEmpty {
            if isWithin(usageRatio) { return current }
            return Int((usageRatio * Double(ready.count)).rounded(.up))
        }
        for i in missing {
            if usageRatio < 1.0 {
                values[i] = pods[i].request * Int64(max(100, targetUtilization)) / 100
            } else if usageRatio > 1.0 {
                values[i] = 0
            }
        }
        if scaleUpWithUnready { for i in unready { values[i] = 0 } }
        guard let newRatio = ratio(values) else { return nil }
        return rebalanced(current: current, usageRatio: usageRatio, newRatio: newRatio, count: values.count)
    }

    /// Replicas for an average-value target of a per-pod metric (requests per second, concurrency) or a
    /// raw resource (`cpu`: the CPU readiness rules apply), `target` in milli-units.
    public static func averageValueReplicas(current: Int, target: Int64, pods: [PodSample], cpu: Bool, now: Double) -> Int? {
        guard !pods.isEmpty, target > 0 else { return nil }
        let (ready, unready, missing) = group(pods, cpu: cpu, now: now)
        var values: [Int: Int64] = [:]
        for i in ready { values[i] = pods[i].metric!.value }
        guard !values.isEmpty else { return nil }
        func ratio(_ values: [Int: Int64]) -> Double {
            let usage = values.values.reduce(Int64(0), &+) / Int64(values.count)
            return Double(usage) / Double(target)
        }
        let usageRatio = ratio(values)
        let scaleUpWithUnready = !unready.isEmpty && usageRatio > 1.0
        if !scaleUpWithUnready && missing.isEmpty {
            if isWithin(usageRatio) { return current }
            return Int((usageRatio * Double(ready.count)).rounded(.up))
        }
        for i in missing {
            if usageRatio < 1.0 { values[i] = target } else if usageRatio > 1.0 { values[i] = 0 }
        }
        if scaleUpWithUnready { for i in unready { values[i] = 0 } }
        return rebalanced(current: current, usageRatio: usageRatio, newRatio: ratio(values), count: values.count)
    }

    /// The proposal after missing and unready pods were filled in: no change when within tolerance or
    /// when the direction flipped.
    static func rebalanced(current: Int, usageRatio: Double, newRatio: Double, count: Int) -> Int {
        if isWithin(newRatio) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0) { return current }
        let proposal = Int((newRatio * Double(count)).rounded(.up))
        if (newRatio < 1.0 && proposal > current) || (newRatio > 1.0 && proposal < current) { return current }
        return proposal
    }
}
