import KFCluster
import KFControlPlane
import KFEngine

/// The training operator for TFJobs, PyTorchJobs, MPIJobs and TrainJobs: submits jobs as they arrive, lets its policy start, place and
/// resize them, creates their pods (every pod scheduled by the scheduler; pinned to a node when the
/// policy places it), and ends a job when its iterations are trained, deleting its pods.
public final class TFJobController: TrainingJobOwner {
    public let name: String
    let manifests: [TFJobSpec]
    let arrivals: ArrivalProcess
    let policy: TrainingPolicy
    /// Seconds between the operator's periodic resyncs (policy decisions without an event).
    let resyncSeconds: Double
    /// Pause after a rescale (checkpoint, restart).
    let checkpointRestartSeconds: Double
    /// Time from a pod's start to its failure (nil: pods never fail).
    let podTimeToFailure: Distribution?

    private(set) var index: Int32 = -1
    private var creator: PodCreator!
    private(set) var runtime: TrainingRuntime!
    private var cursor = ArrivalCursor()
    /// This controller's jobs, in submission order.
    public private(set) var jobs: [TrainingJob] = []
    private var jobOfPod: [PodID: Int] = [:]
    private var jobOfRecord: [JobID: Int] = [:]
    /// Resources of planned pods not running yet, by pod name: node and requests.
    private var reservations: [String: (node: Int32, requests: Resources)] = [:]
    private var podByName: [String: PodID] = [:]
    private var decideQueued = false
    private var resyncQueued = false
    /// The last time a job started, ended or was resized.
    private(set) var lastChange: SimTime = 0

    /// What wakes the operator.
    enum Timer {
        case arrival, decide, resync, retry
        /// Job `job` should be done, if its speed has not changed since (`version`).
        case completion(job: Int, version: Int)
        /// A pod's container fails.
        case failure(PodID)
        /// Job `job` reaches its `activeDeadlineSeconds`.
        case deadline(job: Int)
    }
    var timers = ControllerTimers<Timer>()

    /// A controller submitting `manifests` in turn at `arrivals` (names suffixed `-<i>` when a manifest
    /// is submitted more than once).
    public init(name: String, manifests: [TFJobSpec], arrivals: ArrivalProcess, policy: TrainingPolicy,
                resyncSeconds: Double = 10, checkpointRestartSeconds: Double = 30, podTimeToFailure: Distribution? = nil) {
        self.podTimeToFailure = podTimeToFailure
        self.name = name
        self.manifests = manifests
        self.arrivals = arrivals
        self.policy = policy
        self.resyncSeconds = resyncSeconds
        self.checkpointRestartSeconds = checkpointRestartSeconds
    }

    public func start(in sim: ControllerContext) {
        index = sim.index(of: self)
        runtime = TrainingRuntime.shared(in: sim)
        sim.observePods { [unowned self, unowned sim] pod in
            guard self.jobOfPod[pod] != nil else { return }
            self.release(pod, sim)
            let p = sim.cluster.pods[Int(pod)]
            if p.phase == .running && p.startedAt == sim.now { self.scheduleFailure(pod, sim) }
        }
        timers.owner = index
        creator = PodCreator(owner: self, index: index, timers: \.timers, retry: .retry, backoff: .controllerRuntime, in: sim)
        cursor.start(arrivals.times(sim.streams.stream("arrivals/\(name)")), timers: &timers, arrival: .arrival, in: sim)
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        switch timers.fired(timer) {
        case .arrival?:
            let due = cursor.due(timers: &timers, arrival: .arrival, in: sim)
            for i in due { submit(i, sim) }
            decide(sim)
        case .decide?:
            decideQueued = false
            decide(sim)
        case .resync?:
            resyncQueued = false
            decide(sim)
        case .completion(let local, let version)?:
            completionDue(jobs[local], version: version, sim)
        case .failure(let pod)?:
            podFailed(pod, sim)
        case .deadline(let local)?:
            let job = jobs[local]
            if job.state != .done, let d = job.spec.runPolicy.activeDeadlineSeconds {
                fail(job, reason: "DeadlineExceeded: active longer than \(d) s", sim)
            }
        case .retry?, nil:
            break
        }
        flush(sim)
    }

    func expectCompletion(of job: TrainingJob, at time: SimTime, in sim: ControllerContext) {
        timers.set(.completion(job: job.local, version: job.version), at: time, in: sim)
    }

