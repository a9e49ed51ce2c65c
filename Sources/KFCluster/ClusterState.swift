import KFEngine

/// The cluster's mutable state: nodes, pods, namespaces and the accounting that goes with them.
///
/// It has no clock of its own: the simulation passes `now` into every change.
public final class ClusterState {
    /// Nodes, by index.
    public private(set) var nodes: [Node]
    /// What is requested on each node, by node index.
    public private(set) var usage: [NodeUsage]
    /// Admitted pods, by `PodID`.
    public private(set) var pods: [Pod] = []
    /// Namespaces, by index.
    public let namespaces: [NamespaceSpec]
    /// Quota usage per namespace index.
    public private(set) var quotaUsage: [QuotaUsage]
    /// Image sizes in bytes, by image name.
    public let imageSizes: [String: Int64]
    /// Images the cluster knows (sized, or present on a node), by name -> dense id.
    public let imageIDs: [String: Int]
    /// Size of each known image, by id.
    public let imageSizeByID: [Int64]
    /// Number of nodes holding (or pulling) each known image, by id.
    public private(set) var imageNodeCount: [Int]
    /// Which known images each node holds or pulls: `imageWords` 64-bit words per node.
    public private(set) var nodeImageBits: [UInt64]
    /// Words per node in `nodeImageBits`.
    public let imageWords: Int
    /// Sum of allocatable resources.
    public private(set) var capacity: Resources
    /// Sum of requests of bound, non-terminated pods.
    public private(set) var allocated: Resources = .zero
    /// CPU in use, in cores: the running pods' rates times their duty cycles.
    public private(set) var cpuUsed: Double = 0
    /// Bound, non-terminated pods that carry required anti-affinity terms (InterPodAffinity must look
    /// at existing pods only when this is positive).
    public private(set) var boundPodsWithRequiredAntiAffinity = 0
    /// Pods pending (admitted, not bound).
    public private(set) var pendingCount = 0
    /// Pods bound and starting.
    public private(set) var startingCount = 0
    /// Pods running.
    public private(set) var runningCount = 0
    /// Pods not yet terminated.
    public var liveCount: Int { pendingCount + startingCount + runningCount }
    /// The label naming a pod's PodGroup (scheduler-plugins coscheduling).
    public static let podGroupLabel = "scheduling.x-k8s.io/pod-group"
    /// PodGroups' `minMember`, by "namespace/name".
    public private(set) var podGroupMinMember: [String: Int] = [:]
    /// Non-terminated pods of each PodGroup, and those of them bound (starting, held or running).
    public private(set) var podGroupMembers: [String: Int] = [:], podGroupBound: [String: Int] = [:]

    /// Order and creation time of each PodGroup, by key.
    public private(set) var podGroupOrder: [String: (index: Int64, created: SimTime)] = [:]

    /// Declares a PodGroup (`namespace/name`) with its `minMember`, created at `now`.
    public func registerPodGroup(_ key: String, minMember: Int, now: SimTime) {
        podGroupMinMember[key] = minMember
        if podGroupOrder[key] == nil { podGroupOrder[key] = (Int64(podGroupOrder.count), now) }
    }

    /// The PodGroup key of a pod, if it belongs to one.
    public static func podGroup(of spec: PodSpec) -> String? {
        spec.labels[podGroupLabel].map { "\(spec.namespace)/\($0)" }
    }
    /// Pods whose projected end changed in the last `start`, `finish` or rate recomputation;
    /// the simulation drains it to queue their completion events.
    public var rescheduled: [PodID] = []

    private let namespaceIndex: [String: Int32]
    private var rateScratchCaps: [Double] = []
    private var rateScratchWeights: [Double] = []

    /// A cluster of `nodes` (unique names) and `namespaces` (unique names).
    public init(nodes: [NodeSpec], namespaces: [NamespaceSpec], imageSizes: [String: Int64] = [:]) {
        self.nodes = nodes.enumerated().map { Node(index: Int32($0.offset), spec: $0.element) }
        self.usage = nodes.map { NodeUsage($0) }
        self.namespaces = namespaces
        self.quotaUsage = Array(repeating: QuotaUsage(), count: namespaces.count)
        var index: [String: Int32] = [:]
        for (i, ns) in namespaces.enumerated() { index[ns.name] = Int32(i) }
        self.namespaceIndex = index
        self.imageSizes = imageSizes
        let names = Set(imageSizes.keys).union(nodes.flatMap(\.images)).sorted()
        var ids: [String: Int] = [:]
        for (i, name) in names.enumerated() { ids[name] = i }
        imageIDs = ids
        imageSizeByID = names.map { imageSizes[$0] ?? 0 }
        let words = (names.count + 63) / 64
        imageWords = words
        var bits = [UInt64](repeating: 0, count: words * nodes.count)
        var counts = [Int](repeating: 0, count: names.count)
        var cap = Resources.zero
        for (n, node) in nodes.enumerated() {
            cap += node.allocatable
            for image in node.images {
                let id = ids[image]!
                bits[n * words + id / 64] |= 1 << UInt64(id % 64)
                counts[id] += 1
            }
        }
        imageNodeCount = counts
        nodeImageBits = bits
        self.capacity = cap
    }

