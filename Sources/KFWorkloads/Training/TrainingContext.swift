import KFCluster
import KFControlPlane
import KFEngine

/// What a training policy sees and does: the waiting and active jobs, the nodes' free resources (net of
/// placements already decided but not yet bound), and the actions start, grow and shrink.
public struct TrainingContext {
    /// The simulation.
    public let sim: ControllerContext
    let controller: TFJobController

    /// Current time.
    public var now: SimTime { sim.now }
    /// Jobs not started yet, in submission order.
    public var waiting: [TrainingJob] { controller.jobs.filter { $0.state == .waiting } }
    /// Jobs starting or running, in submission order.
    public var active: [TrainingJob] { controller.jobs.filter { $0.state == .starting || $0.state == .running } }
    /// The last time a job started, ended or was resized.
    public var lastChange: SimTime { controller.lastChange }
    /// The pause a rescale costs a job.
    public var checkpointRestartSeconds: Double { controller.checkpointRestartSeconds }

    /// Per-pod requests of a job with `workers` Worker replicas: PS, trainers (Workers then Chief/Master),
    /// others (Evaluator, then an MPIJob's Launcher).
    public func requests(_ job: TrainingJob, workers: Int, ps psCount: Int? = nil) -> (ps: [Resources], workers: [Resources], others: [Resources]) {
        let ps = Array(repeating: controller.requests(job, .ps, in: sim), count: psCount ?? job.spec.psCount)
        var trainers = Array(repeating: controller.requests(job, .worker, in: sim), count: workers)
        for type in [ReplicaType.chief, .master] {
            trainers += Array(repeating: controller.requests(job, type, in: sim), count: job.spec.spec(type)?.replicas ?? 0)
        }
        var others: [Resources] = []
        for type in [ReplicaType.evaluator, .launcher] {
            others += Array(repeating: controller.requests(job, type, in: sim), count: job.spec.spec(type)?.replicas ?? 0)
        }
        return (ps, trainers, others)
    }

    /// The iterations per second the PS model predicts for `job` placed as `placement`, each worker at
    /// its CPU limit (or request), the job's transfers alone on the NICs.
    public func estimatedRate(_ job: TrainingJob, _ placement: Placement) -> Double {
        if let theta = job.spec.profile.optimusTheta {
            return PSIterationModel.optimusSpeed(job.spec.profile, theta: theta, ps: placement.ps.count, workers: placement.workers.count)
        }
        let cluster = sim.cluster
        let workerCores: Double = {
            guard let t = job.spec.spec(.worker)?.template else { return 1 }
            let ns = cluster.namespace(named: job.spec.namespace).map { cluster.namespaces[Int($0)].limitRange } ?? nil
            let r = Admission.resources(of: t, limitRange: ns)
            return Double(r.limitCPU ?? max(r.requests.cpu, 1000)) / 1000
        }()
        let profile = job.spec.profile
        let network = cluster.network
        let n = Double(max(1, placement.workers.count))
        let gpus = job.spec.spec(.worker).map { Double(Admission.resources(of: $0.template, limitRange: nil).requests.gpu) } ?? 0
        let plan: IterationPlan
        if job.spec.usesParameterServers {
            let samples = profile.synchronous ? profile.globalBatch / n : profile.globalBatch
            plan = .parameterServer(synchronous: profile.synchronous,
                                    compute: placement.workers.map { seconds(profile, samples, gpus, workerCores, $0) },
                                    workerNodes: placement.workers, psNodes: placement.ps, modelBytes: profile.modelBytes,
                                    localBandwidth: profile.localBandwidth, network: network)
        } else {
            let local = gpus > 0 ? placement.workers.compactMap { TrainingRuntime.gpuModel(of: $0, cluster)?.peerBandwidth }.min() : nil
            plan = .allreduce(compute: placement.workers.map { seconds(profile, profile.globalBatch / n, gpus, workerCores, $0) },
                              workerNodes: placement.workers, ranks: placement.workers.map { _ in max(1, Int(gpus)) }, modelBytes: profile.modelBytes,
                              localBandwidth: local ?? profile.localBandwidth, network: network)
        }
        let its = plan.continuousIterations(network.rates(plan.flows))
        return PSIterationModel.iterationsPerSecond(synchronous: plan.synchronous, its)
    }

