import KFCluster
import KFControlPlane

/// The rows of `pods.csv`: the finished cluster's pods in creation order, then the pods never created.
/// Rows are made when read, from the cluster's pod table (shared, not copied), so a run of a million pods
/// never holds a million rows beside its pods: writing `pods.csv` and computing the summary each read
/// the rows once, and a sweep, which keeps only the summary, never makes them.
public struct PodRows: RandomAccessCollection, Sendable {
    /// The cluster's pods (the finished simulation's array, shared copy-on-write).
    let pods: [Pod]
    /// Node names by node index.
    let nodeNames: [String]
    /// Job names by job index.
    let jobNames: [String]
    /// Rows of pods never created.
    let uncreated: [PodRow]

    /// The rows of a finished simulation.
    init(_ sim: Simulation) {
        let cluster = sim.cluster
        pods = cluster.pods
        nodeNames = cluster.nodes.map(\.spec.name)
        jobNames = sim.jobs.map(\.name)
        var rows: [PodRow] = []
        for c in sim.workloads {
            for u in c.uncreatedPods() {
                rows.append(PodRow(pod: u.name, namespace: u.namespace, owner: u.owner, node: "", created: -1, scheduled: -1,
                                   started: -1, finished: -1, phase: "NotCreated", attempts: u.attempts, reason: u.reason))
            }
        }
        uncreated = rows
    }

    /// Rows given as rows (e.g. in tests).
    public init(_ rows: [PodRow]) {
        pods = []
        nodeNames = []
        jobNames = []
        uncreated = rows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { pods.count + uncreated.count }

    public subscript(i: Int) -> PodRow {
        guard i < pods.count else { return uncreated[i - pods.count] }
        let p = pods[i]
        return PodRow(pod: p.spec.name, namespace: p.spec.namespace, owner: p.owner.job >= 0 ? jobNames[Int(p.owner.job)] : "",
                      node: p.node >= 0 ? nodeNames[Int(p.node)] : "",
                      created: p.createdAt, scheduled: p.scheduledAt, started: p.startedAt, finished: p.finishedAt,
                      phase: p.status.termination?.rawValue ?? p.phase.rawValue, attempts: Int(p.attempts),
                      reason: p.phase == .succeeded ? "" : p.reason, requests: p.resources.requests,
                      firstFailure: p.scheduling.firstFailure, lastFailure: p.scheduling.lastFailure)
    }
}
