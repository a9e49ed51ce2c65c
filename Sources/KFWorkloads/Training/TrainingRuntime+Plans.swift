import KFCluster
import KFControlPlane
import KFEngine

extension TrainingRuntime {
    /// GPUs of one node: the model its `nvidia.com/gpu.product` label names, if any.
    static func gpuModel(of node: Int32, _ cluster: ClusterState) -> GPUModel? {
        guard node >= 0, let product = cluster.nodes[Int(node)].spec.labels[GPUModel.productLabel] else { return nil }
        return GPUModel.named(product)
    }

    /// The GPU model of `node`, looked up once per node (labels do not change).
    func cachedGPUModel(of node: Int32, _ cluster: ClusterState) -> GPUModel? {
        guard node >= 0 else { return nil }
        if let known = gpuModels[node] { return known }
        let model = Self.gpuModel(of: node, cluster)
        gpuModels[node] = .some(model)
        return model
    }

    /// Seconds one worker pod computes per iteration on `samples` samples: on its GPUs when it requests
    /// some and the profile gives GPU figures, else on its CPU share (infinite without CPU).
    func computeSeconds(_ pod: PodID, samples: Double, _ profile: TrainingProfile, _ cluster: ClusterState) -> Double {
        let p = cluster.pods[Int(pod)]
        let gpus = p.resources.requests.gpu
        if gpus > 0, !profile.gpuSecondsPerSample.isEmpty {
            let model = cachedGPUModel(of: p.node, cluster)
            let perSample = model?.secondsPerSample(profile.gpuSecondsPerSample) ?? profile.gpuSecondsPerSample[0].seconds
            return perSample * samples / Double(gpus)
        }
        return p.rate > 0 ? profile.computePerSample * samples / p.rate : .infinity
    }

    /// The iteration of `job` as placed now: parameter servers when it has them, else ring allreduce
    /// among its trainers (GPU peers at their interconnect's bandwidth, CPU workers at the profile's
    /// local bandwidth).
    func plan(for job: TrainingJob, _ cluster: ClusterState) -> IterationPlan {
        // Pods never move once bound: the same pods at the same CPU rates give the same plan.
        let rates = job.workerPods.map { cluster.pods[Int($0)].rate }
        if let c = job.planCache, c.workers == job.workerPods, c.ps == job.psPods, c.rates == rates { return c.plan }
        let plan = makePlan(for: job, cluster)
        job.planCache = (job.workerPods, job.psPods, rates, plan)
        return plan
    }

    func makePlan(for job: TrainingJob, _ cluster: ClusterState) -> IterationPlan {
        let profile = job.spec.profile
        let workers = job.workerPods
        let nodes = workers.map { cluster.pods[Int($0)].node }
        let network = cluster.network
        if job.spec.usesParameterServers {
            let samples = profile.synchronous ? profile.globalBatch / Double(max(1, workers.count)) : profile.globalBatch
            let compute = workers.map { computeSeconds($0, samples: samples, profile, cluster) }
            return IterationPlan.parameterServer(synchronous: profile.synchronous, compute: compute, workerNodes: nodes,
                                                 psNodes: job.psPods.map { cluster.pods[Int($0)].node }, modelBytes: profile.modelBytes,
                                                 localBandwidth: profile.localBandwidth, network: network)
        }
        let samples = profile.globalBatch / Double(max(1, workers.count))
        let compute = workers.map { computeSeconds($0, samples: samples, profile, cluster) }
        let onGPUs = workers.contains { cluster.pods[Int($0)].resources.requests.gpu > 0 }
        let local = onGPUs ? nodes.compactMap { cachedGPUModel(of: $0, cluster)?.peerBandwidth }.min() ?? profile.localBandwidth
                           : profile.localBandwidth
        let ranks = workers.map { onGPUs ? max(1, Int(cluster.pods[Int($0)].resources.requests.gpu)) : 1 }
        return IterationPlan.allreduce(compute: compute, workerNodes: nodes, ranks: ranks, modelBytes: profile.modelBytes, localBandwidth: local,
                                       network: network)
    }

