import KFEngine

extension ClusterState {
    // MARK: - Admission

    /// Creates a pod if its namespace's quota admits it (LimitRange defaults applied first).
    public func create(_ spec: PodSpec, owner: OwnerRef, now: SimTime) -> Result<PodID, Admission.Refusal> {
        guard let ns = namespaceIndex[spec.namespace] else {
            return .failure(Admission.Refusal(message: "namespaces \"\(spec.namespace)\" not found", permanent: true))
        }
        let nsSpec = namespaces[Int(ns)]
        let resources = Admission.resources(of: spec, limitRange: nsSpec.limitRange)
        if let invalid = Admission.validate(resources, name: spec.name) { return .failure(invalid) }
        if let refusal = Admission.checkQuota(resources, quota: nsSpec.quota, usage: quotaUsage[Int(ns)], namespace: nsSpec.name) {
            return .failure(refusal)
        }
        Admission.account(resources, into: &quotaUsage[Int(ns)], sign: 1)
        let id = PodID(pods.count)
        pods.append(Pod(id: id, spec: spec, resources: resources, owner: owner, namespaceIndex: ns, createdAt: now))
        pendingCount += 1
        emit(.podAdd(id))
        return .success(id)
    }

    // MARK: - Pod lifecycle

    /// Records a scheduling attempt's outcome on a pod still pending.
    public func noteAttempt(_ id: PodID, reason: String?) {
        pods[Int(id)].scheduling.attempts += 1
        if let reason {
            pods[Int(id)].status.reason = reason
            if pods[Int(id)].scheduling.firstFailure.isEmpty { pods[Int(id)].scheduling.firstFailure = reason }
            pods[Int(id)].scheduling.lastFailure = reason
        }
    }

    /// Records `count` failed attempts at once, the reason unchanged (retries counted in bulk).
    public func noteRepeatedAttempts(_ id: PodID, count: Int32) { pods[Int(id)].scheduling.attempts += count }

    /// Sets the reason a pending pod waits, without counting an attempt.
    public func noteReason(_ id: PodID, _ reason: String) { pods[Int(id)].status.reason = reason }

    /// Binds a pending pod to a node, reserving its requests there.
    public func bind(_ id: PodID, to node: Int32, now: SimTime) {
        let p = Int(id), n = Int(node)
        precondition(pods[p].phase == .pending, "bind of a pod that is not pending")
        pods[p].status.phase = .starting
        pendingCount -= 1
        startingCount += 1
        pods[p].status.node = node
        pods[p].status.scheduledAt = now
        pods[p].status.reason = ""
        nodes[n].pods.append(id)
        accountBinding(p, on: n, sign: 1)
        emit(.podUpdate(id, .bound(node: node)))
    }

    /// Makes room for `count` more pods in the pod table (a hint: the table grows past it when needed).
    /// At most `podReservationCeiling` are reserved: a plan of billions of pods (a run its horizon cuts
    /// short) must not ask for more address space than the machine has.
    public func reservePodCapacity(_ count: Int) {
        guard count > 0 else { return }
        pods.reserveCapacity(pods.count + min(count, Self.podReservationCeiling))
    }

    /// The most pods `reservePodCapacity` reserves room for.
    public static let podReservationCeiling = 2_000_000

    /// The GPUs a pod occupies: whole GPUs plus its share of one (`gpuMilli` / 1000).
    func gpuDemand(_ p: Int) -> Double { pods[p].run.gpuDemand }

    /// GPUs allocated to bound pods: whole GPUs plus the shares held on devices.
    public var allocatedGPUs: Double { Double(allocated.gpu) + Double(gpuDevices.shareMilli) / 1000 }

    /// Adds (1) or removes (-1) a bound pod's share of its node's usage and the cluster's counters.
    func accountBinding(_ p: Int, on n: Int, sign: Int64) {
        let requests = pods[p].resources.requests, scoring = pods[p].resources.scoringRequests
        usage[n].requested += Resources(cpu: sign * requests.cpu, memory: sign * requests.memory, gpu: sign * requests.gpu)
        usage[n].scoringRequested += Resources(cpu: sign * scoring.cpu, memory: sign * scoring.memory, gpu: sign * scoring.gpu)
        usage[n].podCount += sign
        if logsUsageChanges { usageLog.append(Int32(n)) }
        if requests.gpu > 0 || pods[p].spec.gpuMilli > 0 {
            if sign > 0 {
                let (milli, count) = GPUDevices.request(gpuMilli: pods[p].spec.gpuMilli, gpus: requests.gpu)
                gpuDevices.allocate(PodID(p), milli: milli, count: count, on: n, allocatable: nodes[n].spec.allocatable.gpu)
            } else {
                gpuDevices.release(pods[p].id)
            }
        }
        allocated += Resources(cpu: sign * requests.cpu, memory: sign * requests.memory, gpu: sign * requests.gpu)
        if !pods[p].spec.podAntiAffinity.required.isEmpty { boundPodsWithRequiredAntiAffinity += Int(sign) }
        let priority = pods[p].spec.priority
        // A short list (runs have a handful of priorities), searched linearly: no hashing per binding.
        if let i = boundPriorities.firstIndex(of: priority) {
            boundPriorityCounts[i] += Int(sign)
            if boundPriorityCounts[i] == 0 {
                boundPriorities.remove(at: i)
                boundPriorityCounts.remove(at: i)
            }
        } else {
            boundPriorities.append(priority)
            boundPriorityCounts.append(Int(sign))
        }
    }

