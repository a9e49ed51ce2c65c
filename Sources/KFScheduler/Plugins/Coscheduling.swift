import KFCluster
import KFEngine

/// Gang scheduling with the semantics of scheduler-plugins' Coscheduling: pods labelled with a PodGroup
/// (`scheduling.x-k8s.io/pod-group`) are rejected at PreFilter until `minMember` of the group exist, and
/// held at Permit (bound, resources reserved) until `minMember` are bound or held; then all start. A
/// held pod activates its pending siblings (`ActivateSiblings`: they leave the pool for the active
/// queue). A hold that lasts `permitWaitingTimeSeconds` (60 s) puts every held pod of the group back in
/// the queue; so does PostFilter, at once, when a member fits nowhere while fewer than `minMember` are
/// bound or held. After either, PreFilter denies the group for 3 s (`lastDeniedPG`). Pods it rejected
/// are retried when a pod is created (its only registered event) or by the queue's leftover flush.
/// Pods without the label pass untouched.
public final class Coscheduling: QueueSortPlugin, PreFilterPlugin, PostFilterPlugin, PermitPlugin, ClusterEventPlugin, EnqueueExtensions {
    public let name = "Coscheduling"
    /// How long a pod may be held at Permit.
    public let permitWaitingTimeSeconds: Double
    /// Live pods of each PodGroup, and those of them bound (starting, held or running), from the
    /// cluster's events.
    private var members: [String: Int] = [:], bound: [String: Int] = [:]
    /// Live pods of each PodGroup, in creation order.
    private var memberPods: [String: [PodID]] = [:]
    private var activations: [PodID] = []
    /// Groups denied until a time (scheduler-plugins' `lastDeniedPG`, 3 s after a rejection).
    private var deniedUntil: [String: SimTime] = [:]
    /// How long PreFilter denies a group after it was rejected.
    public static let denyPeriod = 3 * Clock.microsPerSecond
    private var waiting: [String: [PodID]] = [:]
    private var released: [PodID] = []
    private var rejected: [PodID] = []

    /// The plugin.
    public init(permitWaitingTimeSeconds: Double = 60) {
        self.permitWaitingTimeSeconds = permitWaitingTimeSeconds
    }

    /// Builds the plugin from `args` (`permitWaitingTimeSeconds`).
    public convenience init(args: PluginArgs) throws(PluginArgsError) {
        try args.requireKeys(["permitWaitingTimeSeconds"], at: "")
        let seconds = try args["permitWaitingTimeSeconds"]?.int(at: "permitWaitingTimeSeconds") ?? 60
        guard seconds > 0 else { throw PluginArgsError(path: "permitWaitingTimeSeconds", message: "must be positive, got \(seconds)") }
        self.init(permitWaitingTimeSeconds: Double(seconds))
    }

    /// Queue order of scheduler-plugins' Coscheduling: priority, then the PodGroup's creation time (the
    /// pod's queue timestamp for pods without a group), then the group, so that a group's pods come out
    /// together.
    public func sortKey(_ pod: PodID, timestamp: SimTime, in cluster: ClusterState) -> QueueSortKey {
        let priority = -Int64(cluster.pods[Int(pod)].spec.priority)
        guard let key = PodGroup.key(of: cluster.pods[Int(pod)].spec), let group = cluster.podGroups[key] else {
            return QueueSortKey(primary: priority, secondary: timestamp, tertiary: -1)
        }
        return QueueSortKey(primary: priority, secondary: group.createdAt, tertiary: group.index)
    }

    public func observe(_ event: ClusterEvent, in cluster: ClusterState) {
        switch event {
        case .podAdd(let id):
            if let key = PodGroup.key(of: cluster.pods[Int(id)].spec) {
                members[key, default: 0] += 1
                memberPods[key, default: []].append(id)
            }
        case .podUpdate(let id, .bound):
            if let key = PodGroup.key(of: cluster.pods[Int(id)].spec) { bound[key, default: 0] += 1 }
        case .podUpdate(let id, .unbound):
            if let key = PodGroup.key(of: cluster.pods[Int(id)].spec) { bound[key, default: 0] -= 1 }
        case .podDelete(let id, let node):
            guard let key = PodGroup.key(of: cluster.pods[Int(id)].spec) else { return }
            members[key, default: 0] -= 1
            memberPods[key]?.removeAll { $0 == id }
            if node >= 0 { bound[key, default: 0] -= 1 }
        default:
            break
        }
    }

    /// scheduler-plugins registers Pod/Add (and PodGroup changes) without hints: a pod it rejected is
    /// retried whenever a pod is created.
    public func queueingHint(for pod: PodID, after event: ClusterEvent, in cluster: ClusterState) -> QueueingHint {
        if case .podAdd = event { return .queue }
        return .skip
    }

    func group(_ ctx: CycleContext) -> (key: String, min: Int)? {
        guard let key = PodGroup.key(of: ctx.pod.spec) else { return nil }
        return (key, ctx.cluster.podGroups[key]?.minMember ?? 1)
    }

    public func preFilter(_ ctx: CycleContext) -> String? {
        guard let (key, min) = group(ctx) else { return nil }
        if let until = deniedUntil[key], ctx.now < until { return "pod with pgName: \(key) last failed in 3s, deny" }
        let members = self.members[key] ?? 0
        return members < min ? "pod group \(key) has \(members) of its \(min) pods" : nil
    }

    public func permit(_ ctx: CycleContext, node: Int32) -> PermitDecision {
        guard let (key, min) = group(ctx) else { return .allow }
        // Bound or held members, plus this one.
        if (bound[key] ?? 0) + 1 >= min {
            released += waiting[key] ?? []
            waiting[key] = nil
            return .allow
        }
        waiting[key, default: []].append(ctx.pod.id)
        // ActivateSiblings: the group's pending pods leave the pool for the active queue now.
        activations += (memberPods[key] ?? []).filter { $0 != ctx.pod.id && ctx.cluster.pods[Int($0)].phase == .pending }
        return .wait(timeout: permitWaitingTimeSeconds)
    }

    public func postFilter(_ ctx: CycleContext) -> PostFilterResult? {
        guard let (key, min) = group(ctx), let held = waiting[key], !held.isEmpty,
              (bound[key] ?? 0) < min else { return nil }
        rejected += held
        waiting[key] = nil
        deniedUntil[key] = ctx.now + Self.denyPeriod
        return nil
    }

    /// Held pods PostFilter gave up on, to put back in the queue.
    public func takeRejected() -> [PodID] {
        defer { rejected.removeAll() }
        return rejected
    }

    public func takeActivations() -> [PodID] {
        defer { activations.removeAll() }
        return activations
    }

    public func takeReleased() -> [PodID] {
        defer { released.removeAll() }
        return released
    }

    public func timedOut(_ pod: PodID, now: SimTime) -> [PodID]? {
        guard let key = waiting.keys.sorted().first(where: { waiting[$0]!.contains(pod) }) else { return nil }
        deniedUntil[key] = now + Self.denyPeriod
        defer { waiting[key] = nil }
        return waiting[key]
    }

    public var timeoutReason: String { "rejected by Coscheduling: the pod group's members did not all fit within \(Int(permitWaitingTimeSeconds)) s" }
}
