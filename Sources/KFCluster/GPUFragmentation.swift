import Foundation

/// A pod shape of the target workload, with its share of the workload's pods.
public struct TypicalGPUPod: Equatable, Sendable {
    /// CPU request in millicores (at least 100m, as kube-scheduler's non-zero requests).
    public var cpu: Int64
    /// Milli-GPU per device (0: a CPU pod; 1000: whole GPUs).
    public var milli: Int32
    /// Devices.
    public var count: Int32
    /// Accepted GPU models (empty: any).
    public var models: [String]
    /// Share of the workload (the kept shapes' shares add up to 1).
    public var share: Double

    /// A shape.
    public init(cpu: Int64, milli: Int32, count: Int32, models: [String] = [], share: Double = 0) {
        self.cpu = cpu
        self.milli = milli
        self.count = count
        self.models = models
        self.share = share
    }
}

/// GPU fragmentation with respect to a target workload (Weng et al., "Beware of Fragmentation", ATC 2023,
/// as its simulator computes it, `pkg/utils/frag.go`).
///
/// For each typical pod m (share p) a node's idle GPU is fragment when m cannot run there: all of it
/// when m needs no GPU, cannot use the node's model, or lacks CPU or devices; when m fits, only the
/// devices with less left than m's share are fragment. A node's fragment is the p-weighted sum.
public enum GPUFragmentation {
    /// The typical pods of a workload: the most frequent shapes (ties: larger CPU, then share, count and
    /// models first), taken until they cover `coverage` percent of the pods (the shape that crosses it
    /// included), each weighted by its count over the kept pods.
    public static func typicalPods(_ shapes: [TypicalGPUPod], coverage: Int = 95) -> [TypicalGPUPod] {
        var counts: [String: (shape: TypicalGPUPod, n: Int)] = [:]
        for s in shapes {
            let key = "\(s.cpu)/\(s.milli)/\(s.count)/\(s.models.joined(separator: "|"))"
            counts[key, default: (s, 0)].n += 1
        }
        let sorted = counts.values.sorted { a, b in
            if a.n != b.n { return a.n > b.n }
            if a.shape.cpu != b.shape.cpu { return a.shape.cpu > b.shape.cpu }
            if a.shape.milli != b.shape.milli { return a.shape.milli > b.shape.milli }
            if a.shape.count != b.shape.count { return a.shape.count > b.shape.count }
            return a.shape.models.joined(separator: "|") > b.shape.models.joined(separator: "|")
        }
        let expected = coverage * shapes.count / 100
        var kept: [(TypicalGPUPod, Int)] = []
        var cumulative = 0
        for (shape, n) in sorted where cumulative < expected {
            kept.append((shape, n))
            cumulative += n
        }
        return kept.map { shape, n in
            var s = shape
            s.share = Double(n) / Double(cumulative)
            return s
        }
    }

    /// Whether a pod accepting `models` can use a node of GPU `model` (any model: yes; a node without a
    /// model: no).
    public static func accessible(node model: String?, pod models: [String]) -> Bool {
        guard !models.isEmpty else { return true }
        guard let model, !model.isEmpty else { return false }
        return models.contains(model)
    }

    /// A node's fragment in milli-GPU: `cpuLeft` millicores free, `devices` milli-GPU left per device.
    public static func nodeFragment(cpuLeft: Int64, devices: [Int32], model: String?, typical: [TypicalGPUPod]) -> Double {
        var idle: Int64 = 0
        for l in devices { idle += Int64(l) }
        guard idle > 0 else { return 0 }
        var fragment = 0.0
        for m in typical {
            if m.milli == 0 || !accessible(node: model, pod: m.models) {
                fragment += m.share * Double(idle)
                continue
            }
            let gpuOK = GPUDevices.fits(devices, milli: m.milli, count: m.count)
            guard gpuOK && cpuLeft >= m.cpu else {
                fragment += m.share * Double(idle)
                continue
            }
            var stranded: Int64 = 0
            for l in devices where l < m.milli { stranded += Int64(l) }
            fragment += m.share * Double(stranded)
        }
        return fragment
    }

    /// Node `n`'s fragment in milli-GPU as the cluster stands, against the cluster's typical pods.
    public static func nodeFragment(_ cluster: ClusterState, _ n: Int) -> Double {
        let u = cluster.usage[n]
        guard u.allocatable.gpu > 0 else { return 0 }
        return nodeFragment(cpuLeft: u.allocatable.cpu - u.requested.cpu,
                            devices: cluster.gpuDevices.devices(of: n, allocatable: u.allocatable.gpu),
                            model: cluster.nodes[n].spec.labels[gpuModelLabel], typical: cluster.gpuDevices.typicalPods)
    }

    /// The node label naming a node's GPU model (openb's `model` column).
    public static let gpuModelLabel = "alibaba.com/gpu-model"
}
