import HeapModule
import KFCluster
import KFEngine

/// Pods of one shape waiting in bulk (`SchedulingQueue+Parked`).
final class ParkedShape {
    /// A settled member in pop order: priority (highest first), then id.
    struct Entry: Comparable {
        let priority: Int64, id: PodID, serial: Int
        static func < (a: Entry, b: Entry) -> Bool { a.priority != b.priority ? a.priority > b.priority : a.id < b.id }
        static func == (a: Entry, b: Entry) -> Bool { a.id == b.id && a.serial == b.serial }
    }

    let requests: Resources
    /// A pod of this shape (the hints of NodeResourcesFit depend only on the requests).
    let representative: PodID
    /// Members whose backoff is at its maximum and whose queue timestamp is `touchedAt`: they all back
    /// off to the same window, so they pop in queue-sort order. Entries of pods that left are skipped.
    var settled = Heap<Entry>()
    /// The other members, each with its state written out (joined since the last touch, or backoff
    /// still growing).
    var fresh: [PodID] = []
    /// Live members.
    var count = 0
    /// Futile retries counted for every settled member so far, and when the last was.
    var touches = 0
    var touchedAt: SimTime = 0
    var touchCheckpoint = 0, touchEpoch = 0
    /// Whether the settled members' retries at this instant were found futile and wait to be counted.
    var pendingTouch = false

    init(requests: Resources, representative: PodID) {
        self.requests = requests
        self.representative = representative
    }
}

/// Per-pod bookkeeping of parked pods.
final class Parking {
    enum State: UInt8 { case none, fresh, freshTentative, settled }
    var shapes: [ParkedShape] = []
    var shapeIndex: [Resources: Int] = [:]
    var shapeOf: [Int32] = []
    var state: [State] = []
    /// `touches` of the pod's shape when its state was last written out.
    var joined: [Int] = []
    /// The serial of a settled pod's heap entry (older entries are stale).
    var entrySerial: [Int] = []
    var nextSerial = 0
    var liveCount = 0

    func track() {
        shapeOf.append(-1)
        state.append(.none)
        joined.append(0)
        entrySerial.append(-1)
    }
}

/// Parked pods: the pool's pods whose retries after a deletion are futile but for the first few, kept
/// in bulk so that a deletion costs work in the number of pods that can use the room, not in the
/// length of the queue.
///
/// After room is freed on a node, `requeueAfterFree` sends the first k pods of each shape (in pop
/// order) to the heaps and counts the others' retries as futile: each gets one more attempt, its queue
/// timestamp and futile-retry checkpoint reset. Once a pod's backoff is at its maximum and it has been
/// through such a count, every further count changes it the same way as every other such pod of its
/// shape, so those pods are kept together ("settled") and the counts are tallied per shape; a pod's
/// own state is written out when it leaves (or when the run ends). Pods of one shape pop in the order
/// (active first, backoff window, queue sort key, id): settled pods share the first three, so with
/// PrioritySort they come out by priority and id. The outputs are those of `SchedulingQueue+Tentative`
/// pod by pod.
extension SchedulingQueue {
    /// Whether pod `id` may wait parked: the tentative reasoning holds for it and the queue sorts by
    /// PrioritySort with the backoff queue popped at once.
    func canPark(_ id: PodID) -> Bool {
        configuration.popFromBackoffQ && queueSort is PrioritySort && tentativeEligible(id)
    }

    /// Parks pod `id` (its state written out) with the fresh members of its shape.
    func park(_ id: PodID) {
        let requests = cluster.pods[Int(id)].resources.requests
        let s: Int
        if let i = parking.shapeIndex[requests] { s = i } else {
            s = parking.shapes.count
            parking.shapes.append(ParkedShape(requests: requests, representative: id))
            parking.shapeIndex[requests] = s
        }
        let shape = parking.shapes[s]
        location[Int(id)] = .parked
        parking.shapeOf[Int(id)] = Int32(s)
        parking.state[Int(id)] = .fresh
        parking.joined[Int(id)] = shape.touches
        shape.fresh.append(id)
        shape.count += 1
        parking.liveCount += 1
    }

