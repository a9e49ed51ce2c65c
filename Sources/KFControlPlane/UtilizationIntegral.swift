import KFCluster
import KFEngine

/// Time integrals of allocated and used resources, for time-weighted utilisation over
/// [first submission, last completion] (the whole run when there are no jobs, only services).
public struct UtilizationIntegral: Sendable {
    /// Integrals up to `lastTime`, in resource-unit microseconds.
    public private(set) var cpuAllocated = 0.0, memoryAllocated = 0.0, gpuAllocated = 0.0, cpuUsed = 0.0, gpuUsed = 0.0
    /// Capacity integrals (capacity may change with autoscaling).
    public private(set) var cpuCapacity = 0.0, memoryCapacity = 0.0, gpuCapacity = 0.0
    private var lastTime: SimTime = 0
    private var atFirstSubmission: SIMD8<Double>?
    private var atLastCompletion: SIMD8<Double>?
    /// First submission and last completion times.
    public private(set) var firstSubmission: SimTime = -1, lastCompletion: SimTime = -1

    /// An empty integral.
    public init() {}

    mutating func integrate(to time: SimTime, cluster: ClusterState) {
        let dt = Double(time - lastTime)
        if dt > 0 {
            cpuAllocated += Double(cluster.allocated.cpu) * dt
            memoryAllocated += Double(cluster.allocated.memory) * dt
            gpuAllocated += cluster.allocatedGPUs * dt
            cpuUsed += cluster.cpuUsed * 1000 * dt
            gpuUsed += cluster.gpuUsed * dt
            cpuCapacity += Double(cluster.capacity.cpu) * dt
            memoryCapacity += Double(cluster.capacity.memory) * dt
            gpuCapacity += Double(cluster.capacity.gpu) * dt
        }
        lastTime = time
    }

    /// The integrals now, as a value (taken at every job completion: no array is allocated).
    var snapshot: SIMD8<Double> {
        [cpuAllocated, memoryAllocated, gpuAllocated, cpuUsed, cpuCapacity, memoryCapacity, gpuCapacity, gpuUsed]
    }

    mutating func noteSubmission(at time: SimTime) {
        if atFirstSubmission == nil {
            atFirstSubmission = snapshot
            firstSubmission = time
        }
    }

    mutating func noteCompletion(at time: SimTime) {
        atLastCompletion = snapshot
        lastCompletion = time
    }

    /// The window is the whole run, [0, `time`] (no job was submitted: a run of services).
    mutating func noteWholeRun(until time: SimTime) {
        atFirstSubmission = SIMD8<Double>()
        firstSubmission = 0
        atLastCompletion = snapshot
        lastCompletion = time
    }

    /// The window ends at the stop time instead (jobs were left unfinished: their time counts too).
    mutating func noteStop(at time: SimTime) {
        guard atFirstSubmission != nil else { return }
        atLastCompletion = snapshot
        lastCompletion = time
    }

    /// Time-weighted utilisation over [first submission, last completion] (or the stop time when jobs
    /// were left unfinished): cpu, memory and gpu allocated fractions and the cpu and gpu used fractions. Nil
    /// where there is no data: no window (nothing submitted, or nothing finished and no time passed),
    /// or no capacity of that resource.
    public var fractions: (cpuAllocated: Double?, memoryAllocated: Double?, gpuAllocated: Double?, cpuUsed: Double?, gpuUsed: Double?) {
        guard let a = atFirstSubmission, let b = atLastCompletion, lastCompletion > firstSubmission else { return (nil, nil, nil, nil, nil) }
        func f(_ i: Int, _ cap: Int) -> Double? {
            let c = b[cap] - a[cap]
            return c > 0 ? (b[i] - a[i]) / c : nil
        }
        return (f(0, 4), f(1, 5), f(2, 6), f(3, 4), f(7, 6))
    }
}
