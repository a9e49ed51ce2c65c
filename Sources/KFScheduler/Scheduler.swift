import KFCluster
import KFEngine

/// The outcome of one scheduling attempt.
public enum ScheduleOutcome: Equatable, Sendable {
    /// The pod goes to `node`.
    case bound(node: Int32)
    /// No node fits; `reason` is kube-scheduler's diagnosis, `rejectors` the plugins that rejected the
    /// pod (their queueing hints decide when it is retried; empty when none is known).
    case unschedulable(reason: String, rejectors: [String])
    /// A Permit plugin holds the pod on `node` (resources reserved) for at most `timeout` seconds.
    case waiting(node: Int32, timeout: Double)
    /// No node fits, but evicting `victims` makes room on `node` (PostFilter, DefaultPreemption): the
    /// pod is nominated there and retried.
    case preempting(node: Int32, victims: [PodID], reason: String, rejectors: [String])
}

/// A futile-retry scan shared by the pods of one request shape (`Scheduler+FutileRetry`).
struct FutileScan {
    var from: Int, to: Int, epoch: Int
}

/// One node's scores in a recorded cycle.
public struct NodeScore: Equatable, Sendable {
    /// Node index.
    public var node: Int32
    /// Weighted total.
    public var total: Int64
    /// Normalised (unweighted) score per plugin, in profile order.
    public var byPlugin: [(name: String, score: Int64)]
    public static func == (a: NodeScore, b: NodeScore) -> Bool {
        a.node == b.node && a.total == b.total && a.byPlugin.count == b.byPlugin.count
            && zip(a.byPlugin, b.byPlugin).allSatisfy { $0.name == $1.name && $0.score == $1.score }
    }
}

/// kube-scheduler's scheduling cycle over a `ClusterState`: PreFilter, Filter (with
/// percentageOfNodesToScore and a rotating start), PostFilter, PreScore, Score, normalise, weigh,
/// select (ties random or first), Reserve, Permit.
public final class Scheduler {
    /// The configuration.
    public let configuration: SchedulerConfiguration
    let profiles: [String: Profile]
    /// Every profile's Permit and PostFilter plugins, profiles in name order (asked after every cycle).
    let permitPlugins: [PermitPlugin], postFilterPlugins: [PostFilterPlugin]
    private let defaultProfile: Profile
    let cluster: ClusterState
    let tieStream: RandomStream
    var nextStartNodeIndex = 0
    var scratch: [Int64] = []
    var candidates: [Int32] = []
    var rejections: [String?] = []
    var rejectedBy: [Int] = []
    var seen: [String?] = []
    var seenBy: [Int] = []
    /// The rotating start index of the last filtering pass (the diagnosis maps back to nodes from it).
    var seenStart = 0
    /// NodeResourcesFit's verdicts per pod shape (`Scheduler+FeasibilityIndex`).
    let feasibility = FeasibilityIndex()
    /// Nodes grouped by state for scoring (`Scheduler+NodeClasses`).
    let nodeClasses = NodeClasses()
    var representativeScores: [Int64] = [], classTotals: [Int64] = []
    /// This cycle's scorers that are not constant, with their weights (class-only scoring).
    var activeScorers: [(plugin: ScorePlugin, weight: Int64)] = []
    /// The profile and scorer set `activeScorers` was listed for (nil: list it again next cycle).
    unowned(unsafe) var activeProfile: Profile?
    /// The profile of the last cycle (`profile(for:)`).
    unowned(unsafe) var lastProfile: Profile?
    var activeMask: UInt64 = 0
    /// Cycles scored by class alone, those of them decided on the class member bits, and cycles whose
    /// feasible nodes came from the classes (`findFeasibleByClass`) (for tests).
    var classOnlyCycles = 0, classSelections = 0, classFilterCycles = 0
    /// Class selection's scratch (`Scheduler+ClassSelection`): the classes in the window (`WindowClass`:
    /// id, member-bit row, window order of the first member); the row offsets of the classes at one
    /// score level.
    var windowClasses: [WindowClass] = [], levelRows: [Int] = []
    /// Cycles begun, and this cycle's fitting classes (`fittingClasses`) with the cycle they were listed in.
    var cycles = 0, fittingCycle = -1
    var fitting: [Int32] = []
    /// The member bits of this cycle's fitting classes together (`findFeasibleByClass`).
    var classUnion: [UInt64] = []
    /// Class totals remembered per pod requests (`Scheduler+ClassScoreMemo`), and its scratch.
    let scoreMemo = ClassScoreMemo()
    var unscoredNodes: [Int32] = [], unscoredSlots: [Int] = [], unscoredTotals: [Int64] = []
    /// The shape whose index found no node in this cycle (its diagnosis comes from the index).
    var indexedFailure: FeasibilityIndex.Shape?
    /// Per pod: -1 unknown, 0 or 1 whether its retries can be reasoned about (`Scheduler+FutileRetry`).
    var futileEligibleCache: [Int8] = []
    /// Per pod: whether DefaultPreemption may act for it (its policy and profile allow it).
    var mayPreemptCache: [Bool] = []
    /// Pods nominated to each node by preemption, pending.
    var nominated: [Int32: [PodID]] = [:]
    /// Per request shape: the last futile-retry scan that found every node freed in
    /// `freedLog[from..<to]` still too small (at node epoch `epoch`).
    var futileScans: [Resources: FutileScan] = [:]
    /// The stream that picks where preemption starts looking.
    let preemptionStream: RandomStream?
    var totals: [Int64] = []
    /// When true, `lastScores` keeps every node's scores of the last scored cycle (for tests and traces).
    public var recordScores = false
    /// Scores of the last cycle that reached scoring (when `recordScores`).
    public internal(set) var lastScores: [NodeScore] = []
    /// Called after every scheduling attempt (nil: nobody listens, nothing is built).
    public var onAttempt: ((SchedulingAttempt) -> Void)?
    /// Nodes the filters examined in the last cycle (0 when it stopped before filtering).
    var lastExamined = 0
    var ctx: CycleContext?
    /// The scheduling queue.
    let queue: SchedulingQueue
    /// The cluster-event subscription `attach` made (removed when the scheduler goes).
    var clusterSubscription: Int?

