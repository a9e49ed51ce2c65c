import KFCluster

/// The devices a score plugin picked on each node for the pod of this cycle (FGD picks the device that
/// fragments least); Reserve binds the pod to them.
final class GPUDeviceChoices {
    var byNode: [Int32: [Int32]] = [:]
}

/// Alibaba's open-gpu-share (the openb trace's simulator, `pkg/simulator/plugin/open_gpu_share.go`):
/// Filter admits a node when its devices can hold the pod (a GPU share: one device with that much
/// left; whole GPUs: that many devices with nothing used); Reserve picks the devices: a score plugin's
/// choice for the node if it made one, else by `gpuSelMethod`: `best` (least left that fits, ties to
/// the lowest index; the default), `worst` (most left) or `random` (uniform among those that fit). Whole
/// GPUs always take the lowest-index free devices. GPU models are NodeAffinity's business (the openb
/// trace's `gpu_spec` becomes a required node affinity).
public final class OpenGpuShare: FilterPlugin, ReservePlugin {
    public let name = "Open-Gpu-Share"
    /// How Reserve picks a share's device.
    public enum Selection: String, CaseIterable, Sendable { case best, worst, random }
    public let selection: Selection

    /// The plugin; args `{gpuSelMethod: best|worst|random}`.
    public init(args: PluginArgs) throws(PluginArgsError) {
        try args.requireKeys(["gpuSelMethod"], at: "")
        let text = try args["gpuSelMethod"]?.string(at: "gpuSelMethod") ?? "best"
        guard let s = Selection(rawValue: text) else {
            throw PluginArgsError(path: "gpuSelMethod", message: "unknown gpuSelMethod '\(text)'; accepted: best, worst, random")
        }
        selection = s
    }

    public func filter(_ ctx: CycleContext, node: Int32) -> String? {
        let (milli, count) = GPUDevices.request(ctx.pod)
        guard count > 0 else { return nil }
        let gpus = ctx.cluster.usage[Int(node)].allocatable.gpu
        guard gpus > 0 else { return "Insufficient GPU devices" }
        return GPUDevices.fits(ctx.cluster.gpuDevices.devices(of: Int(node), allocatable: gpus), milli: milli, count: count)
            ? nil : "Insufficient GPU devices"
    }

    public func reserve(_ ctx: CycleContext, node: Int32) {
        let (milli, count) = GPUDevices.request(ctx.pod)
        guard count > 0 else { return }
        let devices = ctx.cluster.gpuDevices.devices(of: Int(node), allocatable: ctx.cluster.usage[Int(node)].allocatable.gpu)
        var picked = ctx.state.read(GPUDeviceChoices.self)?.byNode[node]
        if picked == nil && milli < 1000 && count == 1 {
            switch selection {
            case .best: break
            case .worst:
                var best = -1
                for (i, l) in devices.enumerated() where l >= milli && (best < 0 || l > devices[best]) { best = i }
                if best >= 0 { picked = [Int32(best)] }
            case .random:
                let fitting = devices.indices.filter { devices[$0] >= milli }
                if !fitting.isEmpty { picked = [Int32(fitting[ctx.framework?.randomInt(below: fitting.count) ?? 0])] }
            }
        }
        if let picked = picked ?? GPUDevices.bestFit(devices, milli: milli, count: count) {
            ctx.cluster.gpuDevices.choose(picked, for: ctx.pod.id)
        }
    }

    public func unreserve(_ ctx: CycleContext, node: Int32) { ctx.cluster.gpuDevices.forgetChoice(for: ctx.pod.id) }
}

/// What the GPU-sharing score plugins read of a node and the pod.
struct GPUShareView {
    let cpuLeft: Int64
    let devices: [Int32]
    /// Milli-GPU free on the node's devices.
    let idle: Int64
    let podCPU: Int64
    let milli: Int32
    let count: Int32

    init(_ ctx: CycleContext, node: Int32) {
        let u = ctx.cluster.usage[Int(node)]
        cpuLeft = u.allocatable.cpu - u.requested.cpu
        devices = ctx.cluster.gpuDevices.devices(of: Int(node), allocatable: u.allocatable.gpu)
        idle = devices.reduce(0) { $0 + Int64($1) }
        podCPU = ctx.scoringRequests.cpu
        (milli, count) = GPUDevices.request(ctx.pod)
    }

    /// The node after the pod takes `picked` devices (or, for whole GPUs, the lowest-index free ones).
    func after(taking picked: [Int32]? = nil) -> (cpuLeft: Int64, devices: [Int32]) {
        var d = devices
        if count > 0, let chosen = picked ?? GPUDevices.bestFit(devices, milli: milli, count: count) {
            for i in chosen { d[Int(i)] -= milli }
        }
        return (cpuLeft - podCPU, d)
    }
}
