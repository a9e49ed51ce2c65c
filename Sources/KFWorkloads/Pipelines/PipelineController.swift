import KFCluster
import KFControlPlane
import KFEngine

/// Runs a pipeline (KFP or Argo) per arrival: a step becomes ready when its dependencies are done; after
/// the workflow controller's reaction delay it becomes a pod; a failed attempt is retried after its
/// backoff; a failure omits the steps that depend on it (unless they run after failures, as exit
/// handlers) and fails the run. Parallelism limits (workflow, template, loop) hold steps back.
public final class PipelineController: WorkloadController {
    public let name: String
    let spec: PipelineSpec
    let profiles: [String: StepProfile]
    let defaultProfile: StepProfile
    let namespace: String
    let arrivals: ArrivalProcess
    let controllerDelay: Distribution
    let backoff: RetryBackoff
    /// The kind its runs have in jobs.csv.
    let jobKind: String
    /// KFP execution caching: an enabled step whose execution (template, task, upstream executions)
    /// succeeded before, within `maxCacheStaleness` seconds (nil: caching off).
    let executionCache: Double?
    /// When each cacheable execution last succeeded.
    var cachedAt: [String: SimTime] = [:]
    /// Named datasets: size in bytes and how many variants (a run reads one variant, drawn uniformly).
    let datasets: [String: (size: Double, variants: Int)]
    /// The in-memory data cache on the nodes (nil: none).
    public let dataCache: DataCache?
    /// KFP v2's driver and launcher time per task, before its pod (nil: none).
    let taskOverhead: Distribution?
    /// Datasets being prefetched.
    var prefetching: Set<String> = []
    /// A KFP recurring run's trigger (nil: runs come from `arrivals`).
    let recurring: RecurringSchedule?
    /// Recurring runs fallen due so far, and those waiting for a free slot (catch-up).
    var dueCount = 0, missed = 0
    /// Recurring runs skipped because `maxConcurrency` were active (`noCatchup`).
    public private(set) var skipped = 0
    /// The object store its steps read from and write to (nil: steps move no data).
    let storage: ObjectStore?
    /// The store's link in the network fabric (set at start).
    var storeLink: Int32 = -1
    /// Data-moving pods: their phase and what they still have to do.
    var io: [PodID: IOState] = [:]
    /// The data cache's worker pods (one per node) and their names.
    var cacheWorkers: [PodID] = []
    var cacheWorkerNames: Set<String> = []

    /// What wakes the controller.
    enum Timer { case arrival, tick, retry, ready(batch: Int), fail(PodID), stepRetry(run: Int, node: Int), computed(PodID), latency(PodID) }
    var timers = ControllerTimers<Timer>()
    /// Steps whose pods a `ready` timer creates: run and nodes, by batch number.
    var readyBatches: [Int: (run: Int, nodes: [Int])] = [:]
    var nextBatch = 0
    var creator: PodCreator!
    private var index: Int32 = -1
    private var cursor = ArrivalCursor()
    private(set) var runs: [PipelineRun] = []
    private var runOfJob: [JobID: Int] = [:]
    private var nodeOfPod: [PodID: (run: Int, node: Int)] = [:]
    private var failing: Set<PodID> = []
    private var failAfter: [PodID: Double] = [:]
    private var openRuns = 0

    /// A pipeline workload.
    public init(name: String, spec: PipelineSpec, profiles: [String: StepProfile], defaultProfile: StepProfile, namespace: String,
                arrivals: ArrivalProcess, controllerDelay: Distribution, backoff: RetryBackoff = .controllerRuntime, storage: ObjectStore? = nil,
                executionCache: Double? = nil, recurring: RecurringSchedule? = nil, datasets: [String: (size: Double, variants: Int)] = [:],
                dataCache: (capacity: Double, eviction: DataCache.Eviction, precache: Bool)? = nil, taskOverhead: Distribution? = nil,
                jobKind: String = "Pipeline") {
        self.jobKind = jobKind
        self.taskOverhead = taskOverhead
        self.datasets = datasets
        // The cache holds run state: every run (and every run of a sweep) gets its own.
        self.dataCache = dataCache.map { DataCache(capacity: $0.capacity, eviction: $0.eviction, precache: $0.precache) }
        self.recurring = recurring
        self.storage = storage
        self.executionCache = executionCache
        self.name = name
        self.spec = spec
        self.profiles = profiles
        self.defaultProfile = defaultProfile
        self.namespace = namespace
        self.arrivals = arrivals
        self.controllerDelay = controllerDelay
        self.backoff = backoff
    }