    /// A scheduler for `cluster` with profiles built from `configuration`.
    public init(configuration: SchedulerConfiguration, cluster: ClusterState, tieStream: RandomStream,
                registry: PluginRegistry = .builtIn, preemptionStream: RandomStream? = nil) throws(ProfileError) {
        self.configuration = configuration
        self.preemptionStream = preemptionStream
        self.cluster = cluster
        self.tieStream = tieStream
        var built: [String: Profile] = [:]
        var first: Profile?
        for (i, p) in configuration.profiles.enumerated() {
            let profile: Profile
            do { profile = try Profile(p, registry: registry) } catch {
                throw ProfileError(path: "profiles[\(i)].\(error.path)", message: error.message)
            }
            guard built[p.schedulerName] == nil else {
                throw ProfileError(path: "profiles[\(i)].schedulerName", message: "duplicate schedulerName '\(p.schedulerName)'")
            }
            built[p.schedulerName] = profile
            if first == nil { first = profile }
        }
        guard let first else { throw ProfileError(path: "profiles", message: "at least one profile is required") }
        profiles = built
        let ordered = built.keys.sorted().map { built[$0]! }
        permitPlugins = ordered.flatMap(\.permits)
        postFilterPlugins = ordered.flatMap(\.postFilters)
        defaultProfile = first
        var hintPlugins: [String: [String: SchedulerPlugin]] = [:]
        for (name, profile) in built { hintPlugins[name] = Dictionary(uniqueKeysWithValues: profile.plugins.map { ($0.name, $0) }) }
        queue = SchedulingQueue(cluster: cluster, configuration: configuration, queueSort: first.queueSort, hintPlugins: hintPlugins)
    }

    deinit {
        // The cluster may outlive its scheduler: its handler, which holds the scheduler unowned, goes first.
        dropClusterSubscription()
    }

