import DequeModule
import HeapModule
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
///
/// Every queued pod is tried at each flush, as the API server admits each creation on its own. Pods of
/// one shape (namespace and container resources) refused by quota in a flush would all be refused
/// again in that flush (usage only grows while it runs): they are counted as tried without asking the
/// API server again, so a fan-out of N pods costs O(N log shapes) per flush, not N quota checks. Pods
/// keep their order across shapes (a heap on their queue position).
public final class PodCreator {
    struct Want {
        var spec: PodSpec
        var job: JobID
        var seq: Int
        /// The shape's `tried` count when the pod was queued.
        var triedBase: Int
    }

    /// What admission can tell apart: the namespace and each container's requests and limits.
    struct Shape: Hashable {
        var namespace: String
        var resources: [OptionalResources]
        init(_ spec: PodSpec) {
            namespace = spec.namespace
            resources = spec.containers.flatMap { [$0.requests, $0.limits] }
        }
    }

    /// The queued pods of one shape, in order, and what the shape's last attempt said.
    struct ShapeQueue {
        var wants = Deque<Want>()
        /// Flushes that tried this shape.
        var tried = 0
        var lastReason = ""
        /// Whether the shape is in `queued`.
        var listed = false
    }

    let backoff: RetryBackoff
    let controller: Int32
    /// Sets the owner's (passive) retry timer at a time.
    let scheduleRetry: (SimTime) -> Void
    let jobNames: (JobID) -> String
    private var shapeIndex: [Shape: Int] = [:]
    private var queues: [ShapeQueue] = []
    /// The shapes with queued pods (a flush looks at these only; a trace has hundreds of shapes).
    private var queued: [Int] = []
    private var nextSeq = 0
    private var failures = 0
    private var retryAt: SimTime = -1
    /// Pods waiting to be created.
    public private(set) var waiting = 0
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

    /// Queues a pod for creation (call `flush` to try).
    public func want(_ spec: PodSpec, job: JobID) { _ = queue(spec, job: job) }

    /// Creates a pod now: what `want` then `flush` do, without queueing it when nothing else waits (the
    /// common case: one arrival, no quota in the way). Refused for now, it is queued as tried once and
    /// a retry is scheduled; refused for good, it is reported through `onRejected`.
    public func create(_ spec: PodSpec, job: JobID, in sim: ControllerContext, onCreated: (PodID, JobID) -> Void,
                       onRejected: (JobID, String) -> Void) {
        guard waiting == 0 else {
            want(spec, job: job)
            flush(in: sim, onCreated: onCreated, onRejected: onRejected)
            return
        }
        switch sim.createPod(spec, controller: controller, job: job) {
        case .success(let id):
            nextSeq += 1
            failures = 0
            onCreated(id, job)
        case .failure(let refusal) where refusal.permanent:
            nextSeq += 1
            failures = 0
            rejectForGood(spec, job: job, refusal, attempts: 1, onRejected)
        case .failure(let refusal):
            let s = queue(spec, job: job)
            queues[s].tried += 1
            queues[s].lastReason = refusal.message
            refused(in: sim)
        }
    }

    /// Queues a pod; returns its shape.
    private func queue(_ spec: PodSpec, job: JobID) -> Int {
        let shape = Shape(spec)
        let s: Int
        if let known = shapeIndex[shape] { s = known } else {
            s = queues.count
            shapeIndex[shape] = s
            queues.append(ShapeQueue())
        }
        if !queues[s].listed {
            queues[s].listed = true
            queued.append(s)
        }
        queues[s].wants.append(Want(spec: spec, job: job, seq: nextSeq, triedBase: queues[s].tried))
        nextSeq += 1
        waiting += 1
        return s
    }

    /// Tries to create every queued pod in order. Pods refused for now stay queued and a retry is
    /// scheduled; a permanent refusal drops the pod and reports its job through `onRejected`.
    public func flush(in sim: ControllerContext, onCreated: (PodID, JobID) -> Void, onRejected: (JobID, String) -> Void) {
        // The shapes with queued pods, by the queue position of their first pod.
        var heads = Heap<HeadKey>()
        for s in queued {
            queues[s].tried += 1
            heads.insert(HeadKey(seq: queues[s].wants[0].seq, shape: s))
        }
        defer { unlistEmptyShapes() }
        var anyRefused = false
        while let head = heads.popMin() {
            let s = head.shape
            let next = queues[s].wants[0]
            switch sim.createPod(next.spec, controller: controller, job: next.job) {
            case .success(let id):
                queues[s].wants.removeFirst()
                waiting -= 1
                onCreated(id, next.job)
            case .failure(let refusal) where refusal.permanent:
                queues[s].wants.removeFirst()
                waiting -= 1
                rejectForGood(next.spec, job: next.job, refusal, attempts: queues[s].tried - next.triedBase, onRejected)
            case .failure(let refusal):
                // The rest of this shape waits for the next flush (counted as tried in this one).
                queues[s].lastReason = refusal.message
                anyRefused = true
                continue
            }
            if let first = queues[s].wants.first { heads.insert(HeadKey(seq: first.seq, shape: s)) }
        }
        guard anyRefused else {
            failures = 0
            return
        }
        refused(in: sim)
    }

    /// A pod the namespace can never admit: reported as uncreated, and its job told.
    private func rejectForGood(_ spec: PodSpec, job: JobID, _ refusal: Admission.Refusal, attempts: Int,
                               _ onRejected: (JobID, String) -> Void) {
        rejected.append(UncreatedPod(name: spec.name, namespace: spec.namespace, owner: jobNames(job), reason: refusal.message, attempts: attempts))
        onRejected(job, refusal.message)
    }

    /// A flush had a pod refused for now: the next one comes after the backoff (or sooner, when one of
    /// the owner's pods ends).
    private func refused(in sim: ControllerContext) {
        failures += 1
        let at = sim.now + Clock.micros(seconds: backoff.delay(failures: failures))
        if retryAt <= sim.now || at < retryAt {
            retryAt = at
            scheduleRetry(at)
        }
    }

    struct HeadKey: Comparable {
        var seq: Int
        var shape: Int
        static func < (a: HeadKey, b: HeadKey) -> Bool { a.seq < b.seq }
    }

    /// Drops queued pods of `job` (its owner gave up on it).
    public func cancel(job: JobID) {
        for s in queued {
            let before = queues[s].wants.count
            queues[s].wants.removeAll { $0.job == job }
            waiting -= before - queues[s].wants.count
        }
        unlistEmptyShapes()
    }

    private func unlistEmptyShapes() {
        queued.removeAll { s in
            guard queues[s].wants.isEmpty else { return false }
            queues[s].listed = false
            return true
        }
    }

    /// Pods still wanted, with their last refusal, plus those refused for good.
    public func uncreated() -> [UncreatedPod] {
        var queued: [(seq: Int, pod: UncreatedPod)] = []
        for q in queues {
            for w in q.wants {
                let attempts = q.tried - w.triedBase
                queued.append((w.seq, UncreatedPod(name: w.spec.name, namespace: w.spec.namespace, owner: jobNames(w.job),
                                                   reason: attempts == 0 || q.lastReason.isEmpty ? "not yet created" : q.lastReason,
                                                   attempts: attempts)))
            }
        }
        return rejected + queued.sorted { $0.seq < $1.seq }.map(\.pod)
    }
}