    /// Whether some bound, live pod has a priority below `priority` (something preemption could evict).
    public func hasBoundPod(withPriorityBelow priority: Int32) -> Bool {
        boundPriorities.contains { $0 < priority }
    }

    /// Undoes `bind` for a pod that has not started (a Permit wait that timed out): back to pending.
    public func unbind(_ id: PodID) {
        let p = Int(id), n = Int(pods[p].node)
        precondition(pods[p].phase == .starting && n >= 0, "unbind of a pod that is not bound and waiting")
        pods[p].status.phase = .pending
        pods[p].status.node = -1
        pods[p].status.scheduledAt = -1
        pods[p].scheduling.permitWaiting = false
        startingCount -= 1
        pendingCount += 1
        if let i = nodes[n].pods.firstIndex(of: id) { nodes[n].pods.remove(at: i) }
        accountBinding(p, on: n, sign: -1)
        emit(.podUpdate(id, .unbound(node: Int32(n))))
    }

    /// Marks a bound pod as held by (or released from) a Permit plugin.
    public func setPermitWaiting(_ id: PodID, _ waiting: Bool) { pods[Int(id)].scheduling.permitWaiting = waiting }

    /// A bound pod's containers are up: it starts running and its node's CPU is shared anew.
    public func start(_ id: PodID, now: SimTime) {
        let p = Int(id)
        precondition(pods[p].phase == .starting, "start of a pod that is not starting")
        pods[p].status.phase = .running
        startingCount -= 1
        runningCount += 1
        gpuUsed += gpuDemand(p) * pods[p].run.duty
        pods[p].status.startedAt = now
        pods[p].run.lastUpdate = now
        let n = Int(pods[p].node)
        nodes[n].startRunning(id, pods[p].run)
        if case .duration(let seconds) = pods[p].spec.work {
            pods[p].run.projectedEnd = now + Clock.micros(seconds: seconds)
            rescheduled.append(id)
        }
        reshare(node: n, now: now, forced: id)
        emit(.podUpdate(id, .started))
    }

    /// A pod ends (or is deleted or evicted): its node, namespace and the cluster's accounting release
    /// it. Its phase is `Succeeded` only when it succeeded. Emits `podDelete`.
    public func finish(_ id: PodID, now: SimTime, termination: PodTermination, reason: String = "") {
        let p = Int(id)
        defer { emit(.podDelete(id, node: pods[p].node)) }
        let wasRunning = pods[p].phase == .running
        precondition(!pods[p].phase.isTerminal, "finish of a terminated pod")
        switch pods[p].phase {
        case .pending: pendingCount -= 1
        case .starting: startingCount -= 1
        default: runningCount -= 1
        }
        pods[p].status.phase = termination == .succeeded ? .succeeded : .failed
        pods[p].status.termination = termination
        pods[p].status.finishedAt = now
        pods[p].scheduling.permitWaiting = false
        pods[p].run.projectedEnd = -1
        if !reason.isEmpty { pods[p].status.reason = reason }
        Admission.account(requests: pods[p].resources.requests, limitCPU: pods[p].resources.limitCPU,
                          limitMemory: pods[p].resources.limitMemory, into: &quotaUsage[Int(pods[p].namespaceIndex)], sign: -1)
        let node = Int(pods[p].node)
        guard node >= 0 else { return }
        if let i = nodes[node].pods.firstIndex(of: id) { nodes[node].pods.remove(at: i) }
        accountBinding(p, on: node, sign: -1)
        if wasRunning {
            if pods[p].run.remainingWork > 0 { pods[p].run.remainingWork = max(0, pods[p].run.remainingWork - pods[p].run.rate * Clock.seconds(now - pods[p].run.lastUpdate)) }
            cpuUsed -= pods[p].run.rate * pods[p].run.duty
            gpuUsed -= gpuDemand(p) * pods[p].run.duty
            nodes[node].cpuRate -= pods[p].run.rate
            nodes[node].cpuBusy -= pods[p].run.rate * pods[p].run.duty
            pods[p].run.rate = 0
            nodes[node].stopRunning(id)
            reshare(node: node, now: now, forced: nil)
        }
    }

    /// Sets the duty cycle of a running pod (0...1), keeping the used-CPU accounting in step.
    public func setDuty(_ id: PodID, _ duty: Double) {
        let p = Int(id)
        let d = min(max(duty, 0), 1)
        guard pods[p].phase == .running, d != pods[p].run.duty else { pods[p].run.duty = d; return }
        let n = Int(pods[p].node)
        let delta = pods[p].run.rate * (d - pods[p].run.duty)
        gpuUsed += gpuDemand(p) * (d - pods[p].run.duty)
        pods[p].run.duty = d
        if let i = nodes[n].running.firstIndex(of: id) { nodes[n].runningDuties[i] = d }
        cpuUsed += delta
        nodes[n].cpuBusy += delta
    }
}
