import HeapModule
import KFCluster
import KFEngine

/// kube-scheduler's scheduling queue (`PriorityQueue`, 1.33 and later): the active queue in queue-sort
/// order, the backoff queue, and the unschedulable pool, with queueing hints that move pods out of the
/// pool when the cluster changes.
///
/// - A failed pod waits in the pool. An event whose hint from one of its rejecting plugins says `queue`
///   moves it to the backoff queue while it backs off (1 s doubling to 10 s after each failure, counted
///   from the failure), else to the active queue.
/// - The backoff queue is flushed every second, on whole seconds; with `SchedulerPopFromBackoffQ`
///   (KEP-5142, on by default) the scheduler also pops the backoff queue when the active queue is empty.
/// - Every 30 s, pods in the pool longer than `podMaxInUnschedulablePodsDuration` are moved as if by an
///   event that concerns everyone.
final class SchedulingQueue {
    enum Location { case none, active, backoff, unschedulable, tentative, parked }

    struct Queued: Comparable {
        let window: SimTime
        let key: QueueSortKey
        let id: PodID
        static func < (a: Queued, b: Queued) -> Bool {
            if a.window != b.window { return a.window < b.window }
            return a.key != b.key ? a.key < b.key : a.id < b.id
        }
        static func == (a: Queued, b: Queued) -> Bool { a.id == b.id && a.window == b.window }
    }

    let cluster: ClusterState
    let configuration: SchedulerConfiguration
    let queueSort: QueueSortPlugin
    /// The hint plugins of each profile, by plugin name.
    let hintPlugins: [String: [String: SchedulerPlugin]]
    unowned(unsafe) var host: SchedulerHost!
    var activeQ = Heap<Queued>()
    var backoffQ = Heap<Queued>()
    /// The pool, in the order pods entered it (entries of pods that left are dropped when it is walked).
    var pool: [PodID] = []
    var location: [Location] = []
    /// When each pod was added or last failed.
    var timestamp: [SimTime] = []
    /// The plugins that rejected each pod in its last attempt (empty: none, or not known).
    var rejectors: [[String]] = []
    /// Their hints (nil for a plugin without hints, which requeues on every event), resolved once.
    var rejectorHints: [[EnqueueExtensions?]] = []
    /// Nodes where room was freed (a bound pod deleted or unbound, a nomination cleared), in order.
    var freedLog: [Int32] = []
    /// Bumped by every node event (a node added, deleted or changed).
    var nodeEpoch = 0
    /// Per pod: `freedLog.count` and `nodeEpoch` at its last attempt.
    var checkpoint: [Int] = [], epochAtAttempt: [Int] = []
    /// Per pod: whether NodeResourcesFit alone rejected it in its last attempt.
    var onlyResourcesRejected: [Bool] = []
    /// Pods whose retry in this instant's run is known to be futile (`SchedulingQueue+Tentative`).
    var tentative: [PodID] = []
    /// Whether a moved pod may be reasoned about without its retry (set by the scheduler).
    var tentativeEligible: (PodID) -> Bool = { _ in false }
    /// Whether every pod created so far has the same priority (then no preemption can happen).
    var singlePriority = true
    var firstPriority: Int32?
    var timers = TimerTable<SchedulerTimer>()
    /// Pods waiting in bulk by shape (`SchedulingQueue+Parked`).
    let parking = Parking()
    var permitTimer: [Scheduled?] = []
    var cycleQueued = false, backoffFlushQueued = false, leftoverFlushQueued = false

    static let second = Clock.microsPerSecond
    static let leftoverPeriod = 30 * Clock.microsPerSecond

    init(cluster: ClusterState, configuration: SchedulerConfiguration, queueSort: QueueSortPlugin,
         hintPlugins: [String: [String: SchedulerPlugin]]) {
        self.cluster = cluster
        self.configuration = configuration
        self.queueSort = queueSort
        self.hintPlugins = hintPlugins
    }

    var now: SimTime { host.now }

    /// Makes room for pods created since the last call.
    func track(_ id: PodID) {
        while location.count <= Int(id) {
            location.append(.none)
            timestamp.append(0)
            rejectors.append([])
            rejectorHints.append([])
            permitTimer.append(nil)
            checkpoint.append(0)
            epochAtAttempt.append(-1)
            onlyResourcesRejected.append(false)
            parking.track()
        }
    }

    func key(_ id: PodID) -> QueueSortKey {
        queueSort.sortKey(id, timestamp: timestamp[Int(id)], in: cluster)
    }

    /// A new pending pod enters the active queue.
    func add(_ id: PodID) {
        track(id)
        timestamp[Int(id)] = now
        moveToActive(id)
    }

    func moveToActive(_ id: PodID) {
        location[Int(id)] = .active
        activeQ.insert(Queued(window: 0, key: key(id), id: id))
        requestCycle()
    }

