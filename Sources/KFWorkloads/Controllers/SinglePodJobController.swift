import KFCluster
import KFControlPlane
import KFEngine

/// Jobs of one pod each: bare pods (kind `Pod`) and trace replay (kind `TracePod`). Each arrival
/// creates one pod; the job ends when its pod does.
public final class SinglePodJobController: WorkloadController {
    public let name: String
    let kind: String
    let backoff: RetryBackoff
    let arrivalTimes: (ControllerContext) -> [SimTime]
    let makeSpec: (Int, ControllerContext) -> PodSpec
    private var creator: PodCreator!
    private var index: Int32 = -1
    private var arrivals = ArrivalCursor()
    /// What wakes the controller.
    enum Timer { case arrival, retry }
    var timers = ControllerTimers<Timer>()
    private var jobOfPod = DenseIDMap()
    private var open = 0
    /// Whether a lone arrival is created at once (`PodCreator.create`); false queues and flushes every
    /// arrival, the longer way to the same result (tests compare the two).
    var createsAtOnce = true
    /// Called when the run starts, before the first arrival.
    var onStart: ((ControllerContext) -> Void)?

    /// A controller whose `i`-th pod (`makeSpec(i)`) arrives at `arrivalTimes()[i]`.
    public init(name: String, kind: String, backoff: RetryBackoff = .controllerRuntime,
                arrivalTimes: @escaping (ControllerContext) -> [SimTime], makeSpec: @escaping (Int, ControllerContext) -> PodSpec) {
        self.name = name
        self.kind = kind
        self.backoff = backoff
        self.arrivalTimes = arrivalTimes
        self.makeSpec = makeSpec
    }

    /// Bare pods named `<name>-<i>` from `template`, arriving by `arrivals`, each doing `work`.
    public static func pods(name: String, template: PodSpec, work: WorkSpec, arrivals: ArrivalProcess,
                            backoff: RetryBackoff = .controllerRuntime) -> SinglePodJobController {
        SinglePodJobController(name: name, kind: "Pod", backoff: backoff, arrivalTimes: { sim in
            arrivals.times(sim.streams.stream("arrivals/\(name)"))
        }, makeSpec: { i, sim in
            var spec = template
            spec.name = "\(name)-\(i)"
            spec.work = work.sample(sim.streams.stream("durations/\(name)"))
            return spec
        })
    }

    /// A replay of trace pods into `namespace`: arrivals shifted so the first is at 0, times multiplied
    /// by `timeScale`; each pod runs for its recorded duration with its recorded requests.
    /// With `gpuSharing`, openb's GPU shares stay shares of one device and the trace's shapes become the
    /// cluster's target workload for the fragmentation measure.
    public static func traceReplay(name: String, pods: [TracePod], namespace: String, timeScale: Double,
                                   gpuSharing: Bool = false) -> SinglePodJobController {
        let origin = pods.first?.arrival ?? 0
        let controller = SinglePodJobController(name: name, kind: "TracePod", arrivalTimes: { _ in
            pods.map { Clock.micros(seconds: ($0.arrival - origin) * timeScale) }
        }, makeSpec: { i, _ in spec(of: pods[i], namespace: namespace, timeScale: timeScale, gpuSharing: gpuSharing) })
        if gpuSharing {
            controller.onStart = { sim in
                if sim.cluster.gpuDevices.typicalPods.isEmpty { sim.cluster.gpuDevices.typicalPods = OpenbTrace.typicalPods(pods) }
            }
        }
        return controller
    }

    /// The pod of a trace pod: its requests, its run time (times `timeScale`), its GPU models as a
    /// required node affinity; with `gpuSharing`, a GPU share as `gpuMilli` instead of a whole GPU.
    public static func spec(of p: TracePod, namespace: String, timeScale: Double = 1, gpuSharing: Bool) -> PodSpec {
        let share = gpuSharing && p.gpuMilli > 0 && p.gpuMilli < 1000
        let gpus = share ? 0 : p.requests.gpu
        let requests = OptionalResources(cpu: p.requests.cpu, memory: p.requests.memory, gpu: gpus > 0 ? gpus : nil)
        var spec = PodSpec(name: p.name, namespace: namespace,
                           containers: [ContainerSpec(requests: requests, limits: OptionalResources(gpu: requests.gpu))],
                           work: p.duration.isFinite ? .duration(p.duration * timeScale) : .forever)
        if share { spec.gpuMilli = p.gpuMilli }
        // openb's gpu_spec: only nodes of those GPU models (a required node affinity on the model label).
        if !p.gpuModels.isEmpty {
            spec.nodeAffinity = NodeAffinity(required: [NodeSelectorTerm(matchExpressions: [
                LabelRequirement(key: OpenbTrace.gpuModelLabel, op: .in, values: p.gpuModels)])])
        }
        return spec
    }

    /// A trace replay's pods in trace order, its start hook run first (nil for other kinds): for drivers
    /// that submit the pods themselves (the GPU fill experiment).
    public func tracePods(in sim: ControllerContext) -> [PodSpec]? {
        guard kind == "TracePod" else { return nil }
        onStart?(sim)
        return arrivalTimes(sim).indices.map { makeSpec($0, sim) }
    }

    public func start(in sim: ControllerContext) {
        onStart?(sim)
        index = sim.index(of: self)
        timers.owner = index
        creator = PodCreator(owner: self, index: index, timers: \.timers, retry: .retry, backoff: backoff, in: sim)
        arrivals.start(arrivalTimes(sim), timers: &timers, arrival: .arrival, in: sim)
    }

    public func fire(_ timer: Scheduled, in sim: ControllerContext) {
        if case .arrival? = timers.fired(timer) {
            let due = arrivals.due(timers: &timers, arrival: .arrival, in: sim)
            for i in due {
                let spec = makeSpec(i, sim)
                let job = sim.submitJob(name: spec.name, kind: kind, namespace: spec.namespace)
                open += 1
                // One pod due: created at once (`PodCreator.create` flushes when others wait).
                if due.count == 1 && createsAtOnce {
                    creator.create(spec, job: job, in: sim, onCreated: { id, job in jobOfPod[id] = job },
                                   onRejected: { job, _ in refused(job, in: sim) })
                    return
                }
                creator.want(spec, job: job)
            }
        }
        flush(sim)
    }

    private func flush(_ sim: ControllerContext) {
        creator.flush(in: sim, onCreated: { id, job in jobOfPod[id] = job }, onRejected: { job, _ in refused(job, in: sim) })
    }

    /// A pod refused for good: its job fails.
    private func refused(_ job: JobID, in sim: ControllerContext) {
        sim.finishJob(job, succeeded: false)
        open -= 1
    }

    public func podEnded(_ pod: PodID, termination: PodTermination, in sim: ControllerContext) {
        let succeeded = termination == .succeeded
        if let job = jobOfPod.removeValue(forKey: pod) {
            sim.finishJob(job, succeeded: succeeded)
            open -= 1
        }
        flush(sim)
    }

    public var isDone: Bool { arrivals.exhausted && open == 0 }

    public var plannedPods: Int { arrivals.times.count }
    public var plannedJobs: Int { arrivals.times.count }
    public var waitingCreations: Int { creator?.waiting ?? 0 }
    public func uncreatedPods() -> [UncreatedPod] { creator?.uncreated() ?? [] }
}
