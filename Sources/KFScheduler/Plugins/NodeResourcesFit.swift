import KFCluster

/// A resource a scoring strategy looks at, with its weight.
public struct ResourceWeight: Equatable, Sendable {
    /// The resource.
    public var kind: ResourceKind
    /// `cpu`, `memory` or `nvidia.com/gpu`.
    public var name: String { kind.rawValue }
    /// Positive weight.
    public var weight: Int64
    /// A weighted resource.
    public init(kind: ResourceKind, weight: Int64) {
        self.kind = kind
        self.weight = weight
    }
    /// Names accepted in `resources`.
    public static let acceptedNames = ResourceKind.allCases.map(\.rawValue)
}

/// One point of a RequestedToCapacityRatio shape: utilisation 0...100 -> score 0...10.
public struct UtilizationShapePoint: Equatable, Sendable {
    /// Utilisation in percent.
    public var utilization: Int64
    /// Score 0...10.
    public var score: Int64
    /// A point.
    public init(utilization: Int64, score: Int64) {
        self.utilization = utilization
        self.score = score
    }
}

/// How NodeResourcesFit scores.
public enum ScoringStrategy: Equatable, Sendable {
    /// `(alloc - req) * 100 / alloc` per resource.
    case leastAllocated
    /// `min(req, alloc) * 100 / alloc` per resource.
    case mostAllocated
    /// A piecewise-linear function of `req * 100 / alloc`.
    case requestedToCapacityRatio([UtilizationShapePoint])

    /// The accepted `type` values.
    public static let acceptedTypes = ["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"]
}

/// Filters nodes without room for the pod's requests; scores by a scoring strategy.
public final class NodeResourcesFit: PreFilterPlugin, FilterPlugin, ScorePlugin {
    public let name = "NodeResourcesFit"
    /// The scoring strategy.
    public let strategy: ScoringStrategy
    /// Resources and weights used in scoring.
    public let resources: [ResourceWeight]
    /// LeastAllocated over cpu then memory (the default): `scoreAll` takes its hoisted loop.
    private let leastAllocatedCPUMemory: Bool

    /// The plugin with a strategy (default LeastAllocated on cpu and memory, weight 1 each).
    public init(strategy: ScoringStrategy = .leastAllocated,
                resources: [ResourceWeight] = [ResourceWeight(kind: .cpu, weight: 1), ResourceWeight(kind: .memory, weight: 1)]) {
        self.strategy = strategy
        self.resources = resources
        leastAllocatedCPUMemory = strategy == .leastAllocated && resources.map(\.kind) == [.cpu, .memory]
    }

    /// Builds the plugin from `args` (`scoringStrategy: {type, resources, requestedToCapacityRatio: {shape}}`).
    public convenience init(args: PluginArgs) throws(PluginArgsError) {
        try args.requireKeys(["scoringStrategy"], at: "")
        guard let s = args["scoringStrategy"] else { self.init(); return }
        try s.requireKeys(["type", "resources", "requestedToCapacityRatio"], at: "scoringStrategy")
        let resources = try s["resources"].map { (list: PluginArgs) throws(PluginArgsError) in try NodeResourcesFit.resourceWeights(list) }
            ?? [ResourceWeight(kind: .cpu, weight: 1), ResourceWeight(kind: .memory, weight: 1)]
        let type = try s["type"]?.string(at: "scoringStrategy.type") ?? "LeastAllocated"
        let strategy: ScoringStrategy
        switch type {
        case "LeastAllocated": strategy = .leastAllocated
        case "MostAllocated": strategy = .mostAllocated
        case "RequestedToCapacityRatio":
            let base = "scoringStrategy.requestedToCapacityRatio"
            guard let r = s["requestedToCapacityRatio"] else {
                throw PluginArgsError(path: base, message: "RequestedToCapacityRatio needs requestedToCapacityRatio.shape")
            }
            try r.requireKeys(["shape"], at: base)
            guard let shapeValue = r["shape"] else { throw PluginArgsError(path: "\(base).shape", message: "missing shape") }
            var shape: [UtilizationShapePoint] = []
            for (i, p) in try shapeValue.list(at: "\(base).shape").enumerated() {
                let path = "\(base).shape[\(i)]"
                try p.requireKeys(["utilization", "score"], at: path)
                guard let u = p["utilization"], let sc = p["score"] else {
                    throw PluginArgsError(path: path, message: "each point needs utilization and score")
                }
                let point = UtilizationShapePoint(utilization: try u.int(at: "\(path).utilization"), score: try sc.int(at: "\(path).score"))
                guard (0...100).contains(point.utilization) else {
                    throw PluginArgsError(path: "\(path).utilization", message: "utilization must be in 0...100, got \(point.utilization)")
                }
                guard (0...10).contains(point.score) else {
                    throw PluginArgsError(path: "\(path).score", message: "score must be in 0...10, got \(point.score)")
                }
                if let last = shape.last, last.utilization >= point.utilization {
                    throw PluginArgsError(path: "\(path).utilization", message: "utilization must increase along the shape")
                }
                shape.append(point)
            }
            guard !shape.isEmpty else { throw PluginArgsError(path: "\(base).shape", message: "shape needs at least one point") }
            strategy = .requestedToCapacityRatio(shape)
        default:
            throw PluginArgsError(path: "scoringStrategy.type",
                                  message: "unknown type '\(type)'; accepted: \(ScoringStrategy.acceptedTypes.joined(separator: ", "))")
        }
        self.init(strategy: strategy, resources: resources)
    }

