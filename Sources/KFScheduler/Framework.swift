import KFCluster
import KFEngine

/// The state of one scheduling cycle: the pod being placed and the cluster it is placed in.
///
/// Plugins read it; per-cycle results of PreFilter/PreScore live in `state`, emptied at each cycle.
public final class CycleContext {
    /// The cluster.
    public let cluster: ClusterState
    /// The pod being scheduled.
    public internal(set) var pod: Pod { didSet { derive() } }
    /// Nodes that passed filtering, in examination order (valid from PreScore on).
    public internal(set) var feasible: [Int32] {
        get {
            if let w = window, !listed { list(w) }
            return feasibleNodes
        }
        set {
            window = nil
            feasibleNodes = newValue
        }
    }
    /// How many nodes passed filtering (without listing them).
    var feasibleCount: Int { window?.count ?? feasibleNodes.count }
    var feasibleNodes: [Int32] = []
    /// The feasible nodes as the feasibility index found them, when it did (listed on first read).
    var window: FeasibleWindow? { didSet { listed = false } }
    private var listed = false
    /// What the plugins computed for this pod in this cycle.
    public let state = CycleState()
    /// The time of the cycle.
    public internal(set) var now: SimTime = 0
    /// Requests (and pod count) of pods nominated to each node with at least this pod's priority: the
    /// filters count them as present (kube-scheduler's `RunFilterPluginsWithNominatedPods`).
    public internal(set) var nominatedExtra: [Int32: (requests: Resources, pods: Int64)] = [:]
    /// When no node fits: each rejected node, the filter that rejected it and why (for PostFilter;
    /// built on first use).
    public var rejectedNodes: [(node: Int32, plugin: String, reason: String)] { rejectedNodesSource?() ?? [] }
    var rejectedNodesSource: (() -> [(node: Int32, plugin: String, reason: String)])?
    /// The scheduler running the cycle, for PostFilter plugins.
    public internal(set) unowned(unsafe) var framework: SchedulingFramework?

    // Facts about the pod that per-node code reads, kept as plain values (no reference counting).
    /// The pod's requests.
    public private(set) var requests: Resources = .zero
    /// The pod's requests with scoring defaults.
    public private(set) var scoringRequests: Resources = .zero
    /// Whether the pod has a nodeSelector or node affinity.
    public private(set) var hasNodeConstraints = false
    /// Whether the pod has preferred node affinity terms.
    public private(set) var hasPreferredNodeAffinity = false
    /// Whether any container names an image.
    public private(set) var hasImages = false
    /// Ids of the pod's containers' images known to the cluster (one per container; -1 when unknown).
    public private(set) var imageIDs: [Int] = []

    private func list(_ w: FeasibleWindow) {
        var nodes = feasibleNodes
        feasibleNodes = []
        nodes.removeAll(keepingCapacity: true)
        nodes.reserveCapacity(w.count)
        w.list(cluster, into: &nodes)
        feasibleNodes = nodes
        listed = true
    }

    init(cluster: ClusterState, pod: Pod) {
        self.cluster = cluster
        self.pod = pod
        derive()
    }

    private func derive() {
        requests = pod.resources.requests
        scoringRequests = pod.resources.scoringRequests
        hasNodeConstraints = !pod.spec.nodeSelector.isEmpty || pod.spec.nodeAffinity != nil
        hasPreferredNodeAffinity = !(pod.spec.nodeAffinity?.preferred.isEmpty ?? true)
        imageIDs = cluster.knownImageIDs(of: pod.spec.containers)
        hasImages = imageIDs.contains { $0 >= 0 }
    }
}

/// A named scheduler plugin. It implements only the stage protocols it needs.
public protocol SchedulerPlugin: AnyObject {
    /// The plugin's registered name, e.g. `NodeResourcesFit`.
    var name: String { get }
    /// The plugin as each stage protocol it implements, nil where it does not (`PluginRoles.swift`:
    /// answered by the stage protocols' extensions, never implemented by hand).
    var asQueueSort: QueueSortPlugin? { get }
    var asPreFilter: PreFilterPlugin? { get }
    var asFilter: FilterPlugin? { get }
    var asPostFilter: PostFilterPlugin? { get }
    var asPreScore: PreScorePlugin? { get }
    var asScore: ScorePlugin? { get }
    var asReserve: ReservePlugin? { get }
    var asPermit: PermitPlugin? { get }
    var asClusterEventPlugin: ClusterEventPlugin? { get }
    var asEnqueueExtensions: EnqueueExtensions? { get }
}

/// Keeps state of its own from the cluster's events (as plugins of kube-scheduler watch informers).
public protocol ClusterEventPlugin: SchedulerPlugin {
    /// `event` happened in `cluster` (delivered before the scheduling queue's hints run).
    func observe(_ event: ClusterEvent, in cluster: ClusterState)
}

/// Orders the scheduling queue.
public protocol QueueSortPlugin: SchedulerPlugin {
    /// The key pods are sorted by (smaller first); ties go to the earlier-created pod id. `timestamp` is
    /// the queue's timestamp of the pod: when it was added, reset at each failed attempt.
    func sortKey(_ pod: PodID, timestamp: SimTime, in cluster: ClusterState) -> QueueSortKey
}

