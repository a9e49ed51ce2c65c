import KFCluster

/// One scheduling attempt, as `events.csv` records it (kube-scheduler-simulator's result annotations):
/// the outcome, how many nodes each filter rejected, and on request the scores of the chosen node and
/// of the runner-up.
public struct SchedulingAttempt: Sendable {
    /// The pod.
    public var pod: PodID
    /// `bound`, `waiting` (held at Permit), `preempting`, `unschedulable` or `futile` (a retry that
    /// could not succeed, counted without a cycle).
    public var outcome: String
    /// The node chosen or nominated (-1: none).
    public var node: Int32
    /// The diagnosis when no node fits (empty otherwise).
    public var reason: String
    /// Nodes rejected per filter plugin, in profile order (only filters that rejected some).
    public var rejections: [(plugin: String, nodes: Int)]
    /// Nodes examined by the filters.
    public var examined: Int
    /// Scores of the chosen node and of the runner-up (when scores are recorded and nodes were scored).
    public var chosen: NodeScore?, runnerUp: NodeScore?
}

extension Scheduler {
    /// Reports the attempt just made for `id` to `onAttempt`.
    func reportAttempt(_ id: PodID, _ outcome: ScheduleOutcome) {
        guard let onAttempt else { return }
        var attempt = SchedulingAttempt(pod: id, outcome: "", node: -1, reason: "", rejections: [], examined: lastExamined)
        switch outcome {
        case .bound(let node): attempt.outcome = "bound"; attempt.node = node
        case .waiting(let node, _): attempt.outcome = "waiting"; attempt.node = node
        case .preempting(let node, _, let reason, _): attempt.outcome = "preempting"; attempt.node = node; attempt.reason = reason
        case .unschedulable(let reason, _): attempt.outcome = "unschedulable"; attempt.reason = reason
        }
        if let profile = profiles[cluster.pods[Int(id)].spec.schedulerName] {
            var counts = [Int](repeating: 0, count: profile.filters.count)
            for k in 0..<min(lastExamined, seenBy.count) where seenBy[k] >= 0 && seenBy[k] < counts.count { counts[seenBy[k]] += 1 }
            attempt.rejections = profile.filters.indices.filter { counts[$0] > 0 }.map { (profile.filters[$0].name, counts[$0]) }
        }
        if recordScores, attempt.node >= 0, !lastScores.isEmpty {
            attempt.chosen = lastScores.first { $0.node == attempt.node }
            attempt.runnerUp = lastScores.filter { $0.node != attempt.node }.max { $0.total != $1.total ? $0.total < $1.total : $0.node > $1.node }
        }
        onAttempt(attempt)
    }

    /// Reports a futile retry (counted without a cycle).
    func reportFutile(_ id: PodID) {
        onAttempt?(SchedulingAttempt(pod: id, outcome: "futile", node: -1, reason: cluster.pods[Int(id)].reason, rejections: [], examined: 0))
    }
}
