import KFCluster
import KFEngine

/// Retries known to be futile before they happen.
///
/// When a scheduled pod leaves node X, every pod that NodeResourcesFit alone rejected is requeued and,
/// with the backoff queue popped at once, retried in this instant's run. Pods of one shape (the same
/// requests) come out in a fixed order among themselves (active queue first, then backoff window, then
/// the queue sort key, then the id), and only X gained room for them: if k of them fit in X's room,
/// only the first k in that order can bind and the retries of the others are futile. Those skip the
/// heaps ("tentative": the timers of a real requeue are set all the same) and the run counts their
/// retries (`countTentative`). More room freed before the run, or a node event, sends them to the
/// heaps after all. Used only where nothing can free room inside a run (no Permit holds, no preemption)
/// and where the futile-retry reasoning holds (`Scheduler+FutileRetry`).
extension SchedulingQueue {
    /// Requeues pods moved by room freed on `node`, tentatively where their retry must be futile.
    func requeueAfterFree(_ moved: [PodID], node: Int32) {
        guard configuration.popFromBackoffQ, moved.count + parking.liveCount > 1, Int(node) < cluster.nodes.count,
              !cluster.nodes[Int(node)].isDeleted else {
            for s in parking.shapes.indices where parking.shapes[s].count > 0 { dissolve(s, requeueing: true) }
            return moved.forEach { requeue($0) }
        }
        var moved = moved
        requeueParked(&moved, node: node)
        // Shapes in order of first appearance (usually one or two), with their pods.
        var shapes: [(requests: Resources, ids: [PodID])] = []
        for id in moved {
            guard tentativeEligible(id) else { requeue(id); continue }
            let r = cluster.pods[Int(id)].resources.requests
            if let i = shapes.firstIndex(where: { $0.requests == r }) { shapes[i].ids.append(id) } else { shapes.append((r, [id])) }
        }
        for (r, ids) in shapes {
            let k = capacity(of: node, for: r, upTo: ids.count)
            guard k < ids.count else {
                ids.forEach { requeue($0) }
                continue
            }
            // The k first in pop order are requeued for real (k is small: repeated minimum search).
            let keys = ids.map { popKey($0) }
            var chosen = [Bool](repeating: false, count: ids.count)
            for _ in 0..<k {
                var best = -1
                for i in keys.indices where !chosen[i] && (best < 0 || keys[i] < keys[best]) { best = i }
                chosen[best] = true
            }
            for (i, id) in ids.enumerated() {
                if chosen[i] { requeue(id) } else { requeueTentatively(id, backingOff: keys[i].queue == 1) }
            }
        }
    }

    /// How many pods of `requests` fit together in `node`'s room now (at most `limit`).
    func capacity(of node: Int32, for requests: Resources, upTo limit: Int) -> Int {
        var u = cluster.usage[Int(node)]
        var k = 0
        while k < limit && NodeResourcesFit.fit(u, requests) == nil {
            u.requested += requests
            u.podCount += 1
            k += 1
        }
        return k
    }

    /// A pod's place in the order it would be popped in this instant (among pods requeued now).
    func popKey(_ id: PodID) -> PopKey {
        if isBackingOff(id), let expiry = backoffExpiry(id) { return PopKey(queue: 1, window: expiry, key: key(id), id: id) }
        return PopKey(queue: 0, window: 0, key: key(id), id: id)
    }

    /// Pop order: the active queue before the backoff queue, then backoff window, sort key, id.
    struct PopKey: Comparable {
        let queue: Int, window: SimTime, key: QueueSortKey, id: PodID
        static func < (a: PopKey, b: PopKey) -> Bool {
            if a.queue != b.queue { return a.queue < b.queue }
            if a.window != b.window { return a.window < b.window }
            return a.key != b.key ? a.key < b.key : a.id < b.id
        }
    }

    /// The timers of a real requeue, without the heaps.
    func requeueTentatively(_ id: PodID, backingOff: Bool) {
        location[Int(id)] = .tentative
        tentative.append(id)
        requestCycle()
        if backingOff && !backoffFlushQueued {
            backoffFlushQueued = true
            host.setSchedulerTimer(timers.add(.backoffFlush), at: (now / Self.second + 1) * Self.second, phase: .arrival, passive: true)
        }
    }

    /// Room was freed again, or a node changed, before the run: tentative pods go to the heaps.
    func promoteTentative() {
        promoteParked()
        guard !tentative.isEmpty else { return }
        let ids = tentative
        tentative.removeAll(keepingCapacity: true)
        for id in ids where location[Int(id)] == .tentative { requeue(id) }
    }

    /// The run counts the tentative pods' futile retries (they go back to the pool).
    func countTentative() {
        if !tentative.isEmpty {
            let ids = tentative
            tentative.removeAll(keepingCapacity: true)
            for id in ids where location[Int(id)] == .tentative { markFailedAgain(id) }
        }
        countParked()
    }
}