    /// Phased outcomes of the jobs `phased` (indices into `running`): jobs whose flows share links are
    /// simulated together, each group of them only when its plans changed since the last time (else the
    /// measured outcomes stand: their phases repeat); groups of more than `PhasedNetwork.exactGroupLimit`
    /// jobs are averaged over phase offsets instead (`PhasedNetwork.averaged`).
    func phasedOutcomes(_ running: [TrainingJob], _ plans: [IterationPlan], _ phased: [Int], background: [MaxMinFairShare.LinkFlow],
                        _ cluster: ClusterState) -> [(Int, PhasedNetwork.Outcome?)] {
        // Groups: union-find over the links the jobs' flows cross.
        var parent = Array(phased.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        // The first job seen on each link (an array over the links: no hashing on this path).
        var owner = [Int](repeating: -1, count: cluster.network.capacities.count)
        for (g, k) in phased.enumerated() {
            for f in plans[k].flows {
                f.forEach { link in
                    if owner[link] >= 0 { parent[root(g)] = root(owner[link]) } else { owner[link] = g }
                }
            }
        }
        var slot = [Int](repeating: -1, count: phased.count)
        var groupMembers: [[Int]] = []
        for g in phased.indices {
            let r = root(g)
            if slot[r] < 0 {
                slot[r] = groupMembers.count
                groupMembers.append([])
            }
            groupMembers[slot[r]].append(phased[g])
        }
        var out: [(Int, PhasedNetwork.Outcome?)] = []
        var cache: [[ObjectIdentifier]: PhasedGroup] = [:]
        for members in groupMembers {
            let key = members.map { ObjectIdentifier(running[$0]) }
            let memberPlans = members.map { plans[$0] }
            if members.count > PhasedNetwork.exactGroupLimit {
                var unchanged: [Bool] = []
                let views = members.map { k -> AveragedView in
                    let id = ObjectIdentifier(running[k])
                    if let v = averagedViews[id], v.plan == plans[k] { unchanged.append(true); return v.view }
                    let v = AveragedView(plans[k])
                    averagedViews[id] = (plans[k], v)
                    unchanged.append(false)
                    return v
                }
                var outcomes = PhasedNetwork.averaged(memberPlans, locals: views, initialRates: members.map { running[$0].rate },
                                                      background: background, capacities: cluster.network.capacities)
                // The averaged rates move a little at every recomputation of a large group as they approach
                // their fixed point; a job whose placement did not change keeps its rate while the move is
                // under 0.1% (else every job of the group would be rescheduled at every pod event).
                for (i, k) in members.enumerated() {
                    let job = running[k]
                    if let o = outcomes[i], job.rate > 0, abs(o.rate - job.rate) <= 1e-3 * job.rate, unchanged[i] {
                        outcomes[i]!.rate = job.rate
                    }
                    out.append((k, outcomes[i]))
                }
                continue
            }
            if let old = phasedCache[key], old.plans == memberPlans, old.background == background {
                cache[key] = old
                for (i, k) in members.enumerated() { out.append((k, old.outcomes[i])) }
                continue
            }
            // Where each job is in its iteration: seconds until its next one starts.
            let offsets = members.map { k -> Double in
                let job = running[k]
                let f = job.iterationsDone - job.iterationsDone.rounded(.down)
                return f > 0 && job.rate > 0 ? (1 - f) / job.rate : 0
            }
            let outcomes = PhasedNetwork.run(memberPlans, offsets: offsets, background: background, capacities: cluster.network.capacities)
            cache[key] = PhasedGroup(plans: memberPlans, background: background, outcomes: outcomes)
            for (i, k) in members.enumerated() { out.append((k, outcomes[i])) }
        }
        phasedCache = cache
        return out
    }
}

/// A group of jobs simulated together and what was measured.
struct PhasedGroup {
    var plans: [IterationPlan]
    var background: [MaxMinFairShare.LinkFlow]
    var outcomes: [PhasedNetwork.Outcome?]
}
