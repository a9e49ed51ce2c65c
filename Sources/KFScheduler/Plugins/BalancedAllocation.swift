import KFCluster

/// Favours nodes whose resource fractions (requests including the pod over allocatable) are even:
/// score = (1 - std) * 100, with std = |f_cpu - f_mem| / 2 for two resources.
public final class NodeResourcesBalancedAllocation: ScorePlugin {
    public let name = "NodeResourcesBalancedAllocation"
    /// Resources compared (default cpu and memory).
    public let resources: [ResourceKind]
    /// The default resources (cpu and memory): `scoreAll` takes its hoisted loop for pods without GPUs.
    private let cpuAndMemory: Bool

    /// The plugin.
    public init(resources: [ResourceKind] = [.cpu, .memory]) {
        self.resources = resources
        cpuAndMemory = resources == [.cpu, .memory]
    }

    /// Builds the plugin from `args` (`resources: [{name, weight}]`; weights are ignored, as in Kubernetes).
    public convenience init(args: PluginArgs) throws(PluginArgsError) {
        try args.requireKeys(["resources"], at: "")
        guard let list = args["resources"] else { self.init(); return }
        var names: [ResourceKind] = []
        for (i, item) in try list.list(at: "resources").enumerated() {
            try item.requireKeys(["name", "weight"], at: "resources[\(i)]")
            guard let n = item["name"] else { throw PluginArgsError(path: "resources[\(i)]", message: "missing 'name'") }
            let name = try n.string(at: "resources[\(i)].name")
            if ResourceKind.isUnmodelled(name) { continue }
            guard let kind = ResourceKind(rawValue: name) else {
                throw PluginArgsError(path: "resources[\(i)].name",
                                      message: "unknown resource '\(name)'; accepted: \(ResourceWeight.acceptedNames.joined(separator: ", "))")
            }
            guard !names.contains(kind) else {
                throw PluginArgsError(path: "resources[\(i)].name", message: "resource '\(name)' is listed twice")
            }
            names.append(kind)
        }
        self.init(resources: names)
    }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        score(ctx.cluster.usage[Int(node)], ctx.requests)
    }

    /// A node's score reads only its usage (and images), the pod and cluster-wide values.
    public var scoresByNodeState: Bool { true }

    /// Its score reads the node's allocatable and requests and the pod's requests only.
    public var scoresByRequests: Bool { true }

    public func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64]) {
        let usage = ctx.cluster.usage
        let req = ctx.requests
        let start = scores.count
        scores.append(contentsOf: repeatElement(0, count: nodes.count))
        // The default (cpu and memory) for a pod without GPUs, hoisted: the same arithmetic as `score`.
        if cpuAndMemory, req.gpu == 0, req.cpu != 0 || req.memory != 0 {
            scores.withUnsafeMutableBufferPointer { out in
                usage.withUnsafeBufferPointer { usage in
                    for (i, node) in nodes.enumerated() {
                        let n = Int(node)
                        let ac = usage[n].allocatable.cpu, am = usage[n].allocatable.memory
                        // One resource (the other unallocatable) has no spread.
                        var std = 0.0
                        if ac != 0 && am != 0 {
                            let fc = min(Double(usage[n].requested.cpu + req.cpu) / Double(ac), 1)
                            let fm = min(Double(usage[n].requested.memory + req.memory) / Double(am), 1)
                            std = abs((fc - fm) / 2)
                        }
                        out[start + i] = Int64((1 - std) * Double(maxNodeScore))
                    }
                }
            }
            return
        }
        scores.withUnsafeMutableBufferPointer { out in
            usage.withUnsafeBufferPointer { usage in
                for (i, node) in nodes.enumerated() { out[start + i] = score(usage[Int(node)], req) }
            }
        }
    }

    @inline(__always)
    func score(_ u: NodeUsage, _ req: Resources) -> Int64 {
        // Best-effort pods (no requests at all) are not scored by this plugin.
        if req.cpu == 0 && req.memory == 0 && req.gpu == 0 { return 0 }
        // At most three resources: keep the fractions in locals, off the heap (hot path).
        var f = (0.0, 0.0, 0.0)
        var count = 0
        var total = 0.0
        for r in resources {
            if r == .gpu && req.gpu == 0 { continue }
            let alloc = r.of(u.allocatable)
            let requested = r.of(u.requested) + r.of(req)
            if alloc == 0 { continue }
            let fraction = min(Double(requested) / Double(alloc), 1)
            total += fraction
            switch count {
            case 0: f.0 = fraction
            case 1: f.1 = fraction
            default: f.2 = fraction
            }
            count += 1
        }
        var std = 0.0
        if count == 2 {
            std = abs((f.0 - f.1) / 2)
        } else if count == 3 {
            let mean = total / 3
            let sum = (f.0 - mean) * (f.0 - mean) + (f.1 - mean) * (f.1 - mean) + (f.2 - mean) * (f.2 - mean)
            std = (sum / 3).squareRoot()
        }
        return Int64((1 - std) * Double(maxNodeScore))
    }
}
