import Foundation
import KFCluster
import KFControlPlane
import KFEngine
import KFConfig
import KFScenario
import KFScheduler
import KFWorkloads

/// The "fill the cluster" experiment of Weng et al., "Beware of Fragmentation" (ATC 2023), as its
/// simulator runs it: the pods of a trace (the scenario's first `Trace` workload) are submitted one at a
/// time, times ignored, in trace order or shuffled by the seed, and topped up with clones drawn uniformly
/// from the trace (or thinned at random) until the GPU demand is `demand` times the cluster's GPUs. Each
/// pod gets one scheduling cycle: bound, it stays forever; unschedulable, it is dropped (its GPUs still
/// count as arrived). After every pod the allocated GPU and the fragmentation (against the trace's
/// typical pods) are measured.
public enum GPUFill {
    /// The order pods are submitted in.
    public enum Order: String, CaseIterable, Sendable { case shuffled, trace }

    /// One bin of the curve: the pods after which the arrived GPU demand rounds to `arrivedPercent` of
    /// the cluster's GPUs, averaged.
    public struct Point: Equatable, Sendable {
        public var arrivedPercent: Int
        /// Allocated milli-GPU, percent of the cluster's.
        public var allocatedPercent: Double
        /// Fragmented idle milli-GPU, percent of the cluster's.
        public var fragmentPercent: Double
        /// Fragmented idle milli-GPU, percent of the idle milli-GPU (empty when nothing is idle).
        public var fragmentRatio: Double?
    }

    /// A run's outcome.
    public struct Result: Sendable {
        public var capacityMilli: Int64
        public var pods = 0, failed = 0
        public var arrivedMilli: Int64 = 0
        public var curve: [Point] = []
        /// Allocated percent when the arrived demand first reached 100% (nil if it never did).
        public var allocatedAtFull: Double?
    }

    /// Milli-GPU a pod asks for in all.
    static func demand(_ spec: PodSpec) -> Int64 {
        if spec.gpuMilli > 0 { return Int64(spec.gpuMilli) }
        return spec.containers.reduce(0) { $0 + ($1.requests.gpu ?? 0) } * 1000
    }

    /// Runs the experiment on `scenario` under `seed`.
    public static func run(_ scenario: Scenario, seed: UInt64, order: Order, demand target: Double) throws -> Result {
        let sim = try scenario.makeSimulation(seed: seed)
        guard let specs = sim.workloads.lazy.compactMap({ ($0 as? SinglePodJobController)?.tracePods(in: sim) }).first else {
            throw ConfigError(file: scenario.file, line: 1, column: 1, path: "spec.workloads",
                              message: "the fill experiment needs a workload of kind Trace")
        }
        let cluster = sim.cluster
        let capacity = cluster.capacity.gpu * 1000
        var result = Result(capacityMilli: capacity)
        guard capacity > 0 else { return result }
        let stream = sim.streams.stream("fill")
        var pods = specs
        if order == .shuffled {
            for i in stride(from: pods.count - 1, to: 0, by: -1) { pods.swapAt(i, stream.uniformInt(below: i + 1)) }
        }
        pods = tuned(pods, originals: specs, target: Int64(target * Double(capacity)), stream: stream)
        var fragment = [Double](repeating: 0, count: cluster.nodes.count)
        var totalFragment = 0.0
        for n in cluster.liveNodes {
            fragment[Int(n)] = GPUFragmentation.nodeFragment(cluster, Int(n))
            totalFragment += fragment[Int(n)]
        }
        var bins: [Int: (alloc: Double, frag: Double, ratio: Double, ratios: Int, n: Int)] = [:]
        for spec in pods {
            result.pods += 1
            result.arrivedMilli += demand(spec)
            guard case .success(let id) = cluster.create(spec, owner: OwnerRef(controller: -1, job: -1), now: 0) else {
                result.failed += 1
                continue
            }
            if case .bound(let node) = sim.scheduler.schedule(id) {
                cluster.bind(id, to: node, now: 0)
                totalFragment -= fragment[Int(node)]
                fragment[Int(node)] = GPUFragmentation.nodeFragment(cluster, Int(node))
                totalFragment += fragment[Int(node)]
            } else {
                cluster.finish(id, now: 0, termination: .deleted, reason: "unschedulable (fill experiment: dropped)")
                result.failed += 1
            }
            let allocated = cluster.gpuDevices.allocatedMilli
            let idle = capacity - allocated
            let arrived = Int((Double(result.arrivedMilli) * 100 / Double(capacity)).rounded(.toNearestOrEven))
            let alloc = Double(allocated) * 100 / Double(capacity)
            if result.allocatedAtFull == nil && result.arrivedMilli >= capacity { result.allocatedAtFull = alloc }
            var b = bins[arrived] ?? (0, 0, 0, 0, 0)
            b.alloc += alloc
            b.frag += totalFragment * 100 / Double(capacity)
            if idle > 0 {
                b.ratio += totalFragment * 100 / Double(idle)
                b.ratios += 1
            }
            b.n += 1
            bins[arrived] = b
        }
        result.curve = bins.keys.sorted().map { k in
            let b = bins[k]!
            return Point(arrivedPercent: k, allocatedPercent: b.alloc / Double(b.n), fragmentPercent: b.frag / Double(b.n),
                         fragmentRatio: b.ratios > 0 ? b.ratio / Double(b.ratios) : nil)
        }
        return result
    }

