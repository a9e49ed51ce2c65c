import KFCluster
import KFEngine
import KFScheduler

extension Simulation {
    // MARK: - Scheduling queue

    /// Puts a pending pod in the active queue and makes sure a cycle runs this instant.
    func enqueueActive(_ id: PodID) {
        cluster.bumpVersion(id)
        activeQueue.insert(QueuedPod(key: scheduler.queueSort.sortKey(cluster.pods[Int(id)], in: cluster), id: id))
        if !cycleQueued {
            cycleQueued = true
            push(.scheduleCycle, at: now, phase: .schedule, passive: false)
        }
    }

    /// One scheduling cycle per queued pod, in queue order, all at this instant.
    func runSchedulingCycle() {
        while let next = activeQueue.popMin() {
            let id = next.id
            guard cluster.pods[Int(id)].phase == .pending else { continue }
            let outcome = scheduler.schedule(id)
            lastAttemptAt[Int(id)] = now
            switch outcome {
            case .bound(let node):
                cluster.noteAttempt(id, reason: nil)
                cluster.bind(id, to: node, now: now)
                engine.noteProgress()
                launch(id)
                // Pods a Permit plugin held until this one came start too.
                for held in scheduler.takeReleased() where cluster.pods[Int(held)].permitWaiting && cluster.pods[Int(held)].phase == .starting {
                    cluster.setPermitWaiting(held, false)
                    launch(held)
                }
                podBound()
            case .waiting(let node, let timeout):
                cluster.noteAttempt(id, reason: "waiting on permit")
                cluster.bind(id, to: node, now: now)
                cluster.setPermitWaiting(id, true)
                let version = cluster.bumpVersion(id)
                // Holding is not progress: a group that can never fit makes the run stall, and be reported.
                push(.permitTimeout(id, version), at: now + Clock.micros(seconds: timeout), phase: .arrival, passive: true)
                podBound()
            case .unschedulable(let reason, let resourceOnly):
                markUnschedulable(id, reason: reason, resourceOnly: resourceOnly)
                let rejected = scheduler.takeRejected()
                if !rejected.isEmpty {
                    requeueHeld(rejected, reason: "rejected by Coscheduling: a member of the pod group fits nowhere")
                }
            }
        }
    }

    /// Sends a bound pod on its way: binding and kubelet sync, then image pulls, then container start.
    func launch(_ id: PodID) {
        let version = cluster.bumpVersion(id)
        let synced = now + Clock.micros(seconds: options.latencies.scheduling.sample(latencyStream))
        let pulled = cluster.pullImages(id, from: synced)
        let startAt = pulled + Clock.micros(seconds: options.latencies.containerStart.sample(latencyStream))
        push(.podStarted(id, version), at: startAt, phase: .arrival, passive: false)
    }

    /// A failed attempt: the pod waits in the unschedulable pool (flushed after the flush period).
    func markUnschedulable(_ id: PodID, reason: String, resourceOnly: Bool, countAttempt: Bool = true) {
        if countAttempt { cluster.noteAttempt(id, reason: reason) } else { cluster.noteReason(id, reason) }
        lastFailureResourceOnly[Int(id)] = resourceOnly
        let version = cluster.bumpVersion(id)
        unschedulablePods.append(id)
        let flushAt = now + Clock.micros(seconds: scheduler.configuration.unschedulableFlushSeconds)
        push(.flush(id, version), at: flushAt, phase: .arrival, passive: true)
    }

    /// A held pod's Permit wait ran out: its group's held pods are unbound and go back to the queue.
    func permitTimedOut(_ id: PodID) {
        let (pods, reason) = scheduler.permitTimedOut(id)
        requeueHeld(pods, reason: reason)
    }

    /// Unbinds pods held at Permit and puts them back in the queue.
    func requeueHeld(_ pods: [PodID], reason: String) {
        var freed: [Int32] = []
        for p in pods where cluster.pods[Int(p)].permitWaiting && cluster.pods[Int(p)].phase == .starting {
            let node = cluster.pods[Int(p)].node
            cluster.unbind(p)
            lastAttemptAt[Int(p)] = now
            // The hold already counted as each held pod's attempt.
            markUnschedulable(p, reason: reason, resourceOnly: false, countAttempt: false)
            if !freed.contains(node) { freed.append(node) }
        }
        for n in freed { podReleased(node: n) }
    }

    /// A pod left the unschedulable pool: straight to the active queue if its backoff is over,
    /// else to the backoff queue.
    func moveToActiveOrBackoff(_ id: PodID) {
        let attempts = Int(cluster.pods[Int(id)].attempts)
        let backoff = Clock.micros(seconds: scheduler.configuration.backoffSeconds(attempts: attempts))
        let readyAt = lastAttemptAt[Int(id)] + backoff
        if readyAt <= now {
            enqueueActive(id)
        } else {
            let version = cluster.bumpVersion(id)
            push(.backoffDone(id, version), at: readyAt, phase: .arrival, passive: true)
        }
    }

    /// Resources were released on `node`: requeue the unschedulable pods this may help. A pod rejected
    /// only for lack of resources is requeued when the freed node now has room for it (a queueing
    /// hint: any other node's room cannot have grown without its own release event); others always.
    func podReleased(node: Int32) {
        guard !unschedulablePods.isEmpty else { return }
        let room = cluster.usage[Int(node)]
        var kept: [PodID] = []
        kept.reserveCapacity(unschedulablePods.count)
        var moved: [PodID] = []
        for id in unschedulablePods {
            if lastFailureResourceOnly[Int(id)] && !room.fits(cluster.pods[Int(id)].resources.requests) {
                kept.append(id)
            } else {
                moved.append(id)
            }
        }
        unschedulablePods = kept
        for id in moved { moveToActiveOrBackoff(id) }
    }

    /// A pod was bound: pods rejected for other reasons than resources (pod affinity, topology spread)
    /// may now fit, so they are retried, as kube-scheduler does on an assigned-pod-add event.
    func podBound() {
        guard !unschedulablePods.isEmpty else { return }
        var kept: [PodID] = [], moved: [PodID] = []
        for id in unschedulablePods {
            if lastFailureResourceOnly[Int(id)] { kept.append(id) } else { moved.append(id) }
        }
        guard !moved.isEmpty else { return }
        unschedulablePods = kept
        for id in moved { moveToActiveOrBackoff(id) }
    }

    /// A node was added or changed: every unschedulable pod is retried.
    public func clusterChanged() {
        let moved = unschedulablePods
        unschedulablePods.removeAll()
        for id in moved { moveToActiveOrBackoff(id) }
    }
}