    /// Makes sure the scheduler runs its cycles at this instant.
    func requestCycle() {
        guard !cycleQueued else { return }
        cycleQueued = true
        host.setSchedulerTimer(timers.add(.cycle), at: now, phase: .schedule, passive: false)
    }

    /// The end of pod `id`'s backoff: `timestamp + backoff(attempts)`, on the 1 s window when popping
    /// from the backoff queue (nil: no backoff).
    func backoffExpiry(_ id: PodID) -> SimTime? {
        let d = Clock.micros(seconds: configuration.backoffSeconds(attempts: Int(cluster.pods[Int(id)].attempts)))
        guard d > 0 else { return nil }
        let expiry = timestamp[Int(id)] + d
        return configuration.popFromBackoffQ ? expiry / Self.second * Self.second : expiry
    }

    /// Whether pod `id` still backs off now (`isPodBackingoff`).
    func isBackingOff(_ id: PodID) -> Bool {
        guard let expiry = backoffExpiry(id) else { return false }
        return configuration.popFromBackoffQ ? expiry >= now / Self.second * Self.second : expiry > now
    }

    /// `queueAfterBackoff`: to the backoff queue while the pod backs off, else to the active queue.
    func requeue(_ id: PodID) {
        guard isBackingOff(id), let expiry = backoffExpiry(id) else { return moveToActive(id) }
        location[Int(id)] = .backoff
        let window = expiry
        backoffQ.insert(Queued(window: window, key: configuration.popFromBackoffQ ? key(id) : QueueSortKey(primary: 0, secondary: 0), id: id))
        if configuration.popFromBackoffQ { requestCycle() }
        if !backoffFlushQueued {
            backoffFlushQueued = true
            host.setSchedulerTimer(timers.add(.backoffFlush), at: (now / Self.second + 1) * Self.second, phase: .arrival, passive: true)
        }
    }

    /// A failed attempt: the pod waits in the pool.
    func markUnschedulable(_ id: PodID, reason: String, rejectors: [String], countAttempt: Bool = true) {
        if countAttempt { cluster.noteAttempt(id, reason: reason) } else { cluster.noteReason(id, reason) }
        timestamp[Int(id)] = now
        if self.rejectors[Int(id)] != rejectors || rejectorHints[Int(id)].count != rejectors.count {
            self.rejectors[Int(id)] = rejectors
            let plugins = hintPlugins[cluster.pods[Int(id)].spec.schedulerName] ?? [:]
            rejectorHints[Int(id)] = rejectors.map { plugins[$0]?.asEnqueueExtensions }
            onlyResourcesRejected[Int(id)] = rejectorHints[Int(id)].count == 1 && rejectorHints[Int(id)][0] is NodeResourcesFit
        }
        backToPool(id)
    }

    /// A failed attempt whose rejectors are those of the last one (a futile retry): counted, the
    /// timestamp reset, back to the pool.
    func markFailedAgain(_ id: PodID) {
        cluster.noteAttempt(id, reason: nil)
        timestamp[Int(id)] = now
        backToPool(id)
    }

    func backToPool(_ id: PodID) {
        checkpoint[Int(id)] = freedLog.count
        epochAtAttempt[Int(id)] = nodeEpoch
        if canPark(id) { park(id) } else {
            location[Int(id)] = .unschedulable
            pool.append(id)
        }
        armLeftoverFlush()
    }

    /// Makes sure the leftover flush runs at the next 30 s boundary.
    func armLeftoverFlush() {
        guard !leftoverFlushQueued else { return }
        leftoverFlushQueued = true
        host.setSchedulerTimer(timers.add(.leftoverFlush), at: (now / Self.leftoverPeriod + 1) * Self.leftoverPeriod,
                               phase: .arrival, passive: true)
    }

    /// Moves the pool's pods for which `requeue` holds, in pool order.
    func movePool(where wanted: (PodID) -> Bool) {
        for id in takeFromPool(where: wanted) { requeue(id) }
    }

    /// Takes the pool's pods for which `wanted` holds out of it, in pool order.
    func takeFromPool(where wanted: (PodID) -> Bool) -> [PodID] {
        guard !pool.isEmpty else { return [] }
        // Most events move nobody: the pool is rebuilt only from the first pod that moves.
        var first = -1
        for (k, id) in pool.enumerated() where location[Int(id)] == .unschedulable && wanted(id) {
            first = k
            break
        }
        guard first >= 0 else { return [] }
        var kept: [PodID] = [], moved: [PodID] = [pool[first]]
        kept.reserveCapacity(pool.count)
        for id in pool[..<first] where location[Int(id)] == .unschedulable { kept.append(id) }
        for id in pool[(first + 1)...] where location[Int(id)] == .unschedulable {
            if wanted(id) { moved.append(id) } else { kept.append(id) }
        }
        pool = kept
        return moved
    }

