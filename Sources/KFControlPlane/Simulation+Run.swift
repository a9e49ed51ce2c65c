import KFCluster
import KFEngine

extension Simulation {
    /// Runs to completion, the horizon or a stall.
    public func run() {
        for c in workloads { c.start(in: self) }
        cluster.reservePodCapacity(workloads.reduce(0) { $0 + $1.plannedPods })
        recorder.reserveJobCapacity(workloads.reduce(0) { $0 + $1.plannedJobs })
        sampleInterval = options.sampleInterval
        if sampleInterval > 0 { engine.schedule(.sample, at: 0, phase: .sample, passive: true) }
        // Done as soon as every workload is (stale completion events may still be queued).
        let reason = engine.run(isFinished: { cluster.liveCount == 0 && workloads.allSatisfy(\.isDone) },
                                willAdvance: { recorder.utilization.integrate(to: $0, cluster: cluster) },
                                handle: { handle($0) })
        stopReason = reason
        scheduler.settleCountedRetries()
        if recorder.jobs.contains(where: { $0.finishedAt < 0 }) { recorder.utilization.noteStop(at: now) }
        // A run of services only (no jobs): utilisation over the whole run.
        if recorder.jobs.isEmpty { recorder.utilization.noteWholeRun(until: now) }
    }

    func handle(_ event: SimEvent) {
        switch event {
        case .kubelet(let handle):
            switch kubelet.take(handle) {
            case .started(let id)?: podStarted(id)
            case .finished(let id)?:
                recorder.eventCount += 1
                end(id, termination: .succeeded, reason: "")
            case .imagePulled(let node, let image)?:
                recorder.eventCount += 1
                cluster.imagePulled(node: node, image: image)
            case nil: break
            }
        case .scheduler(let handle):
            if scheduler.fire(handle) { recorder.eventCount += 1 }
        case .timer(let index, let handle):
            recorder.eventCount += 1
            owner(at: index).fire(handle, in: self)
        case .sample:
            recorder.eventCount += 1
            var waiting = 0
            for c in workloads { waiting += c.waitingCreations }
            recorder.sample(cluster, waitingCreations: waiting, now: now, perNode: options.recordNodes)
            if !extraSeries.isEmpty { recorder.setExtra(extraSeries.map { $0.value() }) }
            if recorder.samples.count >= max(options.sampleCap, 2) {
                recorder.thin()
                sampleInterval *= 2
            }
            // Samples fall on multiples of the interval (from 0), so thinning keeps an even grid.
            engine.schedule(.sample, at: (now / sampleInterval + 1) * sampleInterval, phase: .sample, passive: true)
        }
    }

    /// A pod's containers are up: it runs, and its job has started.
    func podStarted(_ id: PodID) {
        recorder.eventCount += 1
        cluster.start(id, now: now)
        engine.noteProgress()
        let job = cluster.pods[Int(id)].owner.job
        if job >= 0 && recorder.jobs[Int(job)].startedAt < 0 { recorder.jobs[Int(job)].startedAt = now }
        kubelet.projectCompletions(now: now)
        for observer in podObservers { observer(id) }
    }

    /// A pod ends: the cluster releases it (pending pods that may now fit are requeued through its
    /// event), its owner hears, then the observers.
    func end(_ id: PodID, termination: PodTermination, reason: String) {
        cluster.finish(id, now: now, termination: termination, reason: reason)
        kubelet.forget(id)
        engine.noteProgress()
        kubelet.projectCompletions(now: now)
        let owner = cluster.pods[Int(id)].owner
        if owner.controller >= 0, let w = workload(at: owner.controller) {
            w.podEnded(id, termination: termination, in: self)
        }
        for observer in podObservers { observer(id) }
    }
}