/// Whether a cluster event may make a pod that a plugin rejected schedulable.
public enum QueueingHint: Sendable, Equatable {
    /// Retry the pod (after its backoff).
    case queue
    /// The event cannot help: leave the pod where it is.
    case skip
}

/// Says which cluster events may make a pod it rejected schedulable (kube-scheduler's
/// `EnqueueExtensions` with queueing hints). A plugin without it is asked about no event: every event
/// requeues the pods it rejected.
public protocol EnqueueExtensions: SchedulerPlugin {
    /// The hint for pod `pod` (pending; this plugin rejected it) after `event`.
    func queueingHint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint
}

/// A queue position: smaller sorts first.
public struct QueueSortKey: Comparable, Sendable {
    /// Primary key.
    public var primary: Int64
    /// Secondary key.
    public var secondary: Int64
    /// Tertiary key (e.g. a pod group, so that a group's pods come out together).
    public var tertiary: Int64
    /// A key.
    public init(primary: Int64, secondary: Int64, tertiary: Int64 = 0) {
        self.primary = primary
        self.secondary = secondary
        self.tertiary = tertiary
    }
    public static func < (a: QueueSortKey, b: QueueSortKey) -> Bool {
        if a.primary != b.primary { return a.primary < b.primary }
        if a.secondary != b.secondary { return a.secondary < b.secondary }
        return a.tertiary < b.tertiary
    }
}

/// Runs once per cycle before filtering; a non-nil result rejects the pod on every node.
public protocol PreFilterPlugin: SchedulerPlugin {
    /// Prepares cycle state; returns a rejection reason or nil.
    func preFilter(_ ctx: CycleContext) -> String?
}

/// Decides whether a node can hold the pod.
public protocol FilterPlugin: SchedulerPlugin {
    /// nil when the node passes, else the reason it does not (as kube-scheduler words it).
    func filter(_ ctx: CycleContext, node: Int32) -> String?
    /// Filters a batch: for each `nodes[i]` whose `rejections[i]` is still nil, stores the reason it
    /// fails (the default calls `filter(_:node:)`; hot plugins override it to read the cluster once).
    /// Returns how many nodes it rejected.
    func filterAll(_ ctx: CycleContext, nodes: ArraySlice<Int32>, rejections: inout [String?]) -> Int
    /// True when the plugin can reject no node in this cycle (e.g. the pod has no constraint of its
    /// kind); the default batch filter then skips it. Defaults to false.
    func passesAll(_ ctx: CycleContext) -> Bool
}

extension FilterPlugin {
    public func passesAll(_ ctx: CycleContext) -> Bool { false }

    /// A batch filter that calls `filter(_:node:)` only on nodes whose usage satisfies `concerned`
    /// (the others pass): for plugins that reject only nodes with a cheap-to-test property.
    public func filterAll(_ ctx: CycleContext, nodes: ArraySlice<Int32>, rejections: inout [String?],
                          concerned: (NodeUsage) -> Bool) -> Int {
        let usage = ctx.cluster.usage
        var i = 0, rejected = 0
        for node in nodes {
            if rejections[i] == nil, concerned(usage[Int(node)]), let r = filter(ctx, node: node) {
                rejections[i] = r
                rejected += 1
            }
            i += 1
        }
        return rejected
    }

    public func filterAll(_ ctx: CycleContext, nodes: ArraySlice<Int32>, rejections: inout [String?]) -> Int {
        if passesAll(ctx) { return 0 }
        var i = 0, rejected = 0
        for node in nodes {
            if rejections[i] == nil, let r = filter(ctx, node: node) {
                rejections[i] = r
                rejected += 1
            }
            i += 1
        }
        return rejected
    }
}

/// What a PostFilter plugin asks for: evict `victims` and nominate the pod to `nominatedNode`.
public struct PostFilterResult: Equatable, Sendable {
    /// The node the pod is nominated to.
    public var nominatedNode: Int32
    /// Pods to evict there, most important first.
    public var victims: [PodID]
    /// A result.
    public init(nominatedNode: Int32, victims: [PodID]) {
        self.nominatedNode = nominatedNode
        self.victims = victims
    }
}

/// What PostFilter plugins may ask of the scheduler running the cycle.
public protocol SchedulingFramework: AnyObject {
    /// Whether the cycle's pod passes every PreFilter and Filter of its profile on `node` as the cluster
    /// is now (pods nominated there with at least its priority counted).
    func passesFilters(_ ctx: CycleContext, node: Int32) -> Bool
    /// A uniform integer in 0..<n from the scheduler's seeded preemption stream (0 without one).
    func randomInt(below n: Int) -> Int
}

/// Runs when no node passed filtering (preemption lives here).
public protocol PostFilterPlugin: SchedulerPlugin {
    /// What to do so that the pod fits later (nil: nothing this plugin can do).
    func postFilter(_ ctx: CycleContext) -> PostFilterResult?
    /// Pods held at Permit that this PostFilter gave up on (to unbind and requeue); the default has none.
    func takeRejected() -> [PodID]
}

