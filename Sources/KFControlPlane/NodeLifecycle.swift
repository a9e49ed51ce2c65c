import KFCluster
import KFEngine

/// Changes to the cluster's nodes at given times (a scenario's `cluster.nodeEvents`, or a test's):
/// nodes join, join a group, are cordoned, uncordoned, drained or deleted.
public final class NodeLifecycle: SystemController {
    /// One change.
    public enum Action: Equatable, Sendable {
        /// A new node.
        case add(NodeSpec)
        /// A new node of a group, from its template.
        case addToGroup(String)
        /// Cordon the named node.
        case cordon(String)
        /// Uncordon the named node.
        case uncordon(String)
        /// Drain the named node (cordon, evict its pods).
        case drain(String)
        /// Delete the named node (its pods are deleted first).
        case delete(String)
    }

    public let name = "node-lifecycle"
    /// The changes, in time order (ties in the order given).
    public let events: [(time: SimTime, action: Action)]
    private var timers = ControllerTimers<Int>()

    /// Changes `events` at their times.
    public init(events: [(time: SimTime, action: Action)]) {
        self.events = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// Adds the lifecycle to `simulation` (its timers keep the run alive until the last change).
    public func attach(to simulation: Simulation) {
        _ = simulation.add(system: self)
    }

    public func start(in context: ControllerContext) {
        timers.owner = context.index(of: self)
        for (i, e) in events.enumerated() { timers.set(i, at: e.time, in: context) }
    }

    public func fire(_ timer: Scheduled, in context: ControllerContext) {
        guard let i = timers.fired(timer) else { return }
        let cluster = context.cluster
        func node(_ name: String) -> Int32? {
            cluster.liveNodes.first { cluster.nodes[Int($0)].spec.name == name }
        }
        switch events[i].action {
        case .add(let spec): context.addNode(spec)
        case .addToGroup(let group): _ = context.addNode(toGroup: group)
        case .cordon(let n): if let n = node(n) { context.cordon(n, true) }
        case .uncordon(let n): if let n = node(n) { context.cordon(n, false) }
        case .drain(let n): if let n = node(n) { context.drain(n) }
        case .delete(let n): if let n = node(n) { context.deleteNode(n) }
        }
    }
}