    /// The profile of a template: by its name, or a KFP component's name without `comp-`.
    func profile(_ template: String) -> StepProfile { explicitProfile(template) ?? defaultProfile }

    /// The profile the scenario gives a template by name (nil: none, the default applies).
    func explicitProfile(_ template: String) -> StepProfile? {
        profiles[template] ?? (template.hasPrefix("comp-") ? profiles[String(template.dropFirst(5))] : nil)
    }

    public func start(in sim: ControllerContext) {
        index = sim.index(of: self)
        timers.owner = index
        creator = PodCreator(owner: self, index: index, timers: \.timers, retry: .retry, backoff: backoff, in: sim)
        sim.service(PipelineRecords.self) { PipelineRecords() }.controllers.append(self)
        if let storage { storeLink = storage.link(in: sim.cluster.network) }
        dataCache?.isNeeded = { [unowned self] in pendingNeeds($0) }
        if let cache = dataCache {
            // Cache counters in timeseries.csv (cumulative).
            let prefix = "\(name)_cache"
            sim.addSeries("\(prefix)_hits") { Double(cache.localHits + cache.peerHits) }
            sim.addSeries("\(prefix)_misses") { Double(cache.misses) }
            sim.addSeries("\(prefix)_evictions") { Double(cache.evictions) }
            sim.addSeries("\(prefix)_gib_from_store") { cache.bytesFromStore / 1_073_741_824 }
            sim.addSeries("\(prefix)_gib_prefetched") { cache.bytesPrefetched / 1_073_741_824 }
        }
        sim.observePods { [unowned self, unowned sim] pod in
            guard sim.cluster.pods[Int(pod)].phase == .running else { return }
            if io[pod] != nil { beginIO(pod, sim); return }
            // A failing attempt fails part-way through the time its work would take.
            guard failing.contains(pod), let after = failAfter.removeValue(forKey: pod) else { return }
            timers.set(.fail(pod), at: sim.now + max(1, Clock.micros(seconds: after)), in: sim)
        }
        if let recurring {
            if recurring.count > 0, let t = recurring.next(after: -1) { timers.set(.tick, at: t, in: sim) }
        } else {
            cursor.start(arrivals.times(sim.streams.stream("arrivals/\(name)")), timers: &timers, arrival: .arrival, in: sim)
        }
        startCacheWorkers(sim)
    }

    /// Starts one run now.
    func startRun(_ i: Int, _ sim: ControllerContext) {
        let id = sim.submitJob(name: "\(name)-\(i)", kind: jobKind, namespace: namespace)
        runOfJob[id] = runs.count
        runs.append(PipelineRun(job: id, name: sim.jobs[Int(id)].name, spec: spec) { [unowned self] task in
            // A loop over a run parameter takes a count only from its own profile, not the default one.
            if case .parameter? = task.loop { return explicitProfile(task.template)?.items }
            return profile(task.template).items
        })
        // The work of steps whose work per run is split over their items, drawn as the run starts.
        for (template, p) in profiles.sorted(by: { $0.key < $1.key }) {
            if let split = p.splitWork { runs[runs.count - 1].splitWork[template] = split.total.sample(sim.streams.stream("durations/\(name)")) }
        }
        // Which variant of each dataset this run reads.
        let pick = sim.streams.stream("datasets/\(name)")
        for (d, info) in datasets.sorted(by: { $0.key < $1.key }) where info.variants > 1 {
            runs[runs.count - 1].variant[d] = pick.uniformInt(below: info.variants)
        }
        openRuns += 1
        advance(runs.count - 1, sim)
    }