extension PostFilterPlugin {
    public func takeRejected() -> [PodID] { [] }
}

/// Runs once per cycle before scoring, after `ctx.feasible` is known.
public protocol PreScorePlugin: SchedulerPlugin {
    /// Prepares scoring state.
    func preScore(_ ctx: CycleContext)
}

/// Scores feasible nodes, each in 0...100 after normalisation.
public protocol ScorePlugin: SchedulerPlugin {
    /// The raw score of `node`.
    func score(_ ctx: CycleContext, node: Int32) -> Int64
    /// Raw scores of `nodes`, appended to `scores` (the default calls `score(_:node:)` per node;
    /// hot plugins override it to read the cluster once per cycle).
    func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64])
    /// Rescales raw scores (indexed like `ctx.feasible`) to 0...100; the default keeps them.
    func normalize(_ ctx: CycleContext, scores: inout [Int64])
    /// Whether every feasible node gets the same normalised score in this cycle (the scheduler may then
    /// skip the plugin: a constant added to every total changes neither the best node nor the ties).
    func isConstant(_ ctx: CycleContext) -> Bool
    /// Whether the raw score of a node reads only the node's usage (`NodeUsage`) and images, the pod and
    /// cluster-wide values, never other nodes, and `normalize` keeps the raw scores: nodes in the same
    /// state then score the same, and the scheduler may score one node per state. Constant for a plugin
    /// instance (a profile reads it once, when it is built); likewise `scoresByRequests`.
    var scoresByNodeState: Bool { get }
    /// Whether, beyond that, the raw score reads only the node's `NodeUsage`, the pod's requests
    /// (`ctx.requests`, `ctx.scoringRequests`) and the plugin's own settings: pods of the same requests
    /// then get the same score on nodes of the same usage, and the scheduler may remember it per class.
    var scoresByRequests: Bool { get }
    /// Whether it must score even when a single node is feasible (kube-scheduler then skips scoring):
    /// its scoring chooses something Reserve uses, as FGD's GPU device.
    var scoresSingleNode: Bool { get }
}

extension ScorePlugin {
    public func normalize(_ ctx: CycleContext, scores: inout [Int64]) {}

    public func isConstant(_ ctx: CycleContext) -> Bool { false }

    public var scoresByNodeState: Bool { false }

    public var scoresByRequests: Bool { false }

    public var scoresSingleNode: Bool { false }

    public func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64]) {
        for node in nodes { scores.append(score(ctx, node: node)) }
    }
}

/// Told when a node is chosen (and when the choice is undone).
public protocol ReservePlugin: SchedulerPlugin {
    /// The pod is assumed on `node`.
    func reserve(_ ctx: CycleContext, node: Int32)
    /// A later stage failed: undo `reserve`.
    func unreserve(_ ctx: CycleContext, node: Int32)
}

/// What a Permit plugin says about a binding.
public enum PermitDecision: Equatable, Sendable {
    /// Bind now.
    case allow
    /// Do not bind; the pod goes back to the queue with this reason.
    case reject(String)
    /// Hold the pod on the node (its resources reserved) until allowed, or rejected after `timeout` s.
    case wait(timeout: Double)
}

/// Approves, rejects or holds the binding.
public protocol PermitPlugin: SchedulerPlugin {
    /// The decision for the pod on `node`.
    func permit(_ ctx: CycleContext, node: Int32) -> PermitDecision
    /// Pods held earlier that the last `allow` released (to start now); the default has none.
    func takeReleased() -> [PodID]
    /// Pods the last `wait` asked to move to the active queue at once (the held pod's siblings,
    /// scheduler-plugins' `ActivateSiblings`); the default asks none.
    func takeActivations() -> [PodID]
    /// A held pod's wait ran out at `now`: the pods to put back in the queue, or nil when the pod is
    /// not one this plugin holds (the default).
    func timedOut(_ pod: PodID, now: SimTime) -> [PodID]?
    /// Why pods put back by `timedOut` could not be scheduled.
    var timeoutReason: String { get }
}

extension PermitPlugin {
    public func takeReleased() -> [PodID] { [] }
    public func takeActivations() -> [PodID] { [] }
    public func timedOut(_ pod: PodID, now: SimTime) -> [PodID]? { nil }
    public var timeoutReason: String { "rejected by \(name): permit timed out" }
}

/// The maximum score of a node for one plugin.
public let maxNodeScore: Int64 = 100

/// kube-scheduler's `DefaultNormalizeScore`: scales to 0...100 by the maximum, optionally reversed.
public func defaultNormalizeScore(_ scores: inout [Int64], reverse: Bool) {
    var maxCount: Int64 = 0
    for s in scores where s > maxCount { maxCount = s }
    if maxCount == 0 {
        if reverse { for i in scores.indices { scores[i] = maxNodeScore } }
        return
    }
    for i in scores.indices {
        var s = maxNodeScore * scores[i] / maxCount
        if reverse { s = maxNodeScore - s }
        scores[i] = s
    }
}
