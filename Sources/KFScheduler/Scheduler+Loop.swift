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
            for plugin in profiles[name]!.plugins {
                if let w = plugin.asClusterEventPlugin, !watchers.contains(where: { $0 === w }) { watchers.append(w) }
            }
        }
        let cluster = self.cluster
        let permits = profiles.values.contains { !$0.permits.isEmpty }
        let preemption = profiles.values.contains { $0.postFilters.contains { $0.name == "DefaultPreemption" } }
        let queue = self.queue
        let shortcuts = configuration.retryShortcuts
        queue.tentativeEligible = { [unowned(unsafe) self, unowned(unsafe) queue] id in
            // Nothing may free room inside a run (no Permit holds, no preemption) for the order to hold.
            shortcuts && !permits && (!preemption || queue.singlePriority) && queue.onlyResourcesRejected[Int(id)]
                && queue.epochAtAttempt[Int(id)] == queue.nodeEpoch && self.futileEligible(id)
        }
        // The cluster keeps this handler and calls it only inside its own methods (so the cluster is
        // alive) and only while the scheduler is (its deinit unsubscribes): it holds the cluster, the
        // scheduler and the queue without counting references on each event. A strong hold on the
        // cluster would keep the two (and every finished run of a sweep) alive.
        dropClusterSubscription()  // attached again: one handler
        clusterSubscription = cluster.subscribe { [unowned(unsafe) self, unowned(unsafe) cluster, unowned(unsafe) queue] event in
            if !watchers.isEmpty {
                for w in watchers { w.observe(event, in: cluster) }
            }
            queue.observe(event)
            if case .podDelete(let id, _) = event, cluster.pods[Int(id)].scheduling.nominatedNode >= 0 { self.nominate(id, to: nil) }
        }
    }

    /// Undoes `attach`: the scheduler stops hearing the cluster's events and forgets its host (which is
    /// going: the host calls this from its deinit).
    public func detach() {
        dropClusterSubscription()
        queue.host = nil
    }

    /// Removes the cluster-event handler `attach` subscribed, if any.
    func dropClusterSubscription() {
        if let clusterSubscription { cluster.unsubscribe(clusterSubscription) }
        clusterSubscription = nil
    }

    /// A new pending pod: it enters the active queue.
    public func enqueue(_ pod: PodID) { queue.add(pod) }

    /// One of the scheduler's timers fires; returns whether it was still live (not cancelled or stale).
    @discardableResult
    public func fire(_ handle: Scheduled) -> Bool {
        guard let timer = queue.timers.take(handle) else { return false }
        switch timer {
        case .cycle:
            queue.cycleQueued = false
            runCycles()
        case .backoffFlush:
            queue.flushBackoff()
        case .leftoverFlush:
            queue.flushLeftover()
        case .permitTimeout(let id):
            queue.permitTimer[Int(id)] = nil
            guard cluster.pods[Int(id)].permitWaiting else { return false }
            let (pods, reason) = permitTimedOut(id)
            requeueHeld(pods, reason: reason)
        }
        return true
    }

    /// Pods in the unschedulable pool (for reports and tests).
    public var unschedulablePods: [PodID] {
        queue.settleAllParked()
        return queue.pool.filter { queue.location[Int($0)] == .unschedulable } + queue.waitingParkedPods
    }

    /// Writes out the state of pods whose futile retries were counted in bulk (call when the run ends,
    /// before its pods are reported).
    public func settleCountedRetries() { queue.settleAllParked() }

    /// Scheduling cycles at this instant until the queue has nothing to pop.
    func runCycles() {
        let now = queue.now
        queue.countTentative()
        while let id = queue.pop() {
            if isFutileRetry(id) {
                countFutileRetry(id)
                if onAttempt != nil { reportFutile(id) }
                continue
            }
            let outcome = schedule(id)
            if onAttempt != nil { reportAttempt(id, outcome) }
            switch outcome {
            case .bound(let node):
                if cluster.pods[Int(id)].scheduling.nominatedNode >= 0 { nominate(id, to: nil) }
                cluster.noteAttempt(id, reason: nil)
                cluster.bind(id, to: node, now: now)
                queue.host.noteProgress()
                launch(id)
                // Pods a Permit plugin held until this one came start too.
                for held in takeReleased() where cluster.pods[Int(held)].permitWaiting && cluster.pods[Int(held)].phase == .starting {
                    cluster.setPermitWaiting(held, false)
                    launch(held)
                }
            case .waiting(let node, let timeout):
                cluster.noteAttempt(id, reason: "waiting on permit")
                cluster.bind(id, to: node, now: now)
                cluster.setPermitWaiting(id, true)
                // Holding is not progress: a group that can never fit makes the run stall, and be reported.
                let handle = queue.timers.add(.permitTimeout(id))
                queue.permitTimer[Int(id)] = handle
                queue.host.setSchedulerTimer(handle, at: now + Clock.micros(seconds: timeout), phase: .arrival, passive: true)
                queue.activate(takeActivations())
            case .preempting(let node, let victims, let reason, let rejectors):
                queue.markUnschedulable(id, reason: reason, rejectors: rejectors)
                nominate(id, to: node)
                // Victims held at Permit go back to the queue; bound ones are evicted.
                requeueHeld(victims.filter { cluster.pods[Int($0)].permitWaiting }, reason: "preempted at Permit")
                let evicted = victims.filter { !cluster.pods[Int($0)].permitWaiting && !cluster.pods[Int($0)].phase.isTerminal }
                if !evicted.isEmpty { queue.host.preempt(evicted, by: id) }
            case .unschedulable(let reason, let rejectors):
                queue.markUnschedulable(id, reason: reason, rejectors: rejectors)
                let rejected = takeRejected()
                if !rejected.isEmpty {
                    requeueHeld(rejected, reason: "rejected by Coscheduling: a member of the pod group fits nowhere")
                }
            }
        }
    }

    /// Hands a bound pod to the kubelet.
    func launch(_ id: PodID) {
        if let h = queue.permitTimer[Int(id)] {
            queue.timers.cancel(h)
            queue.permitTimer[Int(id)] = nil
        }
        queue.host.launch(id)
    }

    /// Unbinds pods held at Permit and puts them back in the pool (rejected by the Permit plugin).
    func requeueHeld(_ pods: [PodID], reason: String) {
        let permitters = pods.first.map { profiles[cluster.pods[Int($0)].spec.schedulerName]?.permits.map(\.name) ?? [] } ?? []
        for p in pods where cluster.pods[Int(p)].permitWaiting && cluster.pods[Int(p)].phase == .starting {
            if let h = queue.permitTimer[Int(p)] { queue.timers.cancel(h) }
            queue.permitTimer[Int(p)] = nil
            cluster.unbind(p)
            // The hold already counted as each held pod's attempt.
            queue.markUnschedulable(p, reason: reason, rejectors: permitters, countAttempt: false)
        }
    }
}
