import KFCluster
import KFControlPlane
import KFEngine

/// An object store (MinIO, as Kubeflow Pipelines ships it, or S3): one link of the network fabric with
/// its aggregate bandwidth, shared max-min fairly with the nodes' NICs, and a latency per request.
public struct ObjectStore: Sendable, Equatable {
    /// Its name (the link's; pipelines naming the same store share it).
    public var name: String
    /// Aggregate bandwidth, bytes per second.
    public var bytesPerSecond: Double
    /// Latency of each request, seconds.
    public var latency: Double

    /// A store.
    public init(name: String = "object-store", bytesPerSecond: Double, latency: Double = 0) {
        self.name = name
        self.bytesPerSecond = bytesPerSecond
        self.latency = latency
    }

    /// Its link in `network` (added on first use).
    func link(in network: NetworkFabric) -> Int32 {
        if let i = network.linkNames.firstIndex(of: "store/\(name)") { return Int32(i) }
        return network.addLink(name: "store/\(name)", bytesPerSecond: bytesPerSecond)
    }
}

/// A data-moving step's progress: download its inputs, compute, upload its outputs.
struct IOState {
    var input: Double, output: Double, compute: Double
    var fails: Bool
    var reads: [String] = []
    var transfersLeft = 0
    var phaseStart: SimTime = 0
    var ioSeconds = 0.0, computeSeconds = 0.0
}

extension PipelineController {
    /// The pod runs: after the store's request latency, its download starts.
    func beginIO(_ pod: PodID, _ sim: ControllerContext) {
        io[pod]!.phaseStart = sim.now
        let latency = Clock.micros(seconds: storage?.latency ?? 0)
        if latency > 0 { timers.set(.latency(pod), at: sim.now + latency, in: sim) } else { download(pod, sim) }
    }

    /// Downloads the inputs to the pod's node (its artifacts from the store; each dataset from the
    /// node's cache, a peer's or the store), all at once, then computes.
    func download(_ pod: PodID, _ sim: ControllerContext) {
        guard let state = io[pod] else { return }
        let network = sim.cluster.network
        let node = sim.cluster.pods[Int(pod)].node
        var moves: [(bytes: Double, flow: MaxMinFairShare.LinkFlow)] = [(state.input, .init(storeLink, network.ingress(of: node)))]
        for d in state.reads {
            let size = datasetSize(d)
            switch dataCache?.source(of: d, for: node, size: size) ?? .store {
            case .local: continue
            case .peer(let p): moves.append((size, network.flow(from: p, to: node)))  // across zone uplinks too
            case .store: moves.append((size, .init(storeLink, network.ingress(of: node))))
            }
        }
        io[pod]!.transfersLeft = moves.count
        for m in moves {
            DataTransfers.of(sim).start(bytes: m.bytes, over: m.flow) { [unowned self, unowned sim] in
                guard io[pod] != nil else { return }
                io[pod]!.transfersLeft -= 1
                guard io[pod]!.transfersLeft == 0 else { return }
                for d in io[pod]!.reads { dataCache?.use(d, size: datasetSize(d), on: node, now: sim.now) }
                io[pod]!.ioSeconds += Clock.seconds(sim.now - io[pod]!.phaseStart)
                io[pod]!.phaseStart = sim.now
                timers.set(.computed(pod), at: sim.now + max(0, Clock.micros(seconds: io[pod]!.compute)), in: sim)
            }
        }
    }

    /// Computing is over: a failing attempt fails now; the others upload their outputs, then end.
    func upload(_ pod: PodID, _ sim: ControllerContext) {
        guard io[pod] != nil, sim.cluster.pods[Int(pod)].phase == .running else { return }
        io[pod]!.computeSeconds = Clock.seconds(sim.now - io[pod]!.phaseStart)
        io[pod]!.phaseStart = sim.now
        if io[pod]!.fails {
            sim.completePod(pod, succeeded: false)
            return
        }
        let node = sim.cluster.pods[Int(pod)].node
        let flow = MaxMinFairShare.LinkFlow(sim.cluster.network.egress(of: node), storeLink)
        DataTransfers.of(sim).start(bytes: io[pod]!.output, over: flow) { [unowned self, unowned sim] in
            guard io[pod] != nil else { return }
            io[pod]!.ioSeconds += Clock.seconds(sim.now - io[pod]!.phaseStart)
            if sim.cluster.pods[Int(pod)].phase == .running { sim.completePod(pod, succeeded: true) }
        }
    }
}

extension PipelineController {
    /// The cache key of node `n`: its template and its path in the run (the same task of another run
    /// has the same inputs; loop items by their index).
    func cacheKey(_ run: PipelineRun, _ n: Int) -> String {
        "\(run.nodes[n].template)/\(run.nodes[n].name)"
    }

    /// Whether node `n` of run `r` reuses an earlier execution: caching on for it, an earlier success of
    /// its key within the staleness limit, and every step before it in this run reused too (a step that
    /// ran again produced new artifacts, so what follows it cannot be reused).
    func cacheHit(_ r: Int, _ n: Int, _ sim: ControllerContext) -> Bool {
        let run = runs[r]
        guard let staleness = executionCache, run.nodes[n].cacheEnabled, let at = cachedAt[cacheKey(run, n)],
              Clock.seconds(sim.now - at) <= staleness else { return false }
        let before = Set(run.stepsBefore(run.nodes[n]))
        return run.nodes.allSatisfy { !before.contains($0.name) || $0.cache == "hit" }
    }
}

extension PipelineController {
    /// Pipeline-aware precaching: for every step of run `r` about to run (its dependencies all started,
    /// some still running), fetches the datasets it reads that no node caches into the cache of the
    /// node with the most room, while its upstream steps compute.
    func precache(_ r: Int, _ sim: ControllerContext) {
        guard let cache = dataCache, cache.precache else { return }
        let run = runs[r]
        for n in run.waitingNodes where run.nodes[n].state == .waiting && run.nodes[n].isContainer {
            let deps = run.nodes[n].deps.map { run.nodes[$0].state }
            guard !deps.isEmpty, deps.allSatisfy({ $0 != .waiting }), deps.contains(where: { $0 == .running || $0 == .starting }) else { continue }
            for d in profile(run.nodes[n].template).reads.map({ run.dataset($0) }) where !prefetching.contains(d) {
                let size = datasetSize(d)
                guard let target = cache.prefetchTarget(d, size: size, nodes: sim.cluster.liveNodes) else { continue }
                prefetching.insert(d)
                let flow = MaxMinFairShare.LinkFlow(storeLink, sim.cluster.network.ingress(of: target))
                DataTransfers.of(sim).start(bytes: size, over: flow) { [unowned self, unowned sim] in
                    prefetching.remove(d)
                    dataCache?.use(d, size: size, on: target, now: sim.now)
                }
            }
        }
    }

    /// Whether a step not yet reading needs `dataset` (waiting or starting steps of open runs).
    func pendingNeeds(_ dataset: String) -> Bool {
        runs.contains { run in
            !run.done && run.nodes.contains { ($0.state == .waiting || $0.state == .starting) && $0.isContainer
                && profile($0.template).reads.contains { run.dataset($0) == dataset } }
        }
    }
}

extension PipelineController {
    /// The size of a dataset (a variant `name#k` has its dataset's size).
    func datasetSize(_ name: String) -> Double {
        datasets[name.split(separator: "#").first.map(String.init) ?? name]?.size ?? 0
    }
}
