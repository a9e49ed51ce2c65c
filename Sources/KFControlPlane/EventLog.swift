import KFCluster
import KFEngine
import KFScheduler

/// One row of `events.csv`: a scheduling attempt (with its per-filter diagnosis and, on request, the
/// scores of the chosen node and the runner-up) or a creation the API server refused.
public struct LoggedEvent: Sendable, Equatable {
    /// When.
    public var time: SimTime
    /// `attempt` or `refused`.
    public var kind: String
    /// The pod (for a refused creation, the pod the controller wanted).
    public var pod: String, namespace: String
    /// `bound`, `waiting`, `preempting`, `unschedulable`, `futile`; `refused` for a refused creation.
    public var outcome: String
    /// The node chosen or nominated (empty: none).
    public var node: String
    /// The diagnosis or the refusal.
    public var reason: String
    /// `Filter:nodes;...`: how many nodes each filter rejected.
    public var rejectedBy: String
    /// Nodes the filters examined.
    public var examined: Int
    /// `Plugin=score;...` (normalised, unweighted) and the weighted total, of the chosen node.
    public var chosenScores: String
    /// The runner-up node and its scores.
    public var runnerUp: String, runnerUpScores: String
}

extension Simulation {
    /// Starts recording `events.csv` (attempts; with `scores`, the chosen and runner-up nodes' scores).
    func recordEvents(scores: Bool) {
        scheduler.recordScores = scores
        scheduler.onAttempt = { [unowned self] a in
            let pod = cluster.pods[Int(a.pod)]
            func text(_ s: NodeScore?) -> String {
                guard let s else { return "" }
                return s.byPlugin.map { "\($0.name)=\($0.score)" }.joined(separator: ";") + ";total=\(s.total)"
            }
            recorder.events.append(LoggedEvent(
                time: now, kind: "attempt", pod: pod.spec.name, namespace: pod.spec.namespace, outcome: a.outcome,
                node: a.node >= 0 ? cluster.nodes[Int(a.node)].spec.name : "", reason: a.reason,
                rejectedBy: a.rejections.map { "\($0.plugin):\($0.nodes)" }.joined(separator: ";"), examined: a.examined,
                chosenScores: text(a.chosen), runnerUp: a.runnerUp.map { cluster.nodes[Int($0.node)].spec.name } ?? "",
                runnerUpScores: text(a.runnerUp)))
        }
    }

    /// Records a creation the API server refused.
    func recordRefusal(_ spec: PodSpec, _ refusal: Admission.Refusal) {
        recorder.events.append(LoggedEvent(time: now, kind: "refused", pod: spec.name, namespace: spec.namespace, outcome: "refused",
                                           node: "", reason: refusal.message, rejectedBy: "", examined: 0, chosenScores: "",
                                           runnerUp: "", runnerUpScores: ""))
    }
}
