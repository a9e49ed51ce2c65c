import KFCluster
import KFEngine

/// A long-running service (an `apps/v1` Deployment, or a KServe predictor) answering requests: its pod
/// template and replica count, how a replica serves (concurrency, service time), how requests reach
/// replicas (load balancer, queue) and the traffic.
public struct ServiceSpec: Sendable {
    /// How the load balancer picks a replica.
    public enum Balancer: String, Sendable, CaseIterable {
        /// Replicas in turn.
        case roundRobin
        /// The replica with the fewest requests in service and queued (ties: the lowest index).
        case leastRequests
        /// A replica drawn uniformly (kube-proxy's iptables mode).
        case random
    }
    /// Where requests wait when replicas are busy.
    public enum QueueAt: String, Sendable, CaseIterable {
        /// In front of the replicas, one FIFO queue (an activator or proxy that holds requests until a
        /// replica has a free slot: M/M/c).
        case balancer
        /// At each replica (its queue-proxy or server backlog); the balancer picks a replica at once.
        case replica
    }

    /// The Deployment's name (the HPA's `scaleTargetRef.name`).
    public var name: String
    /// Pod template of the replicas (work `forever`).
    public var template: PodSpec
    /// Replicas at the start.
    public var replicas: Int
    /// Seconds from a replica running to it being ready (its readiness probe's initial delay).
    public var readinessDelay: Distribution
    /// Requests one replica serves at once (`containerConcurrency`).
    public var concurrency: Int
    /// Seconds one request takes on a replica that has all the CPU it asks for.
    public var serviceTime: Distribution
    /// Load-balancing policy.
    public var balancer: Balancer
    /// Where requests queue, how many may wait (per queue), and how long before they time out (nil: never).
    public var queueAt: QueueAt
    public var queueLimit: Int
    public var timeout: Double?
    /// The requests.
    public var traffic: RequestTraffic
    /// Keep every n-th request in `requests.csv` (0: none).
    public var recordEvery: Int
    /// The latency a request must not exceed to count as on time (nil: no objective).
    public var slo: Double?
    /// How a new revision replaces the replicas, and when new revisions are rolled out (seconds).
    public var strategy: RolloutStrategy = .rollingUpdate(maxSurge: .percent(25), maxUnavailable: .percent(25))
    public var rolloutTimes: [Double] = []

    /// A service.
    public init(name: String, template: PodSpec, replicas: Int, readinessDelay: Distribution = .constant(0), concurrency: Int = 1,
                serviceTime: Distribution, balancer: Balancer = .leastRequests, queueAt: QueueAt = .balancer, queueLimit: Int = 1_000_000,
                timeout: Double? = nil, traffic: RequestTraffic, recordEvery: Int = 0) {
        self.name = name
        self.template = template
        self.replicas = replicas
        self.readinessDelay = readinessDelay
        self.concurrency = concurrency
        self.serviceTime = serviceTime
        self.balancer = balancer
        self.queueAt = queueAt
        self.queueLimit = queueLimit
        self.timeout = timeout
        self.traffic = traffic
        self.recordEvery = recordEvery
    }
}
