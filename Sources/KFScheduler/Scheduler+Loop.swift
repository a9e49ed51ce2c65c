import KFCluster
import KFEngine

/// The scheduler's loop over its queue (kube-scheduler's `scheduleOne`): pop, run the cycle, bind or
/// hold or put the pod back, and react to cluster events.
extension Scheduler {
    /// Connects the scheduler to the control plane that runs it and to the cluster's events. Call once,
    /// before pods are created.
    public func attach(to host: SchedulerHost) {
        queue.host = host
        var watchers: [ClusterEventPlugin] = []
        for name in profiles.keys.sorted() {
            for plugin in profiles[name]!.plugins { if let w = plugin as? ClusterEventPlugin, !watchers.contains(where: { $0 === w }) { watchers.append(w) } }
        }
        let cluster = self.cluster
        cluster.subscribe { [unowned self] event in
            for w in watchers { w.observe(event, in: cluster) }
            self.queue.observe(event)
        }
    }

    /// A new pending pod: it enters the active queue.
    public func enqueue(_ pod: PodID) {
        queue.track(pod)
        queue.enqueueActive(pod)
    }

    /// One of the scheduler's timers fires; returns whether it was still live (not cancelled or stale).
    @discardableResult
    public func fire(_ handle: Scheduled) -> Bool {
        guard let timer = queue.timers.take(handle) else { return false }
        switch timer {
        case .cycle:
            queue.cycleQueued = false
            runCycles()
            return true
        case .backoffDone(let id):
            queue.podTimer[Int(id)] = nil
            guard cluster.pods[Int(id)].phase == .pending else { return false }
            queue.enqueueActive(id)
        case .flush(let id):
            queue.podTimer[Int(id)] = nil
            guard cluster.pods[Int(id)].phase == .pending else { return false }
            if let i = queue.unschedulable.firstIndex(of: id) { queue.unschedulable.remove(at: i) }
            queue.moveToActiveOrBackoff(id)
        case .permitTimeout(let id):
            queue.podTimer[Int(id)] = nil
            guard cluster.pods[Int(id)].permitWaiting else { return false }
            let (pods, reason) = permitTimedOut(id)
            requeueHeld(pods, reason: reason)
        }
        return true
    }

    /// Pods in the unschedulable pool (for reports and tests).
    public var unschedulablePods: [PodID] { queue.unschedulable }

    /// One scheduling cycle per queued pod, in queue order, all at this instant.
    func runCycles() {
        let now = queue.now
        while let next = queue.activeQ.popMin() {
            let id = next.id
            guard cluster.pods[Int(id)].phase == .pending else { continue }
            let outcome = schedule(id)
            queue.lastAttemptAt[Int(id)] = now
            switch outcome {
            case .bound(let node):
                cluster.noteAttempt(id, reason: nil)
                cluster.bind(id, to: node, now: now)
                queue.host.noteProgress()
                launch(id)
                // Pods a Permit plugin held until this one came start too.
                for held in takeReleased() where cluster.pods[Int(held)].permitWaiting && cluster.pods[Int(held)].phase == .starting {
                    cluster.setPermitWaiting(held, false)
                    launch(held)
                }
                queue.assignedPodAdded()
            case .waiting(let node, let timeout):
                cluster.noteAttempt(id, reason: "waiting on permit")
                cluster.bind(id, to: node, now: now)
                cluster.setPermitWaiting(id, true)
                // Holding is not progress: a group that can never fit makes the run stall, and be reported.
                queue.setPodTimer(id, .permitTimeout(id), at: now + Clock.micros(seconds: timeout))
                queue.assignedPodAdded()
            case .unschedulable(let reason, let resourceOnly):
                queue.markUnschedulable(id, reason: reason, resourceOnly: resourceOnly)
                let rejected = takeRejected()
                if !rejected.isEmpty {
                    requeueHeld(rejected, reason: "rejected by Coscheduling: a member of the pod group fits nowhere")
                }
            }
        }
    }

    /// Hands a bound pod to the kubelet.
    func launch(_ id: PodID) {
        queue.cancelPodTimer(id)
        queue.host.launch(id)
    }

    /// Unbinds pods held at Permit and puts them back in the pool.
    func requeueHeld(_ pods: [PodID], reason: String) {
        var freed: [Int32] = []
        for p in pods where cluster.pods[Int(p)].permitWaiting && cluster.pods[Int(p)].phase == .starting {
            let node = cluster.pods[Int(p)].node
            cluster.unbind(p)
            queue.lastAttemptAt[Int(p)] = queue.now
            // The hold already counted as each held pod's attempt.
            queue.markUnschedulable(p, reason: reason, resourceOnly: false, countAttempt: false)
            if !freed.contains(node) { freed.append(node) }
        }
        for n in freed { queue.resourcesReleased(on: n) }
    }
}