    /// The profile that schedules pods naming `schedulerName` (nil when none does; the last one found is
    /// compared before the table is hashed).
    public func profile(for schedulerName: String) -> Profile? {
        if let last = lastProfile, last.schedulerName == schedulerName { return last }
        lastProfile = profiles[schedulerName]
        return lastProfile
    }

    /// Pods that Permit plugins held and have now released (after a binding), to start.
    public func takeReleased() -> [PodID] {
        var out: [PodID] = []
        for p in permitPlugins { out += p.takeReleased() }
        return out
    }

    /// Pods Permit plugins asked to activate in the last cycle.
    public func takeActivations() -> [PodID] {
        var out: [PodID] = []
        for p in permitPlugins { out += p.takeActivations() }
        return out
    }

    /// Held pods that PostFilter plugins gave up on in the last cycle, to unbind and requeue.
    public func takeRejected() -> [PodID] {
        var out: [PodID] = []
        for p in postFilterPlugins { out += p.takeRejected() }
        return out
    }

    /// A held pod's wait ran out: the pods to put back in the queue, with the reason.
    public func permitTimedOut(_ pod: PodID) -> (pods: [PodID], reason: String) {
        guard let profile = profiles[cluster.pods[Int(pod)].spec.schedulerName] else { return ([pod], "permit timed out") }
        for p in profile.permits {
            if let pods = p.timedOut(pod, now: queue.now) { return (pods, p.timeoutReason) }
        }
        return ([pod], "permit timed out")
    }

    /// The queue sort plugin of the default profile.
    public var queueSort: QueueSortPlugin { defaultProfile.queueSort }

    /// How many feasible nodes to find before scoring (`numFeasibleNodesToFind`).
    public static func numFeasibleNodesToFind(percentage configured: Int64, nodes: Int) -> Int {
        let n = Int64(nodes)
        if n < 100 { return nodes }
        var percentage = configured
        if percentage == 0 {
            percentage = 50 - n / 125
            if percentage < 5 { percentage = 5 }
        }
        let found = n * percentage / 100
        return Int(max(found, 100))
    }

    /// Runs one scheduling cycle for pending pod `id`. Binding is left to the caller.
    public func schedule(_ id: PodID) -> ScheduleOutcome {
        // The pod is copied once, into the reused cycle context (its spec is shared, copy-on-write).
        let ctx = context(for: id)
        guard let profile = profile(for: ctx.pod.spec.schedulerName) else {
            return .unschedulable(reason: "no scheduler profile named '\(ctx.pod.spec.schedulerName)'", rejectors: [])
        }
        ctx.nominatedExtra = nominatedLoad(for: ctx.pod)
        lastExamined = 0
        if onAttempt != nil { lastScores.removeAll(keepingCapacity: true) }
        let total = cluster.liveNodes.count
        for plugin in profile.preFilters {
            if let reason = plugin.preFilter(ctx) {
                return .unschedulable(reason: "0/\(total) nodes are available: \(reason).", rejectors: [plugin.name])
            }
        }
        if let node = evaluateNominatedNode(profile, ctx) { return reserveAndPermit(profile, ctx, node) }
        let processed = findFeasible(profile, ctx)
        lastExamined = processed
        if ctx.feasibleCount == 0 { return noNodeFits(profile, ctx, processed: processed) }
        let alone = ctx.feasibleCount == 1 && !recordScores && !profile.scoresSingleNode
        let chosen = alone ? ctx.feasible[0] : score(profile, ctx)
        return reserveAndPermit(profile, ctx, chosen)
    }

    /// The cycle context for `pod`, reused across cycles.
    func context(for pod: Pod) -> CycleContext {
        if let existing = ctx {
            existing.pod = pod
            return prepared(existing)
        }
        let made = CycleContext(cluster: cluster, pod: pod)
        made.framework = self
        ctx = made
        return prepared(made)
    }