    /// `scoringStrategy.resources`: names and positive weights, each resource once.
    static func resourceWeights(_ list: PluginArgs) throws(PluginArgsError) -> [ResourceWeight] {
        var resources: [ResourceWeight] = []
        for (i, item) in try list.list(at: "scoringStrategy.resources").enumerated() {
            let path = "scoringStrategy.resources[\(i)]"
            try item.requireKeys(["name", "weight"], at: path)
            guard let nameValue = item["name"] else { throw PluginArgsError(path: path, message: "missing 'name'") }
            let name = try nameValue.string(at: "\(path).name")
            if ResourceKind.isUnmodelled(name) {
                // Validated like the others, then dropped: no node has it (see `ResourceKind.isUnmodelled`).
                let weight = try item["weight"]?.int(at: "\(path).weight") ?? 1
                guard (1...100).contains(weight) else { throw PluginArgsError(path: "\(path).weight", message: "weight must be in 1...100, got \(weight)") }
                continue
            }
            guard let kind = ResourceKind(rawValue: name) else {
                throw PluginArgsError(path: "\(path).name",
                                      message: "unknown resource '\(name)'; accepted: \(ResourceWeight.acceptedNames.joined(separator: ", "))")
            }
            let weight = try item["weight"]?.int(at: "\(path).weight") ?? 1
            guard weight > 0 else { throw PluginArgsError(path: "\(path).weight", message: "weight must be positive, got \(weight)") }
            guard !resources.contains(where: { $0.kind == kind }) else {
                throw PluginArgsError(path: "\(path).name", message: "resource '\(name)' is listed twice")
            }
            resources.append(ResourceWeight(kind: kind, weight: weight))
        }
        return resources
    }

    public func preFilter(_ ctx: CycleContext) -> String? { nil }

    public func filterAll(_ ctx: CycleContext, nodes: ArraySlice<Int32>, rejections: inout [String?]) -> Int {
        let usage = ctx.cluster.usage
        let withNominated = !ctx.nominatedExtra.isEmpty
        var i = 0, rejected = 0
        for node in nodes {
            if rejections[i] == nil,
               let r = Self.fit(withNominated ? usageWithNominated(ctx, node) : usage[Int(node)], ctx.requests) {
                rejections[i] = r
                rejected += 1
            }
            i += 1
        }
        return rejected
    }

    public func filter(_ ctx: CycleContext, node: Int32) -> String? {
        Self.fit(usageWithNominated(ctx, node), ctx.requests)
    }

    /// The node's usage with the pods nominated there (of at least the pod's priority) counted.
    func usageWithNominated(_ ctx: CycleContext, _ node: Int32) -> NodeUsage {
        var u = ctx.cluster.usage[Int(node)]
        if let extra = ctx.nominatedExtra[node] {
            u.requested += extra.requests
            u.podCount += extra.pods
        }
        return u
    }

    /// Why a pod with `req` does not fit a node with usage `u` (nil: it fits). The plugin's arguments
    /// only shape scoring, so the verdict needs no instance (the queue reasons with it too).
    @inline(__always)
    static func fit(_ u: NodeUsage, _ req: Resources) -> String? {
        let code = fitCode(u, req)
        return code == 0 ? nil : reasons[Int(code)]
    }

    /// The verdict as a code: 0 fits, else the index of the reason in `reasons` (the first of pods, cpu,
    /// memory and GPUs whose need exceeds the node's room).
    @inline(__always)
    static func fitCode(_ u: NodeUsage, _ req: Resources) -> UInt8 {
        let short = need(req) .> room(u)
        for lane in 0..<4 where short[lane] { return UInt8(lane + 1) }
        return 0
    }

    /// A node's room as `fitCode` checks it: (pods left, free cpu, free memory, free GPUs).
    @inline(__always)
    static func room(_ u: NodeUsage) -> SIMD4<Int64> {
        let free = u.free
        return SIMD4(u.maxPods - u.podCount, free.cpu, free.memory, free.gpu)
    }

    /// What `fitCode` asks of a node's room for `req`: one pod, and each resource the pod requests (an
    /// amount not requested asks nothing). A node fits exactly when `all(need(req) .<= room(u))`.
    @inline(__always)
    static func need(_ req: Resources) -> SIMD4<Int64> {
        SIMD4(1, req.cpu > 0 ? req.cpu : .min, req.memory > 0 ? req.memory : .min, req.gpu > 0 ? req.gpu : .min)
    }

