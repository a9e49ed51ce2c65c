import DequeModule
import KFCluster
import KFControlPlane
import KFEngine

/// What a pod does, as a scenario describes it; sampled once per pod.
public enum WorkSpec: Equatable, Sendable {
    /// Runs for a sampled number of seconds.
    case duration(Distribution)
    /// Sampled CPU work in core-seconds; `threads` caps the cores it can use (nil: limit or request).
    case cpu(Distribution, threads: Double?)
    /// Runs until its owner deletes it.
    case forever

    /// One pod's work.
    public func sample(_ stream: RandomStream) -> PodWork {
        switch self {
        case .duration(let d): return .duration(d.sample(stream))
        case .cpu(let d, let threads): return .cpu(coreSeconds: d.sample(stream), threads: threads)
        case .forever: return .forever
        }
    }
}

/// A controller's outbox of pods to create, in order, with retries on refusal: the next attempt comes
/// after the controller's backoff, or at once when one of the controller's pods ends.
public final class PodCreator {
    struct Want {
        var spec: PodSpec
        var job: JobID
        var attempts = 0
        var reason = ""
    }

    let backoff: RetryBackoff
    let controller: Int32
    /// Sets the owner's (passive) retry timer at a time.
    let scheduleRetry: (SimTime) -> Void
    let jobNames: (JobID) -> String
    private var wants = Deque<Want>()
    private var failures = 0
    private var retryAt: SimTime = -1
    /// Pods refused for good (the namespace can never admit them).
    public private(set) var rejected: [UncreatedPod] = []

    /// A creator for `controller` retrying on `backoff`: `scheduleRetry` sets the owner's retry timer,
    /// on which the owner calls `flush` again.
    public init(controller: Int32, backoff: RetryBackoff, scheduleRetry: @escaping (SimTime) -> Void,
                jobNames: @escaping (JobID) -> String) {
        self.controller = controller
        self.scheduleRetry = scheduleRetry
        self.backoff = backoff
        self.jobNames = jobNames
    }

    /// Pods waiting to be created.
    public var waiting: Int { wants.count }

    /// Queues a pod for creation (call `flush` to try).
    public func want(_ spec: PodSpec, job: JobID) {
        wants.append(Want(spec: spec, job: job))
    }

    /// Tries to create every queued pod in order. Pods refused for now stay queued and a retry is
    /// scheduled; a permanent refusal drops the pod and reports its job through `onRejected`.
    public func flush(in sim: ControllerContext, onCreated: (PodID, JobID) -> Void, onRejected: (JobID, String) -> Void) {
        // Every queued pod is tried (the API server admits each creation on its own); refused ones stay
        // queued, in order, for one retry after the backoff.
        var refused = Deque<Want>()
        var anyRefused = false
        while var next = wants.popFirst() {
            next.attempts += 1
            switch sim.createPod(next.spec, controller: controller, job: next.job) {
            case .success(let id):
                onCreated(id, next.job)
            case .failure(let refusal):
                next.reason = refusal.message
                if refusal.permanent {
                    rejected.append(UncreatedPod(name: next.spec.name, namespace: next.spec.namespace, owner: jobNames(next.job),
                                                 reason: refusal.message, attempts: next.attempts))
                    onRejected(next.job, refusal.message)
                } else {
                    refused.append(next)
                    anyRefused = true
                }
            }
        }
        wants = refused
        guard anyRefused else {
            failures = 0
            return
        }
        failures += 1
        let at = sim.now + Clock.micros(seconds: backoff.delay(failures: failures))
        if retryAt <= sim.now || at < retryAt {
            retryAt = at
            scheduleRetry(at)
        }
    }

    /// Drops queued pods of `job` (its owner gave up on it).
    public func cancel(job: JobID) {
        wants.removeAll { $0.job == job }
    }

    /// Pods still wanted, with their last refusal, plus those refused for good.
    public func uncreated() -> [UncreatedPod] {
        rejected + wants.map { UncreatedPod(name: $0.spec.name, namespace: $0.spec.namespace, owner: jobNames($0.job),
                                            reason: $0.reason.isEmpty ? "not yet created" : $0.reason, attempts: $0.attempts) }
    }
}