    /// The cycle context for pending pod `id`, reused across cycles (the pod copied straight into it).
    func context(for id: PodID) -> CycleContext {
        guard let existing = ctx else { return context(for: cluster.pods[Int(id)]) }
        existing.pod = cluster.pods[Int(id)]
        return prepared(existing)
    }

    private func prepared(_ made: CycleContext) -> CycleContext {
        cycles += 1
        made.state.clear()
        made.now = queue.host?.now ?? 0
        if made.rejectedNodesSource != nil { made.rejectedNodesSource = nil }
        if made.window != nil { made.window = nil }
        return made
    }

    /// Reserve, then Permit, on the chosen node.
    func reserveAndPermit(_ profile: Profile, _ ctx: CycleContext, _ chosen: Int32) -> ScheduleOutcome {
        for r in profile.reservers { r.reserve(ctx, node: chosen) }
        var wait: Double?
        for p in profile.permits {
            switch p.permit(ctx, node: chosen) {
            case .allow: continue
            case .reject(let reason):
                for r in profile.reservers.reversed() { r.unreserve(ctx, node: chosen) }
                return .unschedulable(reason: reason, rejectors: [p.name])
            case .wait(let timeout): wait = min(wait ?? timeout, timeout)
            }
        }
        if let wait { return .waiting(node: chosen, timeout: wait) }
        return .bound(node: chosen)
    }

    func score(_ profile: Profile, _ ctx: CycleContext) -> Int32 {
        for p in profile.preScores { p.preScore(ctx) }
        if let chosen = scoreByClassOnly(profile, ctx) { return chosen }
        let feasible = ctx.feasible
        let count = feasible.count
        totals.removeAll(keepingCapacity: true)
        totals.append(contentsOf: repeatElement(0, count: count))
        var recorded: [[Int64]] = []
        let byClass = groupByNodeClass(profile, ctx)
        if byClass { resetClassTotals() }
        for scorer in profile.scorers {
            if !recordScores && scorer.plugin.isConstant(ctx) { continue }
            // By node state, and not normalised: one weighted score per class.
            if byClass && scorer.plugin.scoresByNodeState {
                addClassScores(scorer.plugin, weight: scorer.weight, ctx)
                continue
            }
            scratch.removeAll(keepingCapacity: true)
            scorer.plugin.scoreAll(ctx, nodes: feasible, into: &scratch)
            scorer.plugin.normalize(ctx, scores: &scratch)
            let w = scorer.weight
            totals.withUnsafeMutableBufferPointer { t in
                scratch.withUnsafeBufferPointer { s in for i in 0..<count { t[i] += s[i] * w } }
            }
            if recordScores { recorded.append(scratch) }
        }
        if byClass { addClassTotals() }
        if recordScores {
            lastScores = feasible.enumerated().map { i, node in
                NodeScore(node: node, total: totals[i],
                          byPlugin: profile.scorers.enumerated().map { k, s in (s.plugin.name, recorded[k][i]) })
            }
        }
        let best = feasible.withUnsafeBufferPointer { f in totals.withUnsafeBufferPointer { t in selectHost(f) { t[$0] } } }
        return feasible[best]
    }
}

extension Scheduler {
    /// kube-scheduler's selectHost over the feasible nodes, whose totals `total` gives by position: the
    /// highest total wins; ties go to the lowest node index (`.first`) or, as upstream, to reservoir
    /// sampling with one draw from the tie-break stream at every node that ties the running maximum
    /// (`.random`).
    @inline(__always)
    func selectHost(_ feasible: UnsafeBufferPointer<Int32>, total: (Int) -> Int64) -> Int {
        let tieBreak = configuration.tieBreak, stream = tieStream
        var best = 0, bestTotal = total(0), ties = 1
        for i in 1..<max(feasible.count, 1) {
            let t = total(i)
            if t > bestTotal {
                best = i
                bestTotal = t
                ties = 1
            } else if t == bestTotal {
                switch tieBreak {
                case .first:
                    if feasible[i] < feasible[best] { best = i }
                case .random:
                    ties += 1
                    if stream.drawsZero(below: ties) { best = i }
                }
            }
        }
        return best
    }
}
