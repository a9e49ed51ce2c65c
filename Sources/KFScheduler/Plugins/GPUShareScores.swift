import Foundation
import KFCluster

/// The GPU-sharing policies of Weng et al. (ATC 2023), as score plugins with the formulas of their
/// simulator (`pkg/simulator/plugin/*_score.go`, hkust-adsl/kubernetes-scheduler-simulator): raw 0-100
/// scores (BestFit alone normalised), float arithmetic where the Go code uses it, integer truncation
/// where it converts. Ties between nodes go to kfsim's tie-break (random by default, as upstream).
enum GPUShareConstants {
    static let maxSpecCPU = 128_000.0
    static let maxSpecGPU: Int64 = 8000
}

/// Fragmentation gradient descent (`FGDScore`): the node (and, for a share, the device) where placing
/// the pod grows the node's fragment least: `int(sigmoid((F_before - F_after) / 1000) * 100)`, the
/// device argmax on those integers (ties to the lowest index).
public final class FGDScore: ScorePlugin {
    public let name = "FGDScore"
    public init() {}

    /// FGD picks a share's device while scoring: a single feasible node is scored too.
    public var scoresSingleNode: Bool { true }

    static func sigmoidScore(_ delta: Double) -> Int64 { Int64(100 / (1 + exp(-delta / 1000))) }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        let v = GPUShareView(ctx, node: node)
        if v.podCPU == 0 && v.count == 0 { return 100 }
        let typical = ctx.cluster.gpuDevices.typicalPods
        let model = ctx.cluster.nodes[Int(node)].spec.labels[GPUFragmentation.gpuModelLabel]
        let before = GPUFragmentation.nodeFragment(cpuLeft: v.cpuLeft, devices: v.devices, model: model, typical: typical)
        // The score of the node after the pod takes `picked` devices: the fragmentation it removes.
        func gain(_ picked: [Int32]?) -> Int64 {
            let a = v.after(taking: picked)
            return Self.sigmoidScore(before - GPUFragmentation.nodeFragment(cpuLeft: a.cpuLeft, devices: a.devices, model: model,
                                                                             typical: typical))
        }
        guard v.count == 1 && v.milli < 1000 else { return gain(nil) }
        var best: Int64 = 0, device = -1
        for i in v.devices.indices where v.devices[i] >= v.milli {
            let s = gain([Int32(i)])
            if device < 0 || s > best { (best, device) = (s, i) }
        }
        if device >= 0 {
            let choices = ctx.state.read(GPUDeviceChoices.self) ?? {
                let c = GPUDeviceChoices()
                ctx.state.write(c)
                return c
            }()
            choices.byNode[node] = [Int32(device)]
        }
        return best
    }
}

/// Best fit (`BestFitScore`): the node with the least CPU and GPU left after placement (weights 1/2
/// each, over 128 cores and 8 GPUs), min-max normalised over the feasible nodes (all equal: all 0).
public final class BestFitScore: ScorePlugin {
    public let name = "BestFitScore"
    public init() {}

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        let v = GPUShareView(ctx, node: node)
        let gpuReq = Int64(v.milli) * Int64(v.count)
        guard v.cpuLeft >= v.podCPU, v.idle >= gpuReq else { return 0 }
        let raw = Double(v.cpuLeft - v.podCPU) / GPUShareConstants.maxSpecCPU * 0.5
            + Double(v.idle - gpuReq) / Double(GPUShareConstants.maxSpecGPU) * 0.5
        return Int64((1 - raw) * 100)
    }

    public func normalize(_ ctx: CycleContext, scores: inout [Int64]) {
        guard let lo = scores.min(), let hi = scores.max() else { return }
        for i in scores.indices { scores[i] = hi == lo ? 0 : (scores[i] - lo) * 100 / (hi - lo) }
    }
}