    /// Whether `event` may make pod `id` schedulable: a hint of one of its rejecting plugins says
    /// `queue` (a plugin without hints always does; a pod with no known rejector always moves).
    func worthRequeuing(_ id: PodID, after event: ClusterEvent) -> Bool {
        if onlyResourcesRejected[Int(id)] { return NodeResourcesFit.hint(for: id, after: event, in: cluster) == .queue }
        let hints = rejectorHints[Int(id)]
        if hints.isEmpty { return true }
        for hint in hints {
            guard let hint else { return true }
            if hint.queueingHint(for: id, after: event, in: cluster) == .queue { return true }
        }
        return false
    }

    /// A cluster event: pods it may help leave the pool.
    func observe(_ event: ClusterEvent) {
        switch event {
        case .podAdd(let id):
            track(id)
            let priority = cluster.pods[Int(id)].spec.priority
            if firstPriority == nil { firstPriority = priority } else if firstPriority != priority {
                // Parked and tentative pods may no longer be reasoned about when preemption becomes
                // possible: those found futile at this instant are retried for real, the rest wait in the pool.
                if singlePriority {
                    promoteTentative()
                    unparkAll()
                }
                singlePriority = false
            }
        case .podUpdate(_, .started):
            return
        case .podDelete(let id, let node):
            track(id)
            if location[Int(id)] == .parked { unpark(id) }
            location[Int(id)] = .none
            if let h = permitTimer[Int(id)] { timers.cancel(h) }
            if node >= 0 {
                freedLog.append(node)
                promoteTentative()
                return requeueAfterFree(takeFromPool { worthRequeuing($0, after: event) }, node: node)
            }
        case .podUpdate(_, .unbound(let node)):
            freedLog.append(node)
            promoteTentative()
            return requeueAfterFree(takeFromPool { worthRequeuing($0, after: event) }, node: node)
        case .nodeAdd, .nodeDelete, .nodeUpdate:
            nodeEpoch += 1
            promoteTentative()
            unparkAll()
        default:
            break
        }
        unparkShapes(hintedBy: event)
        movePool { worthRequeuing($0, after: event) }
    }

    /// The backoff flush (every whole second while the backoff queue holds pods).
    func flushBackoff() {
        backoffFlushQueued = false
        while let head = backoffQ.min {
            guard location[Int(head.id)] == .backoff else { _ = backoffQ.popMin(); continue }
            guard !isBackingOff(head.id) else { break }
            _ = backoffQ.popMin()
            moveToActive(head.id)
        }
        dropStaleBackoff()
        if !backoffQ.isEmpty {
            backoffFlushQueued = true
            host.setSchedulerTimer(timers.add(.backoffFlush), at: now + Self.second, phase: .arrival, passive: true)
        }
    }

    func dropStaleBackoff() {
        while let head = backoffQ.min, location[Int(head.id)] != .backoff { _ = backoffQ.popMin() }
    }

    /// `Activate`: pods waiting in the pool or the backoff queue go to the active queue at once,
    /// bypassing their backoff (a Permit plugin asks this for the siblings of a pod it holds).
    func activate(_ ids: [PodID]) {
        for id in ids where Int(id) < location.count
            && (location[Int(id)] == .unschedulable || location[Int(id)] == .backoff || location[Int(id)] == .parked) {
            if location[Int(id)] == .unschedulable { pool.removeAll { $0 == id } }
            if location[Int(id)] == .parked { unpark(id) }
            moveToActive(id)
        }
    }

    /// The leftover flush (every 30 s while the pool holds pods): pods there longer than
    /// `podMaxInUnschedulablePodsDuration` move as on an event that concerns everyone.
    func flushLeftover() {
        leftoverFlushQueued = false
        let maxStay = Clock.micros(seconds: configuration.unschedulableFlushSeconds)
        movePool { now - timestamp[Int($0)] > maxStay }
        flushLeftoverParked(maxStay: maxStay)
        if pool.contains(where: { location[Int($0)] == .unschedulable }) || hasWaitingParked {
            leftoverFlushQueued = true
            host.setSchedulerTimer(timers.add(.leftoverFlush), at: now + Self.leftoverPeriod, phase: .arrival, passive: true)
        }
    }

    /// The next pod to try: the active queue's head, else (popping from the backoff queue) the backoff
    /// queue's head whether or not its backoff is over.
    func pop() -> PodID? {
        while let next = activeQ.popMin() {
            if location[Int(next.id)] == .active && cluster.pods[Int(next.id)].phase == .pending { return take(next.id) }
        }
        guard configuration.popFromBackoffQ else { return nil }
        while let next = backoffQ.popMin() {
            if location[Int(next.id)] == .backoff && cluster.pods[Int(next.id)].phase == .pending { return take(next.id) }
        }
        return nil
    }

    private func take(_ id: PodID) -> PodID {
        location[Int(id)] = .none
        return id
    }
}