    /// A recurring run falls due: it starts, waits for a slot (catch-up) or is skipped.
    func tick(_ sim: ControllerContext) {
        guard let recurring else { return }
        dueCount += 1
        if openRuns < recurring.maxConcurrency {
            startRun(runs.count, sim)
        } else if recurring.noCatchup {
            skipped += 1
        } else {
            missed += 1
        }
        if dueCount < recurring.count, let t = recurring.next(after: sim.now) { timers.set(.tick, at: t, in: sim) }
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        switch timers.fired(timer) {
        case .arrival?:
            for i in cursor.due(timers: &timers, arrival: .arrival, in: sim) { startRun(i, sim) }
        case .tick?:
            tick(sim)
        case .ready(let batch)?:
            if let (r, nodes) = readyBatches.removeValue(forKey: batch) { for n in nodes { createPod(r, n, sim) } }
        case .stepRetry(let r, let n)?:
            runs[r].nodes[n].state = .starting
            createPod(r, n, sim)
        case .fail(let pod)?:
            if sim.cluster.pods[Int(pod)].phase == .running { sim.completePod(pod, succeeded: false) }
        case .latency(let pod)?:
            download(pod, sim)
        case .computed(let pod)?:
            upload(pod, sim)
        default:
            break
        }
        flush(sim)
    }

    /// Starts every node of run `r` whose time has come, until nothing changes.
    func advance(_ r: Int, _ sim: ControllerContext) {
        var reconcileDelay: Double?
        // Pods due at the same time are created by one timer, in the order they became ready.
        var readyAt: [SimTime: [Int]] = [:]
        defer { precache(r, sim) }
        let run = runs[r]
        var changed = true
        // Active children per group with a parallelism limit, counted once per pass and kept in step
        // as children start (any finish may end groups up the tree: then counted again).
        var active: [Int: Int] = [:]
        while changed && !run.done {
            changed = false
            for n in run.waitingNodes where run.nodes[n].state == .waiting {
                let p = run.nodes[n].parent
                guard p < 0 || run.nodes[p].state == .running else { continue }
                guard run.nodes[n].deps.allSatisfy({ run.nodes[$0].isTerminal }) else { continue }
                // Argo's DAG logic: dependencies' results and fail-fast decide (PipelineRun+Outcome).
                if !run.shouldStart(n) {
                    finish(r, n, .omitted, sim)
                    active.removeAll(keepingCapacity: true)
                    changed = true
                    continue
                }
                if p >= 0, let limit = run.nodes[p].parallelism {
                    let count = active[p] ?? run.activeChildren(p)
                    active[p] = count
                    if count >= limit { continue }
                }
                if run.nodes[n].isContainer, let limit = spec.parallelism, run.runningPods >= limit { continue }
                run.nodes[n].ready = sim.now
                if run.nodes[n].conditional, sim.streams.stream("conditions/\(name)").uniform() >= profile(run.nodes[n].template).conditionProbability {
                    finish(r, n, .skipped, sim)
                } else if run.nodes[n].isContainer, cacheHit(r, n, sim) {
                    run.nodes[n].cache = "hit"
                    finish(r, n, .succeeded, sim)
                } else if run.nodes[n].isContainer {
                    if executionCache != nil && run.nodes[n].cacheEnabled { run.nodes[n].cache = "miss" }
                    run.nodes[n].state = .starting
                    run.runningPods += 1
                    // The workflow controller creates every pod that became ready in one reconcile together:
                    // one reaction delay per reconcile (per call), the driver overhead per task.
                    if reconcileDelay == nil { reconcileDelay = controllerDelay.sample(sim.streams.stream("steps/\(name)")) }
                    let overhead = taskOverhead.map { $0.sample(sim.streams.stream("overhead/\(name)")) } ?? 0
                    let delay = Clock.micros(seconds: reconcileDelay! + overhead)
                    if delay > 0 { readyAt[sim.now + delay, default: []].append(n) } else { createPod(r, n, sim) }
                } else {
                    run.nodes[n].state = .running
                    run.nodes[n].started = sim.now
                    if run.nodes[n].children.isEmpty { finish(r, n, .succeeded, sim) }
                }
                if run.nodes[n].isTerminal {
                    active.removeAll(keepingCapacity: true)
                } else if p >= 0, let count = active[p] {
                    active[p] = count + 1
                }
                changed = true
            }
            run.waitingNodes.removeAll { run.nodes[$0].state != .waiting }
        }
        for (at, nodes) in readyAt.sorted(by: { $0.key < $1.key }) {
            nextBatch += 1
            readyBatches[nextBatch] = (r, nodes)
            timers.set(.ready(batch: nextBatch), at: at, in: sim)
        }
    }