    /// Seconds a worker on `node` computes `samples`: on its GPUs when it has some and the profile gives
    /// GPU figures, else on `cores`.
    private func seconds(_ profile: TrainingProfile, _ samples: Double, _ gpus: Double, _ cores: Double, _ node: Int32) -> Double {
        if gpus > 0, !profile.gpuSecondsPerSample.isEmpty {
            let perSample = TrainingRuntime.gpuModel(of: node, sim.cluster)?.secondsPerSample(profile.gpuSecondsPerSample)
                ?? profile.gpuSecondsPerSample[0].seconds
            return perSample * samples / gpus
        }
        return profile.computePerSample * samples / cores
    }

    /// Free resources and pod slots per node, minus what placements decided earlier still reserve.
    public func free() -> [(resources: Resources, slots: Int64)] {
        var pool = PlacementPlanner.free(sim.cluster)
        for (node, r) in controller.reservedList(sim) {
            pool[Int(node)].resources -= r
            pool[Int(node)].slots -= 1
        }
        return pool
    }

    /// Starts `job` with `workers` Worker replicas, every pod at once; pinned where `placement` says,
    /// else left to the scheduler.
    public func start(_ job: TrainingJob, workers: Int, ps: Int? = nil, placement: Placement?) {
        job.targetWorkers = workers
        job.state = .starting
        var pi = 0, wi = 0, oi = 0
        for type in ReplicaType.allCases {
            let count = type == .worker ? workers : type == .ps ? (ps ?? job.spec.psCount) : job.spec.spec(type)?.replicas ?? 0
            for _ in 0..<count {
                var node: Int32?
                switch type {
                case .ps: node = placement?.ps[pi]; pi += 1
                case .evaluator, .launcher: node = placement?.others[oi]; oi += 1
                default: node = placement?.workers[wi]; wi += 1
                }
                controller.createPod(job, type, node: node, in: sim)
            }
        }
        controller.markChanged(sim)
        controller.runtime.markDirty(sim)
    }

    /// Starts `jobs` with all their replicas, unplaced, creating their pods round-robin (first pod of
    /// each job, then the second, ...), as concurrent reconciles of a real operator interleave.
    public func startInterleaved(_ jobs: [TrainingJob], podGroups: Bool = false) {
        var queues: [[ReplicaType]] = []
        for job in jobs {
            job.state = .starting
            if podGroups {
                // A PodGroup per job: minMember = runPolicy.schedulingPolicy.minAvailable, else every pod.
                let total = job.spec.replicas.reduce(0) { $0 + ($1.type == .worker ? job.targetWorkers : $1.spec.replicas) }
                job.podGroup = job.spec.name
                sim.createPodGroup(namespace: job.spec.namespace, name: job.spec.name, minMember: job.spec.runPolicy.minAvailable ?? total)
            }
            var types: [ReplicaType] = []
            for type in ReplicaType.allCases {
                let count = type == .worker ? job.targetWorkers : job.spec.spec(type)?.replicas ?? 0
                types += Array(repeating: type, count: count)
            }
            queues.append(types)
        }
        let longest = queues.map(\.count).max() ?? 0
        for k in 0..<longest {
            for (j, job) in jobs.enumerated() where k < queues[j].count {
                controller.createPod(job, queues[j][k], node: nil, in: sim)
            }
        }
        if !jobs.isEmpty {
            controller.markChanged(sim)
            controller.runtime.markDirty(sim)
        }
    }

    /// Adds Worker pods to a running job, one per entry of `nodes`; it pauses until they run, then for a
    /// checkpoint-restart.
    public func grow(_ job: TrainingJob, nodes: [Int32]) {
        guard !nodes.isEmpty, job.state == .running else { return }
        controller.runtime.advance(job, to: now)
        for n in nodes { controller.createPod(job, .worker, node: n, in: sim) }
        job.targetWorkers += nodes.count
        job.state = .starting
        job.rescales += 1
        job.version += 1 // the old completion time no longer holds
        job.pendingPause = Clock.micros(seconds: controller.checkpointRestartSeconds)
        controller.markChanged(sim)
        controller.runtime.markDirty(sim)
    }

    /// Removes Worker pods from a running job; it pauses for a checkpoint-restart.
    public func shrink(_ job: TrainingJob, remove pods: [PodID]) {
        guard !pods.isEmpty, job.state == .running else { return }
        controller.runtime.advance(job, to: now)
        controller.deletePods(job, pods, in: sim)
        job.targetWorkers -= pods.count
        job.rescales += 1
        job.resumeAt = now + Clock.micros(seconds: controller.checkpointRestartSeconds)
        job.version += 1 // the old completion time no longer holds
        controller.markChanged(sim)
        controller.runtime.markDirty(sim)
    }
}