    /// A job's projected completion time has come: it ends if trained (else the projection moves on).
    private func completionDue(_ job: TrainingJob, version: Int, _ sim: ControllerContext) {
        guard job.state == .running, job.version == version else { return }
        runtime.advance(job, to: sim.now)
        // Done, or short of it by less than a microsecond of training (the wake-up time was rounded).
        if job.remaining <= max(1e-9 * job.spec.profile.iterations, job.rate * 1e-6) {
            complete(job, sim)
        } else if job.rate > 0 {
            expectCompletion(of: job, at: sim.now + max(1, Clock.micros(seconds: job.remaining / job.rate)), in: sim)
        }
    }

    /// Draws when a running pod fails, if pods fail in this workload.
    private func scheduleFailure(_ pod: PodID, _ sim: ControllerContext) {
        guard let ttf = podTimeToFailure else { return }
        // A container runs at least a second before it can fail again: time always moves on.
        let at = sim.now + max(Clock.microsPerSecond, Clock.micros(seconds: ttf.sample(sim.streams.stream("failures/\(name)"))))
        timers.set(.failure(pod), at: at, in: sim)
    }

    /// A pod's container fails. `Never`: the job fails. Otherwise it restarts in place (the job pauses
    /// for a checkpoint-restart), and the job fails once its restarts exceed `backoffLimit`.
    private func podFailed(_ pod: PodID, _ sim: ControllerContext) {
        guard let local = jobOfPod[pod], sim.cluster.pods[Int(pod)].phase == .running else { return }
        let job = jobs[local]
        guard job.state != .done else { return }
        let p = sim.cluster.pods[Int(pod)]
        let type = ReplicaType.allCases.first { $0.rawValue.lowercased() == p.spec.labels["training.kubeflow.org/replica-type"] } ?? .worker
        let policy = job.spec.spec(type)?.restartPolicy ?? "Never"
        if policy == "Never" {
            fail(job, reason: "pod \(p.spec.name) failed (restartPolicy Never)", sim)
            return
        }
        job.restarts += 1
        if let limit = job.spec.runPolicy.backoffLimit, job.restarts > limit {
            fail(job, reason: "BackoffLimitExceeded: \(job.restarts) restarts, backoffLimit \(limit)", sim)
            return
        }
        // Restart in place: the job resumes from its checkpoint after the restart pause.
        if job.state == .running { runtime.advance(job, to: sim.now) }
        job.resumeAt = max(job.resumeAt, sim.now + Clock.micros(seconds: checkpointRestartSeconds))
        job.version += 1
        runtime.markDirty(sim)
        scheduleFailure(pod, sim)
    }


    private func submit(_ i: Int, _ sim: ControllerContext) {
        var spec = manifests[i % manifests.count]
        if arrivals.count > manifests.count { spec.name = "\(spec.name)-\(i)" }
        let id = sim.submitJob(name: spec.name, kind: spec.kind, namespace: spec.namespace)
        let job = TrainingJob(spec: spec, id: id, local: jobs.count, controller: index, submittedAt: sim.now)
        jobOfRecord[id] = jobs.count
        jobs.append(job)
        runtime.register(job)
        if let d = spec.runPolicy.activeDeadlineSeconds {
            timers.set(.deadline(job: job.local), at: sim.now + Clock.micros(seconds: d), in: sim)
        }
    }

    /// Lets the policy decide now, and keeps resyncing while jobs wait or run.
    func decide(_ sim: ControllerContext) {
        policy.decide(TrainingContext(sim: sim, controller: self))
        if !resyncQueued && jobs.contains(where: { $0.state != .done }) {
            resyncQueued = true
            timers.set(.resync, at: sim.now + Clock.micros(seconds: resyncSeconds), passive: true, in: sim)
        }
    }

    /// Asks for a policy decision at this instant (once).
    func requestDecision(_ sim: ControllerContext) {
        guard !decideQueued else { return }
        decideQueued = true
        timers.set(.decide, at: sim.now, in: sim)
    }

    private func complete(_ job: TrainingJob, _ sim: ControllerContext) { end(job, succeeded: true, sim) }

    /// Ends a job unsuccessfully, deleting its pods.
    private func fail(_ job: TrainingJob, reason: String, _ sim: ControllerContext) {
        job.failureReason = reason
        end(job, succeeded: false, sim)
    }

    /// Ends a job: its pods are deleted (and their reservations dropped), its record is closed.
    private func end(_ job: TrainingJob, succeeded: Bool, _ sim: ControllerContext) {
        job.state = .done
        lastChange = sim.now
        runtime.retire(job, at: sim.now)
        // Every reservation of the job, for pods created or not.
        for name in reservations.keys.filter({ $0.hasPrefix(job.spec.name + "-") }) { reservations[name] = nil }
        // Trained: the trainers' containers exit 0; what still runs (parameter servers) is deleted, as the
        // operator's default cleanPodPolicy (Running) does. Failed: every pod left is deleted.
        for pod in job.pods where !sim.cluster.pods[Int(pod)].phase.isTerminal {
            if succeeded && !job.psPods.contains(pod) && sim.cluster.pods[Int(pod)].phase == .running {
                sim.completePod(pod, succeeded: true)
            } else {
                sim.deletePod(pod, reason: succeeded ? "TFJob succeeded: cleanPodPolicy Running" : "TFJob failed: pod cleaned up")
            }
        }
        creator.cancel(job: job.id)
        sim.finishJob(job.id, succeeded: succeeded)
        requestDecision(sim)
    }

