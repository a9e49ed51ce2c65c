import Foundation

/// An HPA's `behavior` (autoscaling/v2) and what the controller remembers between syncs: past
/// recommendations (stabilisation windows) and scale events (rate policies). Upstream:
/// pkg/controller/podautoscaler/horizontal.go, `normalizeDesiredReplicasWithBehaviors` and
/// `normalizeDesiredReplicas` (no behavior: scale up at most to max(2 x current, 4), 300 s down window).
public struct HPABehavior: Sendable, Equatable {
    /// One direction's rules.
    public struct Rules: Sendable, Equatable {
        public enum Select: String, Sendable, CaseIterable { case Max, Min, Disabled }
        public enum PolicyType: String, Sendable, CaseIterable { case Pods, Percent }
        public var stabilizationWindow: Double
        public var select: Select
        public var policies: [(type: PolicyType, value: Int, period: Double)]

        public init(stabilizationWindow: Double, select: Select = .Max, policies: [(type: PolicyType, value: Int, period: Double)]) {
            self.stabilizationWindow = stabilizationWindow
            self.select = select
            self.policies = policies
        }
        public static func == (a: Rules, b: Rules) -> Bool {
            a.stabilizationWindow == b.stabilizationWindow && a.select == b.select && a.policies.map(\.type) == b.policies.map(\.type)
                && a.policies.map(\.value) == b.policies.map(\.value) && a.policies.map(\.period) == b.policies.map(\.period)
        }
        /// Upstream's default scale-up: no window, the larger of +4 pods and +100% per 15 s.
        public static let defaultUp = Rules(stabilizationWindow: 0, policies: [(.Pods, 4, 15), (.Percent, 100, 15)])
        /// Upstream's default scale-down: 300 s window, -100% per 15 s.
        public static let defaultDown = Rules(stabilizationWindow: 300, policies: [(.Percent, 100, 15)])
    }
    public var scaleUp: Rules
    public var scaleDown: Rules

    /// A behavior.
    public init(scaleUp: Rules = .defaultUp, scaleDown: Rules = .defaultDown) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }
}

/// What an HPA remembers: recommendations and scale events with their times.
public struct HPAHistory: Sendable {
    var recommendations: [(replicas: Int, time: Double)] = []
    var upEvents: [(change: Int, time: Double, outdated: Bool)] = []
    var downEvents: [(change: Int, time: Double, outdated: Bool)] = []
    /// An empty history.
    public init() {}

    /// The replicas to set, given the metrics' proposal, with `behavior` (nil: the legacy rules).
    public mutating func normalize(proposal: Int, current: Int, min minReplicas: Int, max maxReplicas: Int,
                                   behavior: HPABehavior?, now: Double) -> Int {
        if recommendations.isEmpty { recommendations.append((current, now)) }
        guard let behavior else { return legacy(proposal: proposal, current: current, min: minReplicas, max: maxReplicas, now: now) }
        // Stabilisation: the lowest recommendation of the up window, the highest of the down window.
        let upCutoff = now - behavior.scaleUp.stabilizationWindow, downCutoff = now - behavior.scaleDown.stabilizationWindow
        var up = proposal, down = proposal
        var oldIndex: Int?
        for (i, r) in recommendations.enumerated() {
            if r.time > upCutoff { up = Swift.min(r.replicas, up) }
            if r.time > downCutoff { down = Swift.max(r.replicas, down) }
            if r.time < upCutoff && r.time < downCutoff { oldIndex = i }
        }
        var stabilized = Swift.max(current, up)
        stabilized = Swift.min(stabilized, down)
        if let i = oldIndex { recommendations[i] = (proposal, now) } else { recommendations.append((proposal, now)) }
        // Rate policies.
        if stabilized > current {
            let limit = Swift.max(scaleUpLimit(current: current, rules: behavior.scaleUp, now: now), current)
            return Swift.min(stabilized, Swift.min(maxReplicas, limit))
        }
        if stabilized < current {
            let limit = Swift.min(scaleDownLimit(current: current, rules: behavior.scaleDown, now: now), current)
            return Swift.max(stabilized, Swift.max(minReplicas, limit))
        }
        return stabilized
    }

    func change(in period: Double, _ events: [(change: Int, time: Double, outdated: Bool)], now: Double) -> Int {
        events.reduce(0) { $1.time > now - period ? $0 + $1.change : $0 }
    }

    func scaleUpLimit(current: Int, rules: HPABehavior.Rules, now: Double) -> Int {
        if rules.select == .Disabled { return current }
        var result = rules.select == .Max ? Int.min : Int.max
        for p in rules.policies {
            let start = current - change(in: p.period, upEvents, now: now) + change(in: p.period, downEvents, now: now)
            let proposed = p.type == .Pods ? start + p.value : Int((Double(start) * (1 + Double(p.value) / 100)).rounded(.up))
            result = rules.select == .Max ? Swift.max(result, proposed) : Swift.min(result, proposed)
        }
        return result
    }

    func scaleDownLimit(current: Int, rules: HPABehavior.Rules, now: Double) -> Int {
        if rules.select == .Disabled { return current }
        var result = rules.select == .Max ? Int.max : Int.min
        for p in rules.policies {
            let start = current - change(in: p.period, upEvents, now: now) + change(in: p.period, downEvents, now: now)
            let proposed = p.type == .Pods ? start - p.value : Int(Double(start) * (1 - Double(p.value) / 100))
            result = rules.select == .Max ? Swift.min(result, proposed) : Swift.max(result, proposed)
        }
        return result
    }

    /// `normalizeDesiredReplicas`: 300 s down stabilisation, up to max(2 x current, 4), min/max clamps.
    mutating func legacy(proposal: Int, current: Int, min minReplicas: Int, max maxReplicas: Int, now: Double) -> Int {
        let cutoff = now - 300
        var stabilized = proposal
        var oldIndex: Int?
        for (i, r) in recommendations.enumerated() {
            if r.time >= cutoff { stabilized = Swift.max(stabilized, r.replicas) } else { oldIndex = i }
        }
        if let i = oldIndex { recommendations[i] = (proposal, now) } else { recommendations.append((proposal, now)) }
        let maxAllowed = Swift.min(maxReplicas, Int(Swift.max(2.0 * Double(current), 4.0)))
        if stabilized < minReplicas { return minReplicas }
        return Swift.min(stabilized, maxAllowed)
    }

    /// Records a scale from `from` to `to` (with a behavior: the rate policies count it).
    public mutating func recordScale(from: Int, to: Int, behavior: HPABehavior?, now: Double) {
        guard let behavior, from != to else { return }
        func store(_ events: inout [(change: Int, time: Double, outdated: Bool)], _ rules: HPABehavior.Rules, _ change: Int) {
            let longest = rules.policies.map(\.period).max() ?? 0
            for i in events.indices where events[i].time < now - longest { events[i].outdated = true }
            if let slot = events.lastIndex(where: \.outdated) { events[slot] = (change, now, false) } else { events.append((change, now, false)) }
        }
        if to > from { store(&upEvents, behavior.scaleUp, to - from) } else { store(&downEvents, behavior.scaleDown, from - to) }
    }
}
