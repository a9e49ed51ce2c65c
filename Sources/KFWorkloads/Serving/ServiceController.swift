import DequeModule
import HeapModule
import KFCluster
import KFControlPlane
import KFEngine

/// A Deployment serving requests. Replicas are pods that run until deleted; a replica is ready a
/// readiness delay after it starts. Requests arrive from the traffic, the load balancer sends each to a
/// ready replica, a replica serves `concurrency` at a time (service time scaled by its CPU share) and the
/// rest wait (at the balancer or at the replica, up to the queue limit, until the timeout).
///
/// Requests are not engine events: the controller keeps its own calendar (the next arrival and a heap of
/// completions) and brings it up to date whenever anything outside could see or change it (a tick every
/// `tick`, any cluster event, an autoscaler asking for metrics or scaling). Between those, nothing else
/// touches its replicas, so processing requests in a batch gives the times an event per request would.
public final class ServiceController: WorkloadController {
    public let name: String
    public let spec: ServiceSpec
    /// Replicas the Deployment asks for (autoscalers change it).
    public private(set) var desired: Int
    /// Results so far.
    public internal(set) var stats = ServiceStats()
    /// Replicas, by creation order (gone ones keep their slot).
    public internal(set) var replicas: [Replica] = []
    /// How often the controller catches up without being asked (also the CPU duty's averaging window).
    let tick: SimTime
    /// The latency objective in microseconds (nil: none).
    lazy var sloMicros: SimTime? = spec.slo.map { Clock.micros(seconds: $0) }
    /// Its autoscaler, the HPA or Knative's (nil: a fixed replica count).
    public var autoscaler: ServiceAutoscaler?

    enum Timer { case tick, retry, ready(Int), wake, rollout }
    var timers = ControllerTimers<Timer>()
    var creator: PodCreator!
    var index: Int32 = -1
    var replicaOfPod: [PodID: Int] = [:]
    var pendingNames: [String: Int] = [:]
    var nextName = 0
    /// Requests waiting in front of the replicas (arrival times).
    var balancerQueue = Deque<SimTime>()
    var completions = Heap<Completion>()
    var sequence = 0
    var arrivals: RequestArrivals?
    var nextArrival: SimTime = -1
    /// Where the calendar has been processed up to.
    var clock: SimTime = 0
    var advancing = false
    var toDelete: [PodID] = []
    var roundRobin = 0
    var serviceStream: RandomStream!
    var balancerStream: RandomStream!
    var lastTick: SimTime = 0
    var finished = false
    /// Requests present (in service or waiting), and their integral over time (request-seconds) up to
    /// `integratedTo`: the concurrency Knative's autoscaler averages.
    public internal(set) var present = 0
    public internal(set) var concurrencySeconds = 0.0
    var integratedTo: SimTime = 0
    /// A request arrived while no replica is live or coming (the activator pokes the autoscaler).
    var coldRequest = false
    var wakeTimer: Scheduled?
    /// The pod template's current revision, whether a rollout is going on, and each rollout's start
    /// and end (-1: not finished).
    var revision = 0, rollingOut = false
    public internal(set) var rollouts: [(start: SimTime, end: SimTime)] = []
    /// Indices of the replicas that take requests, that are live and not retiring, and that have a pod
    /// (recomputed after a replica changes state: requests only read them).
    var routableCache: [Int] = [], activeCache: [Int] = [], podCache: [Int] = []
    var replicasChanged = true
    var routableReplicas: [Int] { refreshCaches(); return routableCache }
    var activeReplicas: [Int] { refreshCaches(); return activeCache }
    var replicasWithPods: [Int] { refreshCaches(); return podCache }
    func refreshCaches() {
        guard replicasChanged else { return }
        routableCache = replicas.indices.filter { replicas[$0].routable }
        activeCache = replicas.indices.filter { replicas[$0].isLive && !replicas[$0].terminating }
        podCache = replicas.indices.filter { replicas[$0].pod >= 0 && !replicas[$0].gone }
        replicasChanged = false
    }
    /// Called after a cold request (the KPA scales from zero at once).
    public var onColdRequest: ((ControllerContext) -> Void)?
    /// The CPU each replica's pod may use at most (cores), and busy seconds at the last tick.
    var capOfPod: [PodID: Double] = [:]
    var lastBusy: [Int: Double] = [:]

    /// A service controller.
    public init(spec: ServiceSpec, tick: Double = 1) {
        self.name = spec.name
        self.spec = spec
        self.desired = spec.replicas
        self.tick = max(1, Clock.micros(seconds: tick))
    }

