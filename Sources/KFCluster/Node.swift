import KFEngine

/// A node with what is bound and running on it.
public struct Node: Sendable {
    /// Its index.
    public let index: Int32
    /// Declaration.
    public var spec: NodeSpec
    /// Deleted (the index is never reused).
    public internal(set) var isDeleted = false
    /// Pods bound to it (not terminated), in binding order.
    public var pods: [PodID] = []
    /// Pods running on it, in start order.
    public internal(set) var running: [PodID] = []
    /// The running pods' CPU caps, weights, rates and duty cycles, in `running` order: CPU sharing
    /// reads them here, beside each other, instead of from each pod.
    var runningCaps: [Double] = [], runningWeights: [Double] = [], runningRates: [Double] = [], runningDuties: [Double] = []
    /// Sum of the running pods' CPU rates, in cores.
    public var cpuRate: Double = 0
    /// Sum of the running pods' CPU rates times their duty cycles: the CPU actually busy, in cores.
    public var cpuBusy: Double = 0
    /// Images pulled during the run, with the time each is (or will be) ready.
    public var imageReadyAt: [String: SimTime] = [:]
    /// The kubelet pulls one image at a time (`serializeImagePulls`): the end of the last queued pull.
    public var pullBusyUntil: SimTime = 0

    /// `id` starts running with its CPU share's cap, weight, rate and duty cycle.
    mutating func startRunning(_ id: PodID, _ run: PodRunState) {
        running.append(id)
        runningCaps.append(run.cpuCap)
        runningWeights.append(run.cpuWeight)
        runningRates.append(run.rate)
        runningDuties.append(run.duty)
    }

    /// `id` stops running.
    mutating func stopRunning(_ id: PodID) {
        guard let i = running.firstIndex(of: id) else { return }
        running.remove(at: i)
        runningCaps.remove(at: i)
        runningWeights.remove(at: i)
        runningRates.remove(at: i)
        runningDuties.remove(at: i)
    }

    /// A node with nothing on it.
    public init(index: Int32, spec: NodeSpec) {
        self.index = index
        self.spec = spec
    }
}