    // MARK: - Pods

    /// Requests of one pod of `type` (after the namespace's LimitRange defaults).
    func requests(_ job: TrainingJob, _ type: ReplicaType, in sim: ControllerContext) -> Resources {
        guard let template = job.spec.spec(type)?.template else { return .zero }
        let ns = sim.cluster.namespace(named: job.spec.namespace).map { sim.cluster.namespaces[Int($0)].limitRange } ?? nil
        return Admission.resources(of: template, limitRange: ns).requests
    }

    /// Queues a pod of `type` for `job`, pinned to `node` when given.
    func createPod(_ job: TrainingJob, _ type: ReplicaType, node: Int32?, in sim: ControllerContext) {
        guard var spec = job.spec.spec(type)?.template else { return }
        let i = job.created[type, default: 0]
        job.created[type] = i + 1
        spec.name = "\(job.spec.name)-\(type.rawValue.lowercased())-\(i)"
        spec.namespace = job.spec.namespace
        spec.labels["training.kubeflow.org/job-name"] = job.spec.name
        spec.labels["training.kubeflow.org/replica-type"] = type.rawValue.lowercased()
        spec.labels["training.kubeflow.org/replica-index"] = String(i)
        spec.work = .forever
        if let group = job.podGroup { spec.labels[PodGroup.label] = group }
        if let node {
            spec.nodeSelector[WellKnownLabels.hostname] = sim.cluster.nodes[Int(node)].spec.name
            reservations[spec.name] = (node, requests(job, type, in: sim))
        }
        job.pendingCreations += 1
        creator.want(spec, job: job.id)
    }

    /// Deletes worker pods of a running job (scale-in).
    func deletePods(_ job: TrainingJob, _ pods: [PodID], in sim: ControllerContext) {
        for pod in pods {
            job.workerPods.removeAll { $0 == pod }
            sim.deletePod(pod, reason: "scaled in by the training policy")
        }
    }

    func markChanged(_ sim: ControllerContext) { lastChange = sim.now }

    /// Reserved (node, requests) of planned pods not bound yet, in pod-name order (a bound pod is in
    /// its node's usage already).
    func reservedList(_ sim: ControllerContext) -> [(Int32, Resources)] {
        reservations.keys.sorted().compactMap { name in
            if let id = podByName[name], sim.cluster.pods[Int(id)].phase != .pending { return nil }
            return (reservations[name]!.node, reservations[name]!.requests)
        }
    }

    /// A planned pod runs (or ended): its reservation is now part of the node's usage, or void.
    private func release(_ pod: PodID, _ sim: ControllerContext) {
        let p = sim.cluster.pods[Int(pod)]
        if p.phase != .pending && p.phase != .starting { reservations[p.spec.name] = nil }
    }

    private func flush(_ sim: ControllerContext) {
        creator.flush(in: sim, onCreated: { pod, jobID in
            guard let local = jobOfRecord[jobID] else { return }
            let job = jobs[local]
            jobOfPod[pod] = local
            podByName[sim.cluster.pods[Int(pod)].spec.name] = pod
            job.pendingCreations -= 1
            let type = sim.cluster.pods[Int(pod)].spec.labels["training.kubeflow.org/replica-type"] ?? ""
            switch type {
            case "ps": job.psPods.append(pod)
            case "worker", "chief", "master": job.workerPods.append(pod)
            default: job.otherPods.append(pod)
            }
        }, onRejected: { jobID, message in
            guard let local = jobOfRecord[jobID] else { return }
            let job = jobs[local]
            job.pendingCreations -= 1
            // A pod that can never be created: the job cannot run.
            if job.state != .done { fail(job, reason: "pod creation refused: \(message)", sim) }
        })
    }

    public func podEnded(_ pod: PodID, termination: PodTermination, in sim: ControllerContext) {
        requestDecision(sim)
        flush(sim)
    }

    public var isDone: Bool { cursor.exhausted && jobs.allSatisfy { $0.state == .done } }
    public var waitingCreations: Int { creator?.waiting ?? 0 }
    public func uncreatedPods() -> [UncreatedPod] { creator?.uncreated() ?? [] }
}