    /// Writes out a parked pod's state: the counts of its shape since it was last written.
    func settle(_ id: PodID) {
        guard parking.state[Int(id)] == .settled else { return }
        let shape = parking.shapes[Int(parking.shapeOf[Int(id)])]
        let missed = shape.touches - parking.joined[Int(id)]
        guard missed > 0 else { return }
        cluster.noteRepeatedAttempts(id, count: Int32(missed))
        timestamp[Int(id)] = shape.touchedAt
        checkpoint[Int(id)] = shape.touchCheckpoint
        epochAtAttempt[Int(id)] = shape.touchEpoch
        parking.joined[Int(id)] = shape.touches
    }

    /// Takes a parked pod out of its shape, its state written out (location left to the caller).
    /// `inFresh: false` leaves the fresh list to the caller (bulk removals rebuild it once).
    func unpark(_ id: PodID, inFresh: Bool = true) {
        settle(id)
        let shape = parking.shapes[Int(parking.shapeOf[Int(id)])]
        if inFresh, parking.state[Int(id)] != .settled, let i = shape.fresh.firstIndex(of: id) { shape.fresh.remove(at: i) }
        shape.count -= 1
        parking.liveCount -= 1
        parking.shapeOf[Int(id)] = -1
        parking.state[Int(id)] = .none
        location[Int(id)] = .none
    }

    /// Whether a heap entry still stands for a settled member.
    func isLive(_ e: ParkedShape.Entry, of s: Int) -> Bool {
        location[Int(e.id)] == .parked && parking.state[Int(e.id)] == .settled && parking.shapeOf[Int(e.id)] == Int32(s)
            && parking.entrySerial[Int(e.id)] == e.serial
    }

    /// Whether `id` is parked in shape `s` (a shape's lists keep ids that left until they are pruned).
    func isMember(_ id: PodID, of s: Int) -> Bool {
        location[Int(id)] == .parked && parking.shapeOf[Int(id)] == Int32(s)
    }

    /// The live members of shape `s`: the fresh ones in order, then the settled ones (in pop order when
    /// `ordered`, else in no particular order: for callers that send them all to the heaps).
    func members(of s: Int, freshOnly: Bool = false, ordered: Bool = false) -> [PodID] {
        let shape = parking.shapes[s]
        var out: [PodID] = shape.fresh.filter {
            isMember($0, of: s) && parking.state[Int($0)] != .settled
        }
        guard !freshOnly else { return out }
        let entries = ordered ? shape.settled.unordered.sorted() : Array(shape.settled.unordered)
        for e in entries where isLive(e, of: s) { out.append(e.id) }
        return out
    }

    /// The settled members of shape `s`, in no particular order.
    func settledMembers(of s: Int) -> [PodID] {
        parking.shapes[s].settled.unordered.compactMap { isLive($0, of: s) ? $0.id : nil }
    }

    /// Every parked pod of shape `s` leaves it: to the heaps (`requeue`) or back to the pool.
    func dissolve(_ s: Int, requeueing: Bool) {
        let ids = members(of: s)
        let shape = parking.shapes[s]
        shape.settled = Heap()
        shape.fresh.removeAll()
        shape.pendingTouch = false
        for id in ids {
            unpark(id, inFresh: false)
            if requeueing { requeue(id) } else {
                location[Int(id)] = .unschedulable
                pool.append(id)
            }
        }
    }

    /// Every parked pod goes back to the pool (the reasoning that kept them no longer holds).
    func unparkAll() {
        guard parking.liveCount > 0 else { return }
        for s in parking.shapes.indices { dissolve(s, requeueing: false) }
    }