    /// The simulator's `TunePodsByNodeTotalResource`: above the target, random pods are removed until the
    /// demand is at most the target; below, clones of uniformly drawn trace pods are appended until the
    /// next draw's per-device share would pass it.
    static func tuned(_ pods: [PodSpec], originals: [PodSpec], target: Int64, stream: RandomStream) -> [PodSpec] {
        var out = pods
        var total = out.reduce(Int64(0)) { $0 + demand($1) }
        if total > target {
            while total > target, !out.isEmpty {
                let i = stream.uniformInt(below: out.count)
                total -= demand(out[i])
                out.remove(at: i)
            }
            return out
        }
        // CPU pods are always taken: without a GPU pod the top-up would never end.
        guard originals.contains(where: { demand($0) > 0 }) else { return out }
        var clone = 0
        while true {
            var p = originals[stream.uniformInt(below: originals.count)]
            let perDevice: Int64 = p.gpuMilli > 0 ? Int64(p.gpuMilli) : (demand(p) > 0 ? 1000 : 0)
            if total + perDevice > target { break }
            p.name = "\(p.name)-tuned-\(clone)"
            clone += 1
            total += demand(p)
            out.append(p)
        }
        return out
    }
}

extension GPUFill {
    /// The policies of the study, as score plugins (with Open-Gpu-Share's device selection).
    public static let policies: [(name: String, plugin: String, selection: String)] = [
        ("FGD", "FGDScore", "best"), ("BestFit", "BestFitScore", "best"), ("DotProduct", "DotProductScore", "best"),
        ("GpuPacking", "GpuPackingScore", "best"), ("GpuClustering", "GpuClusteringScore", "best"), ("Random", "RandomScore", "random"),
    ]

    /// `scenario` with every profile scoring by policy `name` alone (weight 1000, as the study) and
    /// Open-Gpu-Share picking shares' devices as that policy does.
    public static func withPolicy(_ scenario: Scenario, _ name: String) -> Scenario? {
        guard let p = policies.first(where: { $0.name == name }) else { return nil }
        var s = scenario
        for i in s.scheduler.profiles.indices {
            var profile = s.scheduler.profiles[i]
            profile.plugins[.score] = PluginSet(enabled: [PluginRef(name: p.plugin, weight: 1000)], disabled: [PluginRef(name: "*")])
            profile.plugins[.preScore] = PluginSet(enabled: p.plugin == "RandomScore" ? [PluginRef(name: p.plugin)] : [],
                                                   disabled: [PluginRef(name: "*")])
            profile.pluginConfig.removeAll { $0.name == "Open-Gpu-Share" }
            profile.pluginConfig.append((name: "Open-Gpu-Share", args: .map([("gpuSelMethod", .scalar(p.selection))])))
            s.scheduler.profiles[i] = profile
        }
        return s
    }

    /// The curve as CSV: `policy,seed,arrived_pct,allocated_pct,unallocated_pct,frag_pct,frag_ratio_pct`.
    public static func csv(_ runs: [(policy: String, seed: UInt64, result: Result)]) -> String {
        var out = "policy,seed,arrived_pct,allocated_pct,unallocated_pct,frag_pct,frag_ratio_pct\n"
        for r in runs {
            for p in r.result.curve {
                out += "\(r.policy),\(r.seed),\(p.arrivedPercent),\(fixed(p.allocatedPercent)),\(fixed(100 - p.allocatedPercent)),"
                    + "\(fixed(p.fragmentPercent)),\(p.fragmentRatio.map(fixed) ?? "")\n"
            }
        }
        return out
    }

    static func fixed(_ v: Double) -> String { String(format: "%.4f", v) }
}
