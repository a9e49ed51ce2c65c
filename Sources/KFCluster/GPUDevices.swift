/// GPUs as devices (Alibaba's open-gpu-share, as the openb trace's simulator keeps them): each device of
/// a node has 1000 milli-GPU; a pod with a GPU share (`PodSpec.gpuMilli`) takes that much of one device,
/// a pod with whole GPUs takes that many devices with nothing used on them.
///
/// Devices are chosen at binding: a Reserve plugin may have said which (`choose`), else whole GPUs take
/// the lowest-index free devices and a share takes the best-fitting device (least left that fits, ties
/// to the lowest index), as open-gpu-share's `best` method.
public final class GPUDevices {
    /// Milli-GPU left on each device of each node (nodes without GPUs, or never bound to: empty).
    public private(set) var left: [[Int32]] = []
    /// Devices held by each bound GPU pod, with the milli-GPU held on each.
    public private(set) var held: [PodID: (node: Int, devices: [Int32], milli: Int32)] = [:]
    /// Milli-GPU held by pods with a GPU share (whole GPUs are counted in `ClusterState.allocated`).
    public private(set) var shareMilli: Int64 = 0
    /// Milli-GPU held by bound pods in the whole cluster (shares and whole devices).
    public private(set) var allocatedMilli: Int64 = 0
    /// Devices a Reserve plugin chose for a pod about to be bound.
    var chosen: [PodID: [Int32]] = [:]
    /// Per node, how many bound pods hold each kind of GPU request (GPU clustering's affinity tags:
    /// 0 a share, k k whole GPUs).
    public private(set) var tags: [[Int32: Int]] = []
    /// The target workload of the fragmentation measure (set by the workload that knows it, e.g. a
    /// GPU-sharing trace replay).
    public var typicalPods: [TypicalGPUPod] = []

    public init() {}

    /// The devices of node `n` (all free when nothing was ever bound there).
    public func devices(of n: Int, allocatable gpus: Int64) -> [Int32] {
        n < left.count && left[n].count == Int(gpus) ? left[n] : Array(repeating: 1000, count: Int(gpus))
    }

    /// What a pod asks of the devices: milli-GPU per device and the number of devices (0: none).
    public static func request(_ pod: Pod) -> (milli: Int32, count: Int32) {
        request(gpuMilli: pod.spec.gpuMilli, gpus: pod.resources.requests.gpu)
    }

    /// The same from a pod's `gpuMilli` and GPU request.
    public static func request(gpuMilli: Int32, gpus: Int64) -> (milli: Int32, count: Int32) {
        if gpuMilli > 0 { return (gpuMilli, 1) }
        return gpus > 0 ? (1000, Int32(gpus)) : (0, 0)
    }

    /// The devices open-gpu-share's `best` method picks among `devices` for a request (nil: it does not
    /// fit): the `count` lowest-index free devices for whole GPUs, the best-fitting one for a share.
    public static func bestFit(_ devices: [Int32], milli: Int32, count: Int32) -> [Int32]? {
        if count == 1 && milli >= 1000 {
            guard let i = devices.firstIndex(where: { $0 >= milli }) else { return nil }
            return single(i)
        }
        if milli >= 1000 || count > 1 {
            var out: [Int32] = []
            for (i, l) in devices.enumerated() where l >= milli && out.count < Int(count) { out.append(Int32(i)) }
            return out.count == Int(count) ? out : nil
        }
        var best = -1
        for (i, l) in devices.enumerated() where l >= milli && (best < 0 || l < devices[best]) { best = i }
        return best < 0 ? nil : single(best)
    }

    /// Device `i` alone, from a shared table below 64 (a GPU pod's binding allocates no list).
    private static func single(_ i: Int) -> [Int32] { i < singles.count ? singles[i] : [Int32(i)] }
    private static let singles: [[Int32]] = (0..<64).map { [Int32($0)] }

    /// Whether a request fits the devices (a share: one device with that much left; whole GPUs: that many
    /// free devices).
    public static func fits(_ devices: [Int32], milli: Int32, count: Int32) -> Bool {
        var n: Int32 = 0
        for l in devices where l >= milli {
            n += 1
            if n >= count { return true }
        }
        return count == 0
    }

    /// A Reserve plugin's choice of devices for `pod` (used by the next binding of the pod).
    public func choose(_ devices: [Int32], for pod: PodID) { chosen[pod] = devices }

    /// Forgets a choice (Unreserve).
    public func forgetChoice(for pod: PodID) { chosen[pod] = nil }

    func allocate(_ pod: PodID, milli: Int32, count: Int32, on n: Int, allocatable gpus: Int64) {
        guard count > 0 else { return }
        if left.count <= n { left.append(contentsOf: Array(repeating: [], count: n + 1 - left.count)) }
        if left[n].count != Int(gpus) { left[n] = Array(repeating: 1000, count: Int(gpus)) }
        let devices = left[n]
        func valid(_ d: [Int32]) -> Bool { d.count == Int(count) && d.allSatisfy { Int($0) < devices.count && devices[Int($0)] >= milli } }
        var picked = chosen.removeValue(forKey: pod)
        if let p = picked, !valid(p) { picked = nil }
        // NodeResourcesFit counts whole GPUs only: a node it admits may lack devices when shares are
        // spread over them; the pod then holds none (open-gpu-share's filter, when enabled, prevents it).
        guard let devices = picked ?? Self.bestFit(left[n], milli: milli, count: count) else { return }
        for d in devices { left[n][Int(d)] -= milli }
        held[pod] = (n, devices, milli)
        if milli < 1000 { shareMilli += Int64(milli) }
        allocatedMilli += Int64(milli) * Int64(devices.count)
        if tags.count <= n { tags.append(contentsOf: Array(repeating: [:], count: n + 1 - tags.count)) }
        tags[n][milli < 1000 ? 0 : count, default: 0] += 1
    }

    func release(_ pod: PodID) {
        guard let h = held.removeValue(forKey: pod) else { return }
        for d in h.devices { left[h.node][Int(d)] += h.milli }
        if h.milli < 1000 { shareMilli -= Int64(h.milli) }
        allocatedMilli -= Int64(h.milli) * Int64(h.devices.count)
        let tag: Int32 = h.milli < 1000 ? 0 : Int32(h.devices.count)
        let k = tags[h.node][tag, default: 0] - 1
        tags[h.node][tag] = k == 0 ? nil : k
    }

}