    /// Shapes whose pods an event (other than freed room) may help go back to the pool, where the
    /// event moves them.
    func unparkShapes(hintedBy event: ClusterEvent) {
        guard parking.liveCount > 0 else { return }
        for s in parking.shapes.indices where parking.shapes[s].count > 0 {
            if NodeResourcesFit.hint(for: parking.shapes[s].representative, after: event, in: cluster) == .queue {
                dissolve(s, requeueing: false)
            }
        }
    }

    /// Room freed on `node`: of each shape the first k pods that fit there (in pop order) go to the
    /// heaps, the others' retries are futile and counted at the run. False when the parked pods were
    /// all requeued instead (the caller then requeues `moved` as upstream does).
    func requeueParked(_ moved: inout [PodID], node: Int32) {
        guard parking.liveCount > 0 else { return }
        // Pool pods that may park join their shape first, so that each shape is decided once.
        var rest: [PodID] = []
        for id in moved {
            if canPark(id) { park(id) } else { rest.append(id) }
        }
        moved = rest
        for s in parking.shapes.indices where parking.shapes[s].count > 0 {
            let shape = parking.shapes[s]
            let k = capacity(of: node, for: shape.requests, upTo: shape.count)
            guard k < shape.count else {
                dissolve(s, requeueing: true)
                continue
            }
            var fresh = members(of: s, freshOnly: true)
            var keys = fresh.map { popKey($0) }
            for _ in 0..<k {
                // The smaller pop key of the best fresh member and the settled head.
                var best = -1
                var bestKey: PopKey?
                for i in keys.indices where bestKey == nil || keys[i] < bestKey! { best = i; bestKey = keys[i] }
                if let head = settledHead(s) {
                    settle(head.id)
                    if bestKey == nil || popKey(head.id) < bestKey! {
                        shape.settled.removeMin()
                        unpark(head.id)
                        requeue(head.id)
                        continue
                    }
                }
                let id = fresh.remove(at: best)
                keys.remove(at: best)
                unpark(id)
                requeue(id)
            }
            // The others wait to be counted at the run.
            var backingOff = false
            for id in fresh {
                parking.state[Int(id)] = .freshTentative
                if !backingOff && isBackingOff(id) { backingOff = true }
            }
            shape.fresh = fresh
            if let head = settledHead(s) {
                shape.pendingTouch = true
                settle(head.id)
                if !backingOff && isBackingOff(head.id) { backingOff = true }
            }
            if !fresh.isEmpty || shape.pendingTouch {
                requestCycle()
                if backingOff && !backoffFlushQueued {
                    backoffFlushQueued = true
                    host.setSchedulerTimer(timers.add(.backoffFlush), at: (now / Self.second + 1) * Self.second,
                                           phase: .arrival, passive: true)
                }
            }
        }
    }

    /// The settled head of shape `s` (stale entries dropped).
    func settledHead(_ s: Int) -> ParkedShape.Entry? {
        let shape = parking.shapes[s]
        while let head = shape.settled.min {
            if isLive(head, of: s) { return head }
            shape.settled.removeMin()
        }
        return nil
    }

    /// Room freed again, or a node changed, before the run: the parked pods found futile go to the heaps.
    func promoteParked() {
        guard parking.liveCount > 0 else { return }
        for s in parking.shapes.indices where parking.shapes[s].count > 0 {
            let shape = parking.shapes[s]
            var ids = members(of: s, freshOnly: true).filter { parking.state[Int($0)] == .freshTentative }
            if shape.pendingTouch { ids += settledMembers(of: s) }
            shape.pendingTouch = false
            requeueParked(ids, of: s)
        }
    }

    /// Sends parked members `ids` of shape `s` to the heaps, and prunes the shape's fresh list.
    func requeueParked(_ ids: [PodID], of s: Int) {
        for id in ids {
            unpark(id, inFresh: false)
            requeue(id)
        }
        parking.shapes[s].fresh.removeAll { !isMember($0, of: s) }
    }

