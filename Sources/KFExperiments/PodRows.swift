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
        // Fields read in place (a whole `Pod` copied out would count a reference per field).
        return pods.withUnsafeBufferPointer { b in
            let p = b.baseAddress! + i
            let status = p.pointee.status
            return PodRow(pod: p.pointee.spec.name, namespace: p.pointee.spec.namespace,
                          owner: p.pointee.owner.job >= 0 ? jobNames[Int(p.pointee.owner.job)] : "",
                          node: status.node >= 0 ? nodeNames[Int(status.node)] : "",
                          created: p.pointee.createdAt, scheduled: status.scheduledAt, started: status.startedAt,
                          finished: status.finishedAt, phase: status.termination?.rawValue ?? status.phase.rawValue,
                          attempts: Int(p.pointee.scheduling.attempts), reason: status.phase == .succeeded ? "" : status.reason,
                          requests: p.pointee.resources.requests, firstFailure: p.pointee.scheduling.firstFailure,
                          lastFailure: p.pointee.scheduling.lastFailure)
        }
    }

    /// What the summary reads of each row, in order, without making the row: its phase, whether it
    /// started, and the row itself on demand.
    func forEachPhase(_ body: (_ phase: String, _ started: Bool, _ row: () -> PodRow) -> Void) {
        pods.withUnsafeBufferPointer { b in
            for i in b.indices {
                let status = b[i].status
                body(status.termination?.rawValue ?? status.phase.rawValue, status.startedAt >= 0) { self[i] }
            }
        }
        for row in uncreated { body(row.phase, row.started >= 0) { row } }
    }
}