    public func start(in sim: ControllerContext) {
        index = sim.index(of: self)
        timers.owner = index
        creator = PodCreator(owner: self, index: index, timers: \.timers, retry: .retry, backoff: .controllerRuntime, in: sim)
        serviceStream = sim.streams.stream("service/\(name)")
        balancerStream = sim.streams.stream("balancer/\(name)")
        var a = RequestArrivals(spec.traffic, stream: sim.streams.stream("requests/\(name)"))
        nextArrival = a.next().map { Clock.micros(seconds: $0) } ?? -1
        arrivals = a
        sim.service(ServiceRecords.self) { ServiceRecords() }.services.append(self)
        // Any change of the cluster may change a replica's CPU share: catch up at the old shares first.
        sim.subscribe { [unowned self, unowned sim] _ in
            guard !advancing else { return }
            catchUp(sim)
            refreshRates(sim)
        }
        sim.observePods { [unowned self, unowned sim] pod in
            guard let r = replicaOfPod[pod], sim.cluster.pods[Int(pod)].phase == .running, replicas[r].startedAt < 0 else { return }
            catchUp(sim)
            replicas[r].startedAt = sim.now
            replicas[r].rate = sim.cluster.pods[Int(pod)].run.rate
            let delay = Clock.micros(seconds: spec.readinessDelay.sample(sim.streams.stream("readiness/\(name)")))
            if delay > 0 { timers.set(.ready(r), at: sim.now + delay, in: sim) } else { becomeReady(r, sim) }
        }
        sim.addSeries("\(name)_replicas") { [unowned self] in Double(activeReplicas.count) }
        sim.addSeries("\(name)_ready") { [unowned self] in Double(routableReplicas.count) }
        sim.addSeries("\(name)_queued") { [unowned self] in Double(balancerQueue.count + replicas.reduce(0) { $0 + $1.queue.count }) }
        for _ in 0..<desired { addReplica() }
        flush(sim)
        if let autoscaler { _ = sim.add(system: autoscaler) }
        timers.set(.tick, at: tick, in: sim)
        for t in spec.rolloutTimes { timers.set(.rollout, at: Clock.micros(seconds: t), passive: true, in: sim) }
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        switch timers.fired(timer) {
        case .tick?:
            catchUp(sim)
            updateDuty(sim)
            if trafficOver && inSystem == 0 {
                finish(sim)
            } else {
                timers.set(.tick, at: sim.now + tick, in: sim)
            }
        case .ready(let r)?:
            catchUp(sim)
            becomeReady(r, sim)
        case .wake?:
            catchUp(sim)
        case .rollout?:
            catchUp(sim)
            startRollout(sim)
        default:
            break
        }
        flush(sim)
    }

    /// Brings the calendar up to now (requests arrive, are served, complete), then does what it deferred.
    public func catchUp(_ sim: ControllerContext) {
        guard !advancing else { return }
        advancing = true
        advance(to: sim.now)
        advancing = false
        flushDeletes(sim)
        if coldRequest {
            coldRequest = false
            onColdRequest?(sim)
        }
        // Scaled to zero with an autoscaler to poke: the next request must be seen when it arrives.
        if onColdRequest != nil, nextArrival > sim.now, activeReplicas.isEmpty {
            if let w = wakeTimer { timers.cancel(w) }
            wakeTimer = timers.set(.wake, at: nextArrival, passive: true, in: sim)
        }
    }

    /// Sets the replicas the Deployment asks for: new replicas are created; surplus ones stop taking
    /// requests, finish what they hold and are deleted (unready ones first, then the most recently ready).
    public func scale(to n: Int, _ sim: ControllerContext) {
        catchUp(sim)
        desired = max(n, 0)
        advancing = true
        reconcileReplicas()
        advancing = false
        flushDeletes(sim)
        flush(sim)
    }

    public func podEnded(_ pod: PodID, termination: PodTermination, in sim: ControllerContext) {
        guard let r = replicaOfPod.removeValue(forKey: pod) else { flush(sim); return }
        advancing = true
        advance(to: sim.now)
        lostReplica(r, sim.now)
        // The ReplicaSet replaces a replica it did not delete itself.
        if !finished { reconcileReplicas() }
        advancing = false
        // Replicas the reconcile retired (during a rollout) go now, as after any other reconcile.
        flushDeletes(sim)
        flush(sim)
    }

    func flush(_ sim: ControllerContext) {
        creator.flush(in: sim, onCreated: { pod, _ in
            guard let r = pendingNames.removeValue(forKey: sim.cluster.pods[Int(pod)].spec.name) else { return }
            replicas[r].pod = pod
            replicaOfPod[pod] = r
            replicasChanged = true
        }, onRejected: { _, _ in })
    }

    /// Ends the service: its traffic is over and every request has left.
    func finish(_ sim: ControllerContext) {
        finished = true
        desired = 0
        replicasChanged = true
        for r in replicas.indices where replicas[r].isLive {
            replicas[r].terminating = true
            if replicas[r].pod >= 0 { sim.deletePod(replicas[r].pod, reason: "traffic over") }
        }
        creator.cancel(job: -1)
    }

    var trafficOver: Bool { nextArrival < 0 }
    /// Requests in service or waiting.
    var inSystem: Int { present }

    public var isDone: Bool { finished && replicas.allSatisfy { !$0.isLive || $0.pod < 0 } }
    public var waitingCreations: Int { creator?.waiting ?? 0 }
    public func uncreatedPods() -> [UncreatedPod] { creator?.uncreated() ?? [] }
}

/// The services of a run (a service reporters and autoscalers read).
public final class ServiceRecords {
    /// Every service controller, in registration order.
    public internal(set) var services: [ServiceController] = []
    init() {}
    /// The service (Deployment) named `name`.
    public func service(named name: String) -> ServiceController? { services.first { $0.name == name } }
}