    /// Creates what can be created; a permanent refusal fails the run.
    func flush(_ sim: ControllerContext) {
        creator.flush(in: sim, onCreated: { pod, _ in
            if cacheWorkerNames.contains(sim.cluster.pods[Int(pod)].spec.name) { cacheWorkers.append(pod); return }
            guard let (r, n, fail) = wanted.removeValue(forKey: sim.cluster.pods[Int(pod)].spec.name) else { return }
            nodeOfPod[pod] = (r, n)
            runs[r].nodes[n].pod = pod
            if let state = pendingIO.removeValue(forKey: sim.cluster.pods[Int(pod)].spec.name) { io[pod] = state }
            runs[r].nodes[n].state = .running
            if runs[r].nodes[n].started < 0 { runs[r].nodes[n].started = sim.now }
            if let fail {
                failing.insert(pod)
                failAfter[pod] = fail
            }
        }, onRejected: { [unowned self] job, _ in
            guard let r = runOfJob[job], !runs[r].done else { return }
            creator.cancel(job: job)
            endRun(r, succeeded: false, sim)
        })
    }
    /// Pods wanted, by name: their run, node and (for a failing attempt) when they fail.
    var wanted: [String: (run: Int, node: Int, fail: Double?)] = [:]
    /// Data-moving pods wanted, by name.
    var pendingIO: [String: IOState] = [:]

    public func podEnded(_ pod: PodID, termination: PodTermination, in sim: ControllerContext) {
        guard let (r, n) = nodeOfPod.removeValue(forKey: pod), !runs[r].done else { flush(sim); return }
        failing.remove(pod)
        if let state = io.removeValue(forKey: pod) {
            runs[r].nodes[n].ioSeconds = state.ioSeconds
            runs[r].nodes[n].computeSeconds = state.computeSeconds
        }
        let run = runs[r]
        if termination == .succeeded {
            run.runningPods -= 1
            if executionCache != nil, run.nodes[n].cacheEnabled { cachedAt[cacheKey(run, n)] = sim.now }
            finish(r, n, .succeeded, sim)
        } else if let retry = run.nodes[n].retry, run.nodes[n].attempts <= retry.limit {
            run.nodes[n].state = .retrying
            let delay = Clock.micros(seconds: retry.delay(retry: run.nodes[n].attempts))
            timers.set(.stepRetry(run: r, node: n), at: sim.now + max(delay, 0), in: sim)
        } else {
            run.runningPods -= 1
            run.noteFailure(n)
            finish(r, n, .failed, sim)
        }
        advance(r, sim)
        flush(sim)
    }

    /// Node `n` ends in `state`; a group whose children all ended ends too; the run ends with its root.
    func finish(_ r: Int, _ n: Int, _ state: PipelineRun.State, _ sim: ControllerContext) {
        let run = runs[r]
        let wasTerminal = run.nodes[n].isTerminal
        run.nodes[n].state = state
        run.nodes[n].finished = sim.now
        if run.nodes[n].started < 0 && state == .succeeded { run.nodes[n].started = sim.now }
        let p = run.nodes[n].parent
        if p >= 0 && !wasTerminal && run.nodes[n].isTerminal { run.nodes[p].endedChildren += 1 }
        if p < 0 {
            endRun(r, succeeded: state == .succeeded, sim)
        } else if run.nodes[p].state == .running, run.nodes[p].endedChildren == run.nodes[p].children.count {
            let result = run.groupResult(p)
            if result == .failed { run.noteFailure(p) }
            finish(r, p, result, sim)
        }
    }

    func endRun(_ r: Int, succeeded: Bool, _ sim: ControllerContext) {
        guard !runs[r].done else { return }
        runs[r].done = true
        openRuns -= 1
        sim.finishJob(runs[r].job, succeeded: succeeded)
        // A run that fell due while the slots were taken starts now (catch-up).
        if missed > 0, let recurring, openRuns < recurring.maxConcurrency {
            missed -= 1
            startRun(runs.count, sim)
        }
        if isDone { stopCacheWorkers(sim) }
    }

    public var isDone: Bool {
        if let recurring { return dueCount >= recurring.count && missed == 0 && openRuns == 0 }
        return cursor.exhausted && openRuns == 0
    }
    public var waitingCreations: Int { creator?.waiting ?? 0 }
    public func uncreatedPods() -> [UncreatedPod] { creator?.uncreated() ?? [] }
}