    /// The reasons of `fitCode` (index 0 unused).
    static let reasons = ["", "Too many pods", "Insufficient cpu", "Insufficient memory", "Insufficient nvidia.com/gpu"]

    /// Allocatable and requested (node plus pod, scoring defaults for cpu/memory) of one resource.
    @inline(__always)
    func amounts(_ kind: ResourceKind, _ u: NodeUsage, _ ctx: CycleContext) -> (alloc: Int64, req: Int64) {
        switch kind {
        case .cpu: return (u.allocatable.cpu, u.scoringRequested.cpu + ctx.scoringRequests.cpu)
        case .memory: return (u.allocatable.memory, u.scoringRequested.memory + ctx.scoringRequests.memory)
        case .gpu:
            // Extended resources count only when the pod asks for them.
            if ctx.requests.gpu == 0 { return (0, 0) }
            return (u.allocatable.gpu, u.requested.gpu + ctx.requests.gpu)
        }
    }

    /// A node's score reads only its usage (and images), the pod and cluster-wide values.
    public var scoresByNodeState: Bool { true }

    /// Its score reads the node's allocatable and requests and the pod's requests only.
    public var scoresByRequests: Bool { true }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        score(ctx.cluster.usage[Int(node)], ctx)
    }

    public func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64]) {
        let usage = ctx.cluster.usage
        let start = scores.count
        scores.append(contentsOf: repeatElement(0, count: nodes.count))
        // The default (LeastAllocated over cpu and memory) with the pod's requests and the weights hoisted
        // out of the loop: the same integer formula as `score`, node by node.
        if leastAllocatedCPUMemory {
            let wc = resources[0].weight, wm = resources[1].weight
            let rc = ctx.scoringRequests.cpu, rm = ctx.scoringRequests.memory
            scores.withUnsafeMutableBufferPointer { out in
                usage.withUnsafeBufferPointer { usage in
                    for (i, node) in nodes.enumerated() {
                        let n = Int(node)
                        let ac = usage[n].allocatable.cpu, qc = usage[n].scoringRequested.cpu + rc
                        let am = usage[n].allocatable.memory, qm = usage[n].scoringRequested.memory + rm
                        var nodeScore: Int64 = 0, weightSum: Int64 = 0
                        if ac != 0 {
                            nodeScore += (qc > ac ? 0 : (ac - qc) * maxNodeScore / ac) * wc
                            weightSum += wc
                        }
                        if am != 0 {
                            nodeScore += (qm > am ? 0 : (am - qm) * maxNodeScore / am) * wm
                            weightSum += wm
                        }
                        out[start + i] = weightSum == 0 ? 0 : nodeScore / weightSum
                    }
                }
            }
            return
        }
        scores.withUnsafeMutableBufferPointer { out in
            usage.withUnsafeBufferPointer { usage in
                for (i, node) in nodes.enumerated() { out[start + i] = score(usage[Int(node)], ctx) }
            }
        }
    }

    @inline(__always)
    func score(_ u: NodeUsage, _ ctx: CycleContext) -> Int64 {
        switch strategy {
        case .leastAllocated, .mostAllocated:
            var nodeScore: Int64 = 0, weightSum: Int64 = 0
            for r in resources {
                let (alloc, req) = amounts(r.kind, u, ctx)
                if alloc == 0 { continue }
                let s: Int64
                if case .leastAllocated = strategy {
                    s = req > alloc ? 0 : (alloc - req) * maxNodeScore / alloc
                } else {
                    s = min(req, alloc) * maxNodeScore / alloc
                }
                nodeScore += s * r.weight
                weightSum += r.weight
            }
            return weightSum == 0 ? 0 : nodeScore / weightSum
        case .requestedToCapacityRatio(let shape):
            var nodeScore: Int64 = 0, weightSum: Int64 = 0
            for r in resources {
                let (alloc, req) = amounts(r.kind, u, ctx)
                if alloc == 0 { continue }
                let utilization = req > alloc ? maxNodeScore : req * maxNodeScore / alloc
                let s = NodeResourcesFit.brokenLinear(shape, utilization)
                if s > 0 {
                    nodeScore += s * r.weight
                    weightSum += r.weight
                }
            }
            return weightSum == 0 ? 0 : Int64((Double(nodeScore) / Double(weightSum)).rounded())
        }
    }

    /// The shape as a piecewise-linear function of utilisation, scores scaled from 0...10 to 0...100.
    public static func brokenLinear(_ shape: [UtilizationShapePoint], _ p: Int64) -> Int64 {
        let scale = maxNodeScore / 10
        for i in shape.indices where p <= shape[i].utilization {
            if i == 0 { return shape[0].score * scale }
            let a = shape[i - 1], b = shape[i]
            return a.score * scale + (b.score * scale - a.score * scale) * (p - a.utilization) / (b.utilization - a.utilization)
        }
        return shape[shape.count - 1].score * scale
    }
}