/// Dot product (`DotProductScore`, Tetris-like, resources merged): `int(100 * (1 - node·pod / 2))` of
/// the node's free and the pod's requested CPU and GPU, each over 128 cores and 8 GPUs (0 when the CPU
/// does not fit).
public final class DotProductScore: ScorePlugin {
    public let name = "DotProductScore"
    public init() {}

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        let v = GPUShareView(ctx, node: node)
        guard v.cpuLeft >= v.podCPU else { return 0 }
        let maxGPU = Double(GPUShareConstants.maxSpecGPU)
        let dot = Double(v.cpuLeft) / GPUShareConstants.maxSpecCPU * Double(v.podCPU) / GPUShareConstants.maxSpecCPU
            + Double(v.idle) / maxGPU * Double(Int64(v.milli) * Int64(v.count)) / maxGPU
        return Int64(100 * (1 - dot / 2))
    }
}

/// GPU packing (`GpuPackingScore`): shared GPUs first (100 - free share of the devices used / 10, at
/// least 50), then free GPUs on a used node (50 - free devices used, at least 33), then idle nodes
/// (33 - devices, at least the device count). CPU pods: 0 everywhere.
public final class GpuPackingScore: ScorePlugin {
    public let name = "GpuPackingScore"
    public init() {}

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        let v = GPUShareView(ctx, node: node)
        guard v.milli > 0 else { return 0 }
        let free = Int64(v.devices.filter { $0 == 1000 }.count)
        if free == Int64(v.devices.count) { return max(33 - free, free) }
        // Devices by least left first (stable), the first that fit.
        let order = v.devices.indices.sorted { v.devices[$0] != v.devices[$1] ? v.devices[$0] < v.devices[$1] : $0 < $1 }
        var wanted = v.count, freeUsed: Int64 = 0
        var used: [Int] = []
        for i in order where wanted > 0 && v.milli <= v.devices[i] {
            wanted -= 1
            used.append(i)
            if v.devices[i] == 1000 { freeUsed += 1 }
        }
        guard wanted == 0 else { return 0 }
        if freeUsed > 0 { return max(50 - freeUsed, 33) }
        var ratio: Int64 = 0
        for i in used { ratio += Int64(v.devices[i]) * 100 / 1000 }
        return max(100 - ratio / 10, 50)
    }
}

/// GPU clustering (`GpuClusteringScore`): nodes holding only pods of the pod's kind of GPU request first
/// (75 + ...), then nodes holding it among others (50 + ...), then nodes without GPU pods (25 + ...),
/// then the rest, each plus 25 x the GPU in use over 8 GPUs. CPU pods: 0 everywhere.
public final class GpuClusteringScore: ScorePlugin {
    public let name = "GpuClusteringScore"
    public init() {}

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        let v = GPUShareView(ctx, node: node)
        guard v.count > 0 else { return 0 }
        let tag: Int32 = v.milli < 1000 ? 0 : v.count
        let tags = ctx.cluster.gpuDevices.tags.count > Int(node) ? ctx.cluster.gpuDevices.tags[Int(node)] : [:]
        let base = 100 / 4 * (GPUShareConstants.maxSpecGPU - v.idle) / GPUShareConstants.maxSpecGPU
        if tags[tag, default: 0] > 0 { return base + (tags.count == 1 ? 100 * 3 / 4 : 100 * 2 / 4) }
        return base + (tags.isEmpty ? 100 / 4 : 0)
    }
}

/// Random fit (`RandomScore`): one feasible node drawn uniformly scores 100, the others 0 (with
/// Open-Gpu-Share's `gpuSelMethod: random`, the device is drawn too).
public final class RandomScore: PreScorePlugin, ScorePlugin {
    public let name = "RandomScore"
    public init() {}

    final class Pick { var node: Int32 = -1 }

    public func preScore(_ ctx: CycleContext) {
        let pick = Pick()
        if !ctx.feasible.isEmpty { pick.node = ctx.feasible[ctx.framework?.randomInt(below: ctx.feasible.count) ?? 0] }
        ctx.state.write(pick)
    }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 { ctx.state.read(Pick.self)?.node == node ? 100 : 0 }
}
