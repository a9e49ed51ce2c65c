import KFEngine

/// Index of a job in the simulation's job table.
public typealias JobID = Int32

/// One unit of user work (a bare pod, a Job, a pipeline run, a trace pod) and its timeline.
public struct JobRecord: Sendable {
    /// Name, unique in a run.
    public var name: String
    /// Kind: `Pod`, `Job`, `ParallelFor`, `TracePod`, ...
    public var kind: String
    /// Namespace.
    public var namespace: String
    /// Submission time.
    public var submittedAt: SimTime
    /// First pod start (-1 before).
    public var startedAt: SimTime = -1
    /// Completion (-1 before).
    public var finishedAt: SimTime = -1
    /// Whether it ended successfully.
    public var succeeded = false
    /// Pods created for it.
    public var pods = 0

    /// A submitted job.
    public init(name: String, kind: String, namespace: String, submittedAt: SimTime) {
        self.name = name
        self.kind = kind
        self.namespace = namespace
        self.submittedAt = submittedAt
    }
}

/// A pod a controller wanted but that does not exist at the end (its creation was refused).
public struct UncreatedPod: Sendable, Equatable {
    /// The pod name it would have had.
    public var name: String
    /// Namespace.
    public var namespace: String
    /// Owning job's name.
    public var owner: String
    /// The last refusal message.
    public var reason: String
    /// Creation attempts made.
    public var attempts: Int
    /// A record.
    public init(name: String, namespace: String, owner: String, reason: String, attempts: Int) {
        self.name = name
        self.namespace = namespace
        self.owner = owner
        self.reason = reason
        self.attempts = attempts
    }
}