    /// The index of namespace `name`, if it exists.
    public func namespace(named name: String) -> Int32? { namespaceIndex[name] }

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
        if let g = ClusterState.podGroup(of: spec) { podGroupMembers[g, default: 0] += 1 }
        return .success(id)
    }

    // MARK: - Pod lifecycle

    /// Records a scheduling attempt's outcome on a pod still pending.
    public func noteAttempt(_ id: PodID, reason: String?) {
        pods[Int(id)].attempts += 1
        if let reason { pods[Int(id)].reason = reason }
    }

    /// Sets the reason a pending pod waits, without counting an attempt.
    public func noteReason(_ id: PodID, _ reason: String) { pods[Int(id)].reason = reason }

    /// Bumps a pod's version, invalidating its queued events; returns the new version.
    @discardableResult
    public func bumpVersion(_ id: PodID) -> UInt32 {
        pods[Int(id)].version &+= 1
        return pods[Int(id)].version
    }

    /// Binds a pending pod to a node, reserving its requests there.
    public func bind(_ id: PodID, to node: Int32, now: SimTime) {
        let p = Int(id), n = Int(node)
        precondition(pods[p].phase == .pending, "bind of a pod that is not pending")
        pods[p].phase = .starting
        pendingCount -= 1
        startingCount += 1
        pods[p].node = node
        pods[p].scheduledAt = now
        pods[p].reason = ""
        nodes[n].pods.append(id)
        accountBinding(p, on: n, sign: 1)
    }

    /// Adds (1) or removes (-1) a bound pod's share of its node's usage and the cluster's counters.
    private func accountBinding(_ p: Int, on n: Int, sign: Int64) {
        let r = pods[p].resources
        usage[n].requested += Resources(cpu: sign * r.requests.cpu, memory: sign * r.requests.memory, gpu: sign * r.requests.gpu)
        usage[n].scoringRequested += Resources(cpu: sign * r.scoringRequests.cpu, memory: sign * r.scoringRequests.memory,
                                               gpu: sign * r.scoringRequests.gpu)
        usage[n].podCount += sign
        allocated += Resources(cpu: sign * r.requests.cpu, memory: sign * r.requests.memory, gpu: sign * r.requests.gpu)
        if !pods[p].spec.podAntiAffinity.required.isEmpty { boundPodsWithRequiredAntiAffinity += Int(sign) }
        if let g = ClusterState.podGroup(of: pods[p].spec) { podGroupBound[g, default: 0] += Int(sign) }
    }

    /// Undoes `bind` for a pod that has not started (a Permit wait that timed out): back to pending.
    public func unbind(_ id: PodID) {
        let p = Int(id), n = Int(pods[p].node)
        precondition(pods[p].phase == .starting && n >= 0, "unbind of a pod that is not bound and waiting")
        pods[p].phase = .pending
        pods[p].node = -1
        pods[p].scheduledAt = -1
        pods[p].permitWaiting = false
        startingCount -= 1
        pendingCount += 1
        if let i = nodes[n].pods.firstIndex(of: id) { nodes[n].pods.remove(at: i) }
        accountBinding(p, on: n, sign: -1)
    }

    /// Marks a bound pod as held by (or released from) a Permit plugin.
    public func setPermitWaiting(_ id: PodID, _ waiting: Bool) { pods[Int(id)].permitWaiting = waiting }

    /// Pulls the pod's missing images on its node, starting at `from`; returns when all are ready.
    /// Pulls on a node run one after another at its pull bandwidth; an image another pod is already
    /// pulling is waited for, not pulled twice.
    public func pullImages(_ id: PodID, from start: SimTime) -> SimTime {
        let n = Int(pods[Int(id)].node)
        var ready = start
        for c in pods[Int(id)].spec.containers where !c.image.isEmpty && !nodes[n].spec.images.contains(c.image) {
            if let at = nodes[n].imageReadyAt[c.image] {
                ready = max(ready, at)
                continue
            }
            let bytes = imageSizes[c.image] ?? 0
            let begin = max(start, nodes[n].pullBusyUntil)
            let done = begin + Clock.micros(seconds: Double(bytes) / nodes[n].spec.imagePullBandwidth)
            nodes[n].pullBusyUntil = done
            nodes[n].imageReadyAt[c.image] = done
            if let image = imageIDs[c.image] {
                nodeImageBits[n * imageWords + image / 64] |= 1 << UInt64(image % 64)
                imageNodeCount[image] += 1
            }
            ready = max(ready, done)
        }
        return ready
    }

    /// Whether `node` holds or pulls the known image `id`.
    @inline(__always)
    public func nodeHasImage(_ node: Int32, id: Int) -> Bool {
        nodeImageBits[Int(node) * imageWords + id / 64] & (1 << UInt64(id % 64)) != 0
    }

    /// A bound pod's containers are up: it starts running and its node's CPU is shared anew.
    public func start(_ id: PodID, now: SimTime) {
        let p = Int(id)
        precondition(pods[p].phase == .starting, "start of a pod that is not starting")
        pods[p].phase = .running
        startingCount -= 1
        runningCount += 1
        pods[p].startedAt = now
        pods[p].lastUpdate = now
        let n = Int(pods[p].node)
        nodes[n].running.append(id)
        if case .duration(let seconds) = pods[p].spec.work {
            pods[p].projectedEnd = now + Clock.micros(seconds: seconds)
            rescheduled.append(id)
        }
        reshare(node: n, now: now, forced: id)
    }

    /// A pod ends (or is deleted): its node, namespace and the cluster's accounting release it.
    public func finish(_ id: PodID, now: SimTime, succeeded: Bool, reason: String = "") {
        let p = Int(id)
        let wasRunning = pods[p].phase == .running
        precondition(!pods[p].phase.isTerminal, "finish of a terminated pod")
        switch pods[p].phase {
        case .pending: pendingCount -= 1
        case .starting: startingCount -= 1
        default: runningCount -= 1
        }
        pods[p].phase = succeeded ? .succeeded : .failed
        pods[p].finishedAt = now
        pods[p].permitWaiting = false
        pods[p].version &+= 1
        pods[p].projectedEnd = -1
        if !reason.isEmpty { pods[p].reason = reason }
        Admission.account(pods[p].resources, into: &quotaUsage[Int(pods[p].namespaceIndex)], sign: -1)
        if let g = ClusterState.podGroup(of: pods[p].spec) { podGroupMembers[g, default: 0] -= 1 }
        let node = Int(pods[p].node)
        guard node >= 0 else { return }
        if let i = nodes[node].pods.firstIndex(of: id) { nodes[node].pods.remove(at: i) }
        accountBinding(p, on: node, sign: -1)
        if wasRunning {
            if pods[p].remainingWork > 0 { pods[p].remainingWork = max(0, pods[p].remainingWork - pods[p].rate * Clock.seconds(now - pods[p].lastUpdate)) }
            cpuUsed -= pods[p].rate * pods[p].duty
            nodes[node].cpuRate -= pods[p].rate
            nodes[node].cpuBusy -= pods[p].rate * pods[p].duty
            pods[p].rate = 0
            if let i = nodes[node].running.firstIndex(of: id) { nodes[node].running.remove(at: i) }
            reshare(node: node, now: now, forced: nil)
        }
    }

    /// Sets the duty cycle of a running pod (0...1), keeping the used-CPU accounting in step.
    public func setDuty(_ id: PodID, _ duty: Double) {
        let p = Int(id)
        let d = min(max(duty, 0), 1)
        guard pods[p].phase == .running, d != pods[p].duty else { pods[p].duty = d; return }
        let n = Int(pods[p].node)
        let delta = pods[p].rate * (d - pods[p].duty)
        pods[p].duty = d
        cpuUsed += delta
        nodes[n].cpuBusy += delta
    }

    // MARK: - CPU sharing

    /// Recomputes the CPU rates on `node`; pods whose rate changes (and `forced`) get a new projected end
    /// and are appended to `rescheduled`.
    func reshare(node n: Int, now: SimTime, forced: PodID?) {
        let running = nodes[n].running
        guard !running.isEmpty else {
            cpuUsed -= nodes[n].cpuBusy
            nodes[n].cpuRate = 0
            nodes[n].cpuBusy = 0
            return
        }
        rateScratchCaps.removeAll(keepingCapacity: true)
        rateScratchWeights.removeAll(keepingCapacity: true)
        for id in running {
            rateScratchCaps.append(pods[Int(id)].cpuCap)
            rateScratchWeights.append(pods[Int(id)].cpuWeight)
        }
        let capacity = Double(nodes[n].spec.allocatable.cpu) / 1000
        let rates = CPUSharing.rates(caps: rateScratchCaps, weights: rateScratchWeights, capacity: capacity)
        var sum = 0.0, busy = 0.0
        for (k, id) in running.enumerated() {
            let p = Int(id)
            let newRate = rates[k]
            sum += newRate
            busy += newRate * pods[p].duty
            if newRate == pods[p].rate && id != forced { continue }
            // Bring the work up to date at the old rate, then project at the new one.
            if case .cpu = pods[p].spec.work {
                pods[p].remainingWork = max(0, pods[p].remainingWork - pods[p].rate * Clock.seconds(now - pods[p].lastUpdate))
                pods[p].lastUpdate = now
                pods[p].rate = newRate
                pods[p].projectedEnd = newRate > 0 ? now + Clock.micros(seconds: pods[p].remainingWork / newRate) : -1
                pods[p].version &+= 1
                rescheduled.append(id)
            } else {
                pods[p].lastUpdate = now
                pods[p].rate = newRate
            }
        }
        cpuUsed += busy - nodes[n].cpuBusy
        nodes[n].cpuRate = sum
        nodes[n].cpuBusy = busy
    }
}