    /// The run counts the futile retries: the fresh ones pod by pod, the settled ones as one touch.
    func countParked() {
        guard parking.liveCount > 0 else { return }
        for s in parking.shapes.indices where parking.shapes[s].count > 0 {
            let shape = parking.shapes[s]
            let anyTentative = shape.fresh.contains { isMember($0, of: s) && parking.state[Int($0)] == .freshTentative }
            guard shape.pendingTouch || anyTentative else { continue }
            if shape.pendingTouch || settledHead(s) == nil {
                // A touch of the settled pods, or (none settled) the time the pods settling now share.
                if shape.pendingTouch { shape.touches += 1 }
                shape.pendingTouch = false
                shape.touchedAt = now
                shape.touchCheckpoint = freedLog.count
                shape.touchEpoch = nodeEpoch
            }
            var kept: [PodID] = []
            let settlesAt = maxBackoffSeconds
            for id in shape.fresh where isMember(id, of: s) {
                guard parking.state[Int(id)] == .freshTentative else {
                    if parking.state[Int(id)] == .fresh { kept.append(id) }
                    continue
                }
                cluster.noteAttempt(id, reason: nil)
                timestamp[Int(id)] = now
                checkpoint[Int(id)] = freedLog.count
                epochAtAttempt[Int(id)] = nodeEpoch
                parking.joined[Int(id)] = shape.touches
                if configuration.backoffSeconds(attempts: Int(cluster.pods[Int(id)].attempts)) == settlesAt {
                    parking.state[Int(id)] = .settled
                    parking.entrySerial[Int(id)] = parking.nextSerial
                    shape.settled.insert(ParkedShape.Entry(priority: Int64(cluster.pods[Int(id)].spec.priority), id: id,
                                                           serial: parking.nextSerial))
                    parking.nextSerial += 1
                } else {
                    parking.state[Int(id)] = .fresh
                    kept.append(id)
                }
            }
            shape.fresh = kept
            armLeftoverFlush()
        }
    }

    /// The leftover flush for parked pods: those in the pool longer than `maxStay` go to the heaps.
    func flushLeftoverParked(maxStay: SimTime) {
        guard parking.liveCount > 0 else { return }
        for s in parking.shapes.indices where parking.shapes[s].count > 0 {
            let shape = parking.shapes[s]
            var ids = members(of: s, freshOnly: true).filter { parking.state[Int($0)] == .fresh && now - timestamp[Int($0)] > maxStay }
            if !shape.pendingTouch && now - shape.touchedAt > maxStay {
                ids += settledMembers(of: s)
            }
            requeueParked(ids, of: s)
        }
    }

    /// Whether some parked pod waits (not found futile at this instant).
    var hasWaitingParked: Bool {
        guard parking.liveCount > 0 else { return false }
        for s in parking.shapes.indices where parking.shapes[s].count > 0 {
            let shape = parking.shapes[s]
            if !shape.pendingTouch && settledHead(s) != nil { return true }
            if shape.fresh.contains(where: { isMember($0, of: s) && parking.state[Int($0)] == .fresh }) { return true }
        }
        return false
    }

    /// The backoff every pod reaches after enough failures.
    var maxBackoffSeconds: Double { configuration.backoffSeconds(attempts: 64) }

    /// Writes out every parked pod's state (for the reports at the end of a run).
    func settleAllParked() {
        guard parking.liveCount > 0 else { return }
        for s in parking.shapes.indices { for id in members(of: s) { settle(id) } }
    }

    /// Parked pods not found futile at this instant (those a pool walk would see).
    var waitingParkedPods: [PodID] {
        parking.shapes.indices.flatMap { s in
            members(of: s, ordered: true).filter { parking.state[Int($0)] == .fresh || (parking.state[Int($0)] == .settled && !parking.shapes[s].pendingTouch) }
        }
    }
}
