import HeapModule
import KFCluster
import KFEngine

/// kube-scheduler's scheduling queue: the active queue (a heap in queue-sort order), the backoff
/// timers and the unschedulable pool, with the queueing hints that move pods out of the pool when the
/// cluster changes. Each pod has at most one queue timer pending (backoff, flush or Permit wait);
/// any move of the pod cancels it.
final class SchedulingQueue {
    struct QueuedPod: Comparable {
        let key: QueueSortKey
        let id: PodID
        static func < (a: QueuedPod, b: QueuedPod) -> Bool { a.key != b.key ? a.key < b.key : a.id < b.id }
        static func == (a: QueuedPod, b: QueuedPod) -> Bool { a.id == b.id }
    }

    let cluster: ClusterState
    let configuration: SchedulerConfiguration
    let queueSort: QueueSortPlugin
    unowned(unsafe) var host: SchedulerHost!
    var activeQ = Heap<QueuedPod>()
    /// The unschedulable pool, in the order pods entered it.
    var unschedulable: [PodID] = []
    var lastAttemptAt: [SimTime] = []
    var lastFailureResourceOnly: [Bool] = []
    var timers = TimerTable<SchedulerTimer>()
    var podTimer: [Scheduled?] = []
    var cycleQueued = false

    init(cluster: ClusterState, configuration: SchedulerConfiguration, queueSort: QueueSortPlugin) {
        self.cluster = cluster
        self.configuration = configuration
        self.queueSort = queueSort
    }

    var now: SimTime { host.now }

    /// Makes room for pods created since the last call.
    func track(_ id: PodID) {
        while podTimer.count <= Int(id) {
            podTimer.append(nil)
            lastAttemptAt.append(-1)
            lastFailureResourceOnly.append(false)
        }
    }

    /// Sets pod `id`'s queue timer (cancelling the one it had).
    func setPodTimer(_ id: PodID, _ timer: SchedulerTimer, at time: SimTime) {
        cancelPodTimer(id)
        let handle = timers.add(timer)
        podTimer[Int(id)] = handle
        host.setSchedulerTimer(handle, at: time, phase: .arrival, passive: true)
    }

    /// Cancels pod `id`'s queue timer, if any.
    func cancelPodTimer(_ id: PodID) {
        track(id)
        if let h = podTimer[Int(id)] {
            timers.cancel(h)
            podTimer[Int(id)] = nil
        }
    }

    /// Puts a pending pod in the active queue and makes sure a cycle runs this instant.
    func enqueueActive(_ id: PodID) {
        cancelPodTimer(id)
        activeQ.insert(QueuedPod(key: queueSort.sortKey(cluster.pods[Int(id)], in: cluster), id: id))
        if !cycleQueued {
            cycleQueued = true
            host.setSchedulerTimer(timers.add(.cycle), at: now, phase: .schedule, passive: false)
        }
    }

    /// A failed attempt: the pod waits in the unschedulable pool (flushed after the flush period).
    func markUnschedulable(_ id: PodID, reason: String, resourceOnly: Bool, countAttempt: Bool = true) {
        if countAttempt { cluster.noteAttempt(id, reason: reason) } else { cluster.noteReason(id, reason) }
        lastFailureResourceOnly[Int(id)] = resourceOnly
        unschedulable.append(id)
        setPodTimer(id, .flush(id), at: now + Clock.micros(seconds: configuration.unschedulableFlushSeconds))
    }

    /// A pod left the unschedulable pool: straight to the active queue if its backoff is over, else it
    /// waits for its backoff timer.
    func moveToActiveOrBackoff(_ id: PodID) {
        let attempts = Int(cluster.pods[Int(id)].attempts)
        let backoff = Clock.micros(seconds: configuration.backoffSeconds(attempts: attempts))
        let readyAt = lastAttemptAt[Int(id)] + backoff
        if readyAt <= now {
            enqueueActive(id)
        } else {
            setPodTimer(id, .backoffDone(id), at: readyAt)
        }
    }

    /// Moves the pool's pods for which `requeue` holds, in pool order.
    func movePool(where requeue: (PodID) -> Bool) {
        guard !unschedulable.isEmpty else { return }
        var kept: [PodID] = [], moved: [PodID] = []
        kept.reserveCapacity(unschedulable.count)
        for id in unschedulable {
            if requeue(id) { moved.append(id) } else { kept.append(id) }
        }
        guard !moved.isEmpty else { return }
        unschedulable = kept
        for id in moved { moveToActiveOrBackoff(id) }
    }

    /// Resources were released on `node`: a pod rejected only for lack of resources is requeued when
    /// the node now has room for it (any other node's room cannot have grown without its own release
    /// event); others always.
    func resourcesReleased(on node: Int32) {
        let room = cluster.usage[Int(node)]
        movePool { !(lastFailureResourceOnly[Int($0)] && !room.fits(cluster.pods[Int($0)].resources.requests)) }
    }

    /// A pod was bound: pods rejected for other reasons than resources (pod affinity, topology spread)
    /// may now fit, so they are retried, as kube-scheduler does on an assigned-pod-add event.
    func assignedPodAdded() {
        movePool { !lastFailureResourceOnly[Int($0)] }
    }

    /// A cluster event the scheduler did not cause itself.
    func observe(_ event: ClusterEvent) {
        switch event {
        case .podAdd(let id):
            track(id)
        case .podDelete(let id, let node):
            cancelPodTimer(id)
            if let i = unschedulable.firstIndex(of: id) { unschedulable.remove(at: i) }
            if node >= 0 { resourcesReleased(on: node) }
        case .nodeAdd, .nodeUpdate, .nodeDelete:
            movePool { _ in true }
        case .podUpdate:
            break  // the scheduler's own bindings: handled where it binds
        }
    }
}
